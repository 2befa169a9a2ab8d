"""The look: calm colours, large type and touch-sized targets for tablets.

Every target is at least 44×44 px (a gloved finger on a 1280×800 tablet): buttons,
fields, tabs, list and table rows, and the check and radio marks themselves, which are
drawn at 30 px rather than padded around Qt's 13 px default.
"""

from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget

from app import paths

TOUCH = 44  # px: the smallest hit area of anything a finger taps

_CHECK_MARK = (paths.RESOURCES / "icons" / "check-mark.svg").as_posix()


class TouchStyle(QProxyStyle):
    """Sizes a style sheet cannot set: the default height of table rows."""

    def pixelMetric(self, metric: QStyle.PixelMetric, option: QStyleOption | None = None,  # noqa: N802
                    widget: QWidget | None = None) -> int:
        if metric == QStyle.PixelMetric.PM_HeaderDefaultSectionSizeVertical:
            return TOUCH
        return super().pixelMetric(metric, option, widget)


STYLE_SHEET = """
QWidget { font-size: 15px; color: #1f2328; }
QMainWindow, QStackedWidget { background: #f5f6f8; }
#header { background: #16406b; }
#header QLabel { color: white; }
#appTitle { font-size: 19px; font-weight: bold; }
#userLabel { font-size: 15px; padding-right: 12px; }
#header QPushButton { background: #2a5d91; color: white; border: 1px solid #6f96bf; }
#pageTitle { font-size: 22px; font-weight: bold; padding: 4px 0 8px 0; }
#hint { color: #5b6470; }
QPushButton { min-height: 44px; padding: 4px 18px; border-radius: 6px;
              background: #ffffff; border: 1px solid #c5cbd3; }
QPushButton:pressed { background: #dfe7f1; }
QPushButton:disabled { color: #9aa3ad; background: #f0f2f5; border-color: #dde1e6; }
QPushButton#primary { background: #16406b; color: white; border: 1px solid #16406b; font-weight: bold; }
QPushButton#primary:pressed { background: #0f2f50; }
QPushButton#primary:disabled { background: #c9d3de; color: #f5f6f8; border-color: #c9d3de; }
#staffCard { min-height: 108px; text-align: left; background: white; border: 1px solid #c5cbd3; border-radius: 10px; }
#staffCard:hover { border: 2px solid #16406b; }
#staffName { font-size: 20px; font-weight: bold; }
#nav { background: #ffffff; border: none; border-right: 1px solid #d8dde3; font-size: 17px; }
#nav::item { padding-left: 18px; }
#nav::item:selected { background: #e3ecf6; color: #16406b; border-left: 4px solid #16406b; }
QLineEdit, QComboBox, QAbstractSpinBox { min-height: 42px; padding: 0 10px; border: 1px solid #c5cbd3;
                                         border-radius: 6px; background: white; }
QAbstractSpinBox QLineEdit { min-height: 0; padding: 0; border: none; }
QComboBox::drop-down { width: 44px; border: none; }
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button { width: 40px; }
QComboBox QAbstractItemView::item { min-height: 44px; }
/* A gloved finger: check and radio marks drawn large, the whole line (mark and words) a 44 px target. */
QCheckBox, QRadioButton { min-height: 44px; spacing: 10px; }
QCheckBox::indicator, QRadioButton::indicator { width: 30px; height: 30px; }
QCheckBox::indicator { border: 2px solid #6f7a86; border-radius: 5px; background: white; }
QCheckBox::indicator:checked { background: #16406b; border-color: #16406b;
                               image: url(CHECK_MARK); }
QRadioButton::indicator { border: 2px solid #6f7a86; border-radius: 17px; background: white; }
QRadioButton::indicator:checked { border-color: #16406b;
    background: qradialgradient(cx: 0.5, cy: 0.5, radius: 0.5, fx: 0.5, fy: 0.5,
                                stop: 0 #16406b, stop: 0.55 #16406b, stop: 0.62 white, stop: 1 white); }
QCheckBox::indicator:disabled, QRadioButton::indicator:disabled { border-color: #c5cbd3; background: #eef1f4; }
QTabBar::tab { min-height: 44px; min-width: 64px; padding: 0 18px; font-size: 16px;
               background: #eef1f4; border: 1px solid #d8dde3; border-bottom: none;
               border-top-left-radius: 6px; border-top-right-radius: 6px; margin-right: 2px; }
QTabBar::tab:selected { background: white; color: #16406b; font-weight: bold; }
QToolButton { min-width: 44px; min-height: 44px; }
QListView::item { min-height: 44px; }
#actionBar { background: #eef1f4; border-top: 1px solid #d8dde3; }
QTableView { background: white; alternate-background-color: #f7f9fb; border: 1px solid #d8dde3;
             gridline-color: #e6e9ed; selection-background-color: #cfe0f3; selection-color: #1f2328; }
QHeaderView::section { background: #eef1f4; padding: 8px; border: none;
                       border-bottom: 1px solid #d8dde3; font-weight: bold; }
#detailPanel { background: white; border: 1px solid #d8dde3; border-radius: 8px; }
#taskCard { background: white; border: 1px solid #d8dde3; border-radius: 10px; }
#taskHead { font-size: 19px; font-weight: bold; }
QScrollBar:vertical { width: 16px; }
QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }
"""
STYLE_SHEET = STYLE_SHEET.replace("CHECK_MARK", _CHECK_MARK)

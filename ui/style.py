"""The look: calm colours, large type and touch-sized targets for tablets."""

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
#staffCard { min-height: 108px; text-align: left; background: white; border: 1px solid #c5cbd3; border-radius: 10px; }
#staffCard:hover { border: 2px solid #16406b; }
#staffName { font-size: 20px; font-weight: bold; }
#nav { background: #ffffff; border: none; border-right: 1px solid #d8dde3; font-size: 17px; }
#nav::item { padding-left: 18px; }
#nav::item:selected { background: #e3ecf6; color: #16406b; border-left: 4px solid #16406b; }
QLineEdit, QComboBox { min-height: 40px; padding: 0 10px; border: 1px solid #c5cbd3;
                       border-radius: 6px; background: white; }
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

"""All inspection tasks: a sortable, searchable table with the selected task's details."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain import InspectionOverview, InspectionStatus
from app.gates.board import StatusBoard
from ui.labels import label
from ui.pages.gate_panel import GatePanel
from ui.models.inspection_table import ROW_ROLE, InspectionFilterModel, InspectionTableModel
from ui.workers import emit


class InspectionDetail(QFrame):
    start_requested = Signal(str)  # inspection id
    record_requested = Signal(str)
    merge_requested = Signal(str, object)  # kept id, tuple of ids to merge into it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 8)
        # The board and the gate findings scroll together; the actions stay in view.
        content = QWidget()
        inner = QVBoxLayout(content)
        self._form = QFormLayout()
        inner.addLayout(self._form)
        self.gates = GatePanel(scrolls=False)  # the panel scrolls as a whole
        inner.addWidget(self.gates, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        outer.addWidget(scroll, 1)
        self.start_button = QPushButton(self.tr("开始检查"))
        self.start_button.setObjectName("primary")
        self.record_button = QPushButton(self.tr("现场笔录"))
        self.merge_button = QPushButton()
        self.merge_button.setToolTip(self.tr("综合查一次：同一对象的其他待检查任务并入本任务"))
        for button in (self.start_button, self.record_button, self.merge_button):
            button.setContentsMargins(8, 0, 8, 0)
            outer.addWidget(button)
            button.hide()
        self.start_button.clicked.connect(lambda: emit(self.start_requested, self._id))
        self.record_button.clicked.connect(lambda: emit(self.record_requested, self._id))
        self.merge_button.clicked.connect(lambda: emit(self.merge_requested, self._id, self._mergeable))
        self._id = ""
        self._mergeable: tuple[str, ...] = ()
        self.setFixedWidth(320)
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self._fields: dict[str, QLabel] = {}
        for key, caption in (
            ("subject", self.tr("检查对象")), ("uscc", self.tr("统一社会信用代码")),
            ("credit", self.tr("信用等级 / 名单")), ("place", self.tr("地点")),
            ("source", self.tr("检查来源")), ("plan", self.tr("检查计划备案")),
            ("staff", self.tr("执法人员")), ("notice", self.tr("预告")),
            ("frequency", self.tr("本机关本季度 / 本年度已检查")),
        ):
            value = QLabel("—")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._fields[key] = value
            heading = QLabel(caption)
            heading.setObjectName("hint")
            heading.setWordWrap(True)
            self._form.addRow(heading, value)

    def show_row(self, row: InspectionOverview | None) -> None:
        if row is None:
            for value in self._fields.values():
                value.setText("—")
            return
        self._fields["subject"].setText(row.subject_name)
        self._fields["uscc"].setText(row.subject_uscc or "—")
        self._fields["credit"].setText(f"{row.credit_grade.value} / {label(row.list_status)}")
        self._fields["place"].setText(row.place or "—")
        source = label(row.source) + (f"：{row.source_ref}" if row.source_ref else "")
        self._fields["source"].setText(source)
        self._fields["plan"].setText(label(row.plan_filing) if row.plan_filing else self.tr("不适用（非计划检查）"))
        staff = "、".join(row.officer_names)
        if row.assistant_names:
            staff += "\n" + self.tr("辅助：") + "、".join(row.assistant_names)
        self._fields["staff"].setText(staff)
        self._id = row.id

    def show_board(self, board: StatusBoard | None) -> None:
        """The status board of the task: certificates, notice period, frequency, merge candidates."""
        if board is None:
            self._fields["notice"].setText("—")
            self._fields["frequency"].setText("—")
            self._mergeable = ()
            return
        lines = []
        for s in board.staff:
            role = self.tr("辅助") if s.assistant else (s.cert_no or "")
            lines.append(f"{s.name}  {role}  {label(s.certificate)}")
        self._fields["staff"].setText("\n".join(lines))
        if board.notice_id:
            end = board.notice_period_end.strftime("%Y-%m-%d %H:%M") if board.notice_period_end else "—"
            self._fields["notice"].setText(self.tr("%1，%2 发布，%3 期满").replace("%1", board.notice_id)
                                           .replace("%2", board.notice_published or "—").replace("%3", end))
        else:
            self._fields["notice"].setText(self.tr("无需预告或未预告"))
        self._fields["frequency"].setText(f"{board.inspections_this_quarter} / {board.inspections_this_year}")
        self._mergeable = board.mergeable
        self.merge_button.setText(self.tr("合并 %1 个同一对象的任务").replace("%1", str(len(board.mergeable))))

    def show_actions(self, *, can_start: bool, has_record: bool, can_merge: bool) -> None:
        self.start_button.setVisible(can_start)
        self.record_button.setVisible(has_record)
        self.merge_button.setVisible(can_merge and bool(self._mergeable))


class InspectionsPage(QWidget):
    selected = Signal(object)  # InspectionOverview | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = InspectionTableModel(self)
        self.proxy = InspectionFilterModel(self)
        self.proxy.setSourceModel(self.model)

        title = QLabel(self.tr("检查任务"))
        title.setObjectName("pageTitle")
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索：对象名称、信用代码、编号、人员…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search)
        self.count = QLabel()
        self.count.setObjectName("hint")

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        # Two lines a row: the subject's name wraps in full instead of ending in "…".
        self.table.verticalHeader().setDefaultSectionSize(60)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # The subject's name needs the width: the source is in the detail beside the list,
        # and the officers' names wrap in a column of their own width.
        self.table.setColumnHidden(3, True)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(5, 120)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.detail = InspectionDetail()

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.count)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addWidget(self.detail)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addLayout(top)
        layout.addWidget(self.search)
        layout.addLayout(body, 1)
        self._shown: InspectionOverview | None = None
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved,
                       self.proxy.modelReset, self.proxy.layoutChanged):
            signal.connect(self._update_count)
            signal.connect(self._refresh_detail)

    def set_rows(self, rows: Sequence[InspectionOverview]) -> None:
        """Show ``rows``, keeping the selected task selected when it is still there."""
        keep = self._shown.id if self._shown else None
        self._shown = None
        self.model.set_rows(rows)
        self._update_count()
        if not self.select_task(keep):
            self._select_first_open()

    def _select_first_open(self) -> None:
        """Preselect the first task still to be worked on, never a closed one."""
        for n in range(self.proxy.rowCount()):
            if self.proxy.index(n, 0).data(ROW_ROLE).status in (InspectionStatus.PLANNED,
                                                                 InspectionStatus.IN_PROGRESS):
                self.table.selectRow(n)
                return
        self.table.clearSelection()

    def select_task(self, inspection_id: str | None) -> bool:
        for n in range(self.proxy.rowCount()):
            if self.proxy.index(n, 0).data(ROW_ROLE).id == inspection_id:
                self.table.selectRow(n)
                return True
        return False

    def _update_count(self) -> None:
        self.count.setText(self.tr("共 %n 项", "", self.proxy.rowCount()))

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._refresh_detail()

    def _refresh_detail(self) -> None:
        # Filtering can put another task under an unchanged selection without any
        # selectionChanged signal, so the detail follows the selected row's task.
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].data(ROW_ROLE) if rows else None
        if row is self._shown:
            return
        self._shown = row
        self.detail.show_row(row)
        emit(self.selected, row)

"""The table model and its filter, with no widget at all."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.workspace import Workspace
from ui.models.inspection_table import (
    COLUMNS,
    ROW_ROLE,
    InspectionFilterModel,
    InspectionTableModel,
)


def _models(ws: Workspace) -> tuple[InspectionTableModel, InspectionFilterModel]:
    model = InspectionTableModel()
    model.set_rows(ws.inspections.overview())
    proxy = InspectionFilterModel()
    proxy.setSourceModel(model)
    return model, proxy


def _column(proxy: InspectionFilterModel, col: int) -> list[str]:
    return [proxy.index(r, col).data() for r in range(proxy.rowCount())]


def test_rows_and_headers(app, demo_workspace: Workspace) -> None:
    model, _ = _models(demo_workspace)
    assert model.rowCount() == 12 and model.columnCount() == len(COLUMNS)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:2] == ["任务编号", "检查对象"]
    first = model.index(0, 0)
    assert first.data(ROW_ROLE).id == first.data()


def test_sorting_uses_raw_values(app, demo_workspace: Workspace) -> None:
    _, proxy = _models(demo_workspace)
    proxy.sort(4, Qt.SortOrder.AscendingOrder)  # scheduled time
    times = _column(proxy, 4)
    assert times == sorted(times) and times[0].startswith("2026-10-15")
    proxy.sort(2, Qt.SortOrder.DescendingOrder)  # credit grade: D first
    assert _column(proxy, 2)[0].startswith("D")


def test_search_matches_any_field_including_hidden_ones(app, demo_workspace: Workspace) -> None:
    _, proxy = _models(demo_workspace)
    proxy.set_search("烧烤")
    assert _column(proxy, 1) == ["老王烧烤店"]  # the short name; the full one is searched and on hover
    uscc = demo_workspace.subjects.get("S06").uscc
    proxy.set_search(uscc.lower())  # the credit code is not a column, but searchable
    assert set(_column(proxy, 0)) == {"JC-2026-1020", "JC-2026-1105"}
    proxy.set_search("赵磊")  # an assistant
    assert set(_column(proxy, 0)) == {"JC-2026-1101", "JC-2026-1106"}
    proxy.set_search("  ")
    assert proxy.rowCount() == 12


def test_model_reset_on_new_rows(app, demo_workspace: Workspace, qtbot) -> None:
    model, _ = _models(demo_workspace)
    with qtbot.waitSignal(model.modelReset):
        model.set_rows([])
    assert model.rowCount() == 0

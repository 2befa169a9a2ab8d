"""The inventory table model without a widget: inserted rows, versions replacing their row (R24)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import Qt

from app.clock import CHINA_TZ
from local_db.demolition_repository import ItemVersion
from ui.models.demolition_inventory import ITEM_ROLE, InventoryModel

AT = datetime(2026, 11, 23, 9, tzinfo=CHINA_TZ)


def version(n: int, v: int = 1, quantity: str = "1.50", reason: str = "") -> ItemVersion:
    return ItemVersion("QC", n, v, f"餐椅{n}", "家具", Decimal(quantity), "件", "完好", f"B-{n}", "仓库",
                       ("a" * 64,), AT, "O01", reason)


def test_R24_items_are_inserted_one_row_at_a_time_and_an_edit_replaces_its_row(app, qtbot) -> None:
    model = InventoryModel()
    model.set_rows([version(1)], {1: "stored"})
    with qtbot.waitSignal(model.rowsInserted):
        assert model.put(version(2)) == 1
    assert model.rowCount() == 2 and model.columnCount() == 11
    assert [model.index(0, c).data() for c in range(model.columnCount())] == [
        "1", "餐椅1", "家具", "1.5", "件", "完好", "B-1", "仓库", "1", "1", "保管中"]
    assert model.index(1, 10).data() == "已清点"
    with qtbot.waitSignal(model.dataChanged):
        assert model.put(version(1, 2, "2", "复点有误")) == 0
    assert model.rowCount() == 2 and model.index(0, 3).data() == "2" and model.index(0, 9).data() == "2"
    assert model.index(0, 0).data(ITEM_ROLE).edit_reason == "复点有误"
    assert "复点有误" in model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "名称"

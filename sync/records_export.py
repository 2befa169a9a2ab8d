"""Records as JSON in a bundle: one snapshot document per inspection.

A snapshot holds every row, in every table, that belongs to the inspection (the
``inspections`` row and each table with an ``inspection_id`` column), so records
added by later features travel without code here. It is canonical JSON, so an
unchanged inspection gives the same bytes and is not sent again; a changed one is
sent whole. docs/FORMATS.md, "Bundle", shows the shape.
"""

from __future__ import annotations

from app.crypto import canonical_json
from local_db.sync_repository import SyncRepository

SNAPSHOT_FORMAT = "fieldinspect.inspection-snapshot/1"


def inspection_snapshot(repo: SyncRepository, inspection_id: str, *, device_id: str,
                        tables_with_inspection: list[tuple[str, str]] | None = None) -> bytes:
    """Canonical JSON of everything stored about ``inspection_id``."""
    tables = {table: repo.rows_for(table, column, inspection_id)
              for table, column in (tables_with_inspection or repo.tables_with_inspection())}
    return canonical_json({"format": SNAPSHOT_FORMAT, "device_id": device_id,
                           "inspection_id": inspection_id, "tables": tables})


def snapshots(repo: SyncRepository, *, device_id: str) -> list[tuple[str, bytes]]:
    """``(inspection id, snapshot bytes)`` for every inspection on the device."""
    # The schema is read once, not once per inspection: a thousand inspections took 0.5 s.
    tables = repo.tables_with_inspection()
    return [(i, inspection_snapshot(repo, i, device_id=device_id, tables_with_inspection=tables))
            for i in repo.inspection_ids()]

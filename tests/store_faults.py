"""Bad rows in a synthetic city's CSV (file rows 12, 152 and a funnel row, in different chunks): the store's
streaming check names each with its row and column, and the previous store stays. Run in this process by
tests/unit/test_store.py and with the chunks checked in a second process by tests/integration."""

import csv
from pathlib import Path

import pytest
from synthetic import make_synthetic_data

from fazhi_analysis.data import store, streaming
from fazhi_analysis.data.layout import OBSERVATION_COLUMNS
from fazhi_analysis.errors import DataError


def store_files(data: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (data / store.STORE_DIR).glob("*.parquet")}


def check_bad_rows_named_and_previous_store_kept(tmp_path: Path, monkeypatch, parallel: bool) -> None:
    """With the store built (STORE_ENV "always" set by the caller)."""
    monkeypatch.setattr(streaming, "CHUNK_ROWS", 100)  # the faults fall in different chunks
    monkeypatch.setattr(streaming, "PARALLEL_FROM_BYTES", 0 if parallel else 10**12)
    data = make_synthetic_data(tmp_path, 30, 2, (2023, 2024))
    good = store.ensure_store(data)
    path = data / "observations.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[150]["value"] = "若干"  # file row 152
    rows.append(dict(rows[10]))  # a duplicate of file row 12, far away in another chunk
    first = (rows[0]["body"], rows[0]["year"])
    funnel = {r["indicator"]: i for i, r in enumerate(rows[:40]) if (r["body"], r["year"]) == first}
    rows[funnel["disputes_resolved_count"]]["value"] = "99999"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=OBSERVATION_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(DataError) as caught:
        store.ensure_store(data)
    found = {(p.row, p.column, p.rule) for p in caught.value.problems}
    assert (152, "value", "value_is_number") in found
    assert {(12, "district, body, year, label, measure", "unique_observation"),
            (len(rows) + 1, "district, body, year, label, measure", "unique_observation")} <= found
    assert (funnel["disputes_resolved_count"] + 2, "value", "part_within_whole") in found
    assert all(p.file.endswith("observations.csv") for p in caught.value.problems)
    assert store.read_manifest(data) == good and store_files(data)  # the previous store is untouched

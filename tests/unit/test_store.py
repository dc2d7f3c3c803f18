"""The store past a district's size (data/store.py): the same pages as the CSV path, rebuilt only when the
CSV's bytes change, streaming validation that names file, row and column, a row budget instead of a size
cap, a batch planned from the store, an index split by province and district, and a cluster snapshot that
carries the store instead of the CSV. Synthetic data only (benchmarks/synthetic.py, national.py)."""

import csv
import os
import shutil
from pathlib import Path

import pytest
from national import layout, national_rows
from store_faults import check_bad_rows_named_and_previous_store_kept, store_files
from synthetic import make_synthetic_data

from fazhi_analysis.batch.plan import Selection, plan_batch
from fazhi_analysis.data import store, streaming
from fazhi_analysis.data.layout import OBSERVATION_COLUMNS
from fazhi_analysis.errors import DataError
from fazhi_analysis.pages.annual import AnnualPage

MB = 1_000_000


@pytest.fixture(scope="module")
def city20k(tmp_path_factory) -> Path:
    """300 bodies in 8 districts × 3 years: about 20,000 rows."""
    return make_synthetic_data(tmp_path_factory.mktemp("city20k"), 300, 8, (2023, 2024, 2025))


@pytest.fixture
def always(monkeypatch):
    monkeypatch.setenv(store.STORE_ENV, "always")


def test_a_body_page_reads_its_district_only(city20k, always):
    page = AnnualPage.load(2024, "样本镇0003", str(city20k))
    loaded = page.dataset.observations
    assert set(loaded["district"]) == {"样本区01"} and len(loaded) < 20_000 / 6
    assert len(page.dataset.index) == 300  # a name is still resolved against every body




def test_a_changed_csv_rebuilds_the_store_and_an_unchanged_one_does_not(tmp_path, always):
    data = make_synthetic_data(tmp_path, 30, 2, (2023, 2024))
    first = store.ensure_store(data)
    files = store_files(data)
    assert store.ensure_store(data) == first and store_files(data) == files  # nothing changed: nothing rebuilt
    observations = data / "observations.csv"
    os.utime(observations, ns=(observations.stat().st_atime_ns, observations.stat().st_mtime_ns + 10**9))
    touched = store.ensure_store(data)  # same bytes, new mtime: hashed, not rebuilt
    assert touched["digest"] == first["digest"] and store_files(data) == files
    text = observations.read_text(encoding="utf-8").replace(",54,", ",55,", 1)
    assert text != observations.read_text(encoding="utf-8")
    observations.write_text(text, encoding="utf-8")
    changed = store.ensure_store(data)
    assert changed["digest"] != first["digest"] and set(store_files(data)).isdisjoint(files)  # old files removed
    assert store.open_store(data).rows(store.Scope())["value"].isin([55.0]).any()


def test_bad_data_leaves_the_previous_store_and_names_file_row_and_column(tmp_path, always, monkeypatch):
    check_bad_rows_named_and_previous_store_kept(tmp_path, monkeypatch, parallel=False)


def test_the_size_cap_gives_way_to_a_row_budget(tmp_path, always, monkeypatch):
    data = make_synthetic_data(tmp_path, 10, 1, (2023,))
    monkeypatch.setattr(streaming, "MAX_OBSERVATION_ROWS", 50)
    with pytest.raises(DataError) as caught:
        store.ensure_store(data)
    assert [(p.row, p.rule) for p in caught.value.problems] == [(52, "row_budget")]


def test_streaming_reads_gbk_and_refuses_a_damaged_utf8_byte_with_its_row(tmp_path, always):
    data = make_synthetic_data(tmp_path, 10, 1, (2023,))
    utf8 = store.open_store(data).rows(store.Scope())
    gbk_dir = tmp_path / "gbk"
    shutil.copytree(data, gbk_dir, ignore=shutil.ignore_patterns(store.STORE_DIR))
    text = (data / "observations.csv").read_text(encoding="utf-8")
    (gbk_dir / "observations.csv").write_bytes(text.replace("\n", "\r\n").encode("gbk"))
    assert store.open_store(gbk_dir).rows(store.Scope()).equals(utf8)
    broken = bytearray(text.encode("utf-8"))
    third_line = [i for i, b in enumerate(broken) if b == 0x0A][2] + 1
    broken[third_line + 20] = 0xFF  # row 4 of the file
    (gbk_dir / "observations.csv").write_bytes(bytes(broken))
    with pytest.raises(DataError) as caught:
        store.ensure_store(gbk_dir)
    assert [(p.row, p.rule) for p in caught.value.problems] == [(4, "file_encoding")]


def test_the_batch_plan_from_the_store_is_the_plan_from_the_csv(city20k, tmp_path, monkeypatch):
    plans = {}
    for mode in ("never", "always"):
        monkeypatch.setenv(store.STORE_ENV, mode)
        everything, _ = plan_batch(city20k, tmp_path / "out", Selection())
        plans[mode] = [(i.caption, i.job.html_path) for i in everything]
    assert plans["never"] == plans["always"] and len(plans["never"]) == 300 * 3 + 3 * 9


def test_the_national_generator_has_the_country_s_shape():
    provinces, districts = {p for p, _, _ in layout()}, layout()
    assert len(provinces) == 31 and 2_700 <= len(districts) <= 2_900 and sum(n for *_, n in districts) == 38_000
    sizes = {}
    for p, _, n in districts:
        sizes[p] = sizes.get(p, 0) + n
    assert max(sizes.values()) <= 4_600 and min(sizes.values()) < 1_000
    rows = list(national_rows(n_bodies=300, n_provinces=3, n_districts=20))
    years = {}
    for r in rows:
        years.setdefault((r["district"], r["body"]), set()).add(r["year"])
    assert sum(len(y) < 3 for y in years.values()) > 5  # some bodies miss a year
    per_body_year = {}
    for r in rows:
        per_body_year.setdefault((r["district"], r["body"], r["year"]), set()).add(r["indicator"])
    assert len({frozenset(v) for v in per_body_year.values()}) > 50  # bodies do not all report the same things
    assert all(r["source"] == "synthetic (test data, not real)" for r in rows)


def test_a_cluster_snapshot_carries_the_store_not_the_csv(city20k, always):
    from fazhi_analysis.batch.cluster import make_snapshot
    from fazhi_analysis.paths import ANNUAL_NOTEBOOK

    names = [name for name, _ in make_snapshot(city20k, {ANNUAL_NOTEBOOK}).data]
    manifest = store.ensure_store(city20k)
    assert "observations.csv" not in names and "catalogue.csv" in names
    assert {f".store/{manifest['observations']}", f".store/{manifest['bodies']}", ".store/manifest.json"} <= set(names)


def test_a_store_from_a_folder_of_district_files_names_each_file(tmp_path, capsys):
    """`fazhi store --from`: one CSV per district, each checked under its own name; a row that repeats
    another district file's row is named with that file."""
    from fazhi_analysis.cli.main import main

    source = make_synthetic_data(tmp_path / "city", 20, 2, (2023,))
    with (source / "observations.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    folder, data = tmp_path / "districts", tmp_path / "data"
    folder.mkdir()
    data.mkdir()
    shutil.copy(source / "catalogue.csv", data / "catalogue.csv")
    for district in ("样本区01", "样本区02"):
        mine = [r for r in rows if r["district"] == district]
        with (folder / f"{district}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=OBSERVATION_COLUMNS)
            writer.writeheader()
            writer.writerows(mine + ([rows[0]] if district == "样本区02" else []))
    assert main(["store", "--data-dir", str(data), "--from", str(folder)]) == 2
    with pytest.raises(DataError) as caught:
        store.ensure_store(data, folder)
    assert {(Path(p.file).name, p.row, p.rule) for p in caught.value.problems} == {
        ("样本区01.csv", 2, "unique_observation"),
        ("样本区02.csv", sum(r["district"] == "样本区02" for r in rows) + 2, "unique_observation")}
    assert any("样本区01.csv 第2行" in p.message_zh for p in caught.value.problems)
    second = folder / "样本区02.csv"
    second.write_text(second.read_text(encoding="utf-8").rsplit("\n", 2)[0] + "\n", encoding="utf-8")
    assert main(["store", "--data-dir", str(data), "--from", str(folder)]) == 0
    assert "存储已建立" in capsys.readouterr().out
    assert main(["store", "--data-dir", str(data), "--from", str(folder)]) == 0
    assert "存储已是最新（数据未变，未重建）" in capsys.readouterr().out  # a build no longer says 已是最新
    assert store.in_use(data) and store.open_store(data).manifest["rows"] == len(rows)
    assert AnnualPage.load(2023, "样本镇0020", str(data)).stats.body.district == "样本区02"


def test_one_page_past_a_district_s_size_still_refuses_a_shared_folder(tmp_path, always):
    """Two bodies of one district, ABC镇 and abc镇, would write one folder on a case-blind disk: `fazhi report`
    through the store refuses the page naming both, from the list the store made when it was built (it no
    longer names the folders of every body to check one: 0.17 s at 38,000)."""
    from fazhi_analysis.errors import ParameterError
    from fazhi_analysis.render.jobs import resolve_run
    from fazhi_analysis.render.params import parse_parameters

    data = make_synthetic_data(tmp_path, 30, 2, (2023,))
    path = data / "observations.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    district = rows[0]["district"]
    names = list(dict.fromkeys(r["body"] for r in rows if r["district"] == district))[:3]
    for row in rows:
        if row["district"] == district and row["body"] in names[:2]:
            row["body"] = "ABC镇" if row["body"] == names[0] else "abc镇"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    built = store.ensure_store(data)
    assert [[b[2] for b in group] for group in built["shared_folders"]] == [["ABC镇", "abc镇"]]
    with pytest.raises(ParameterError, match="输出位置相同") as refused:
        resolve_run(parse_parameters(year=2023, body=f"{district}ABC镇", data_dir=str(data)))
    assert "ABC镇" in refused.value.message and "abc镇" in refused.value.message
    assert resolve_run(parse_parameters(year=2023, body=f"{district}{names[2]}", data_dir=str(data))).name == names[2]

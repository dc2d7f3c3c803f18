"""Two fazhi processes at once on one data directory or one output root: neither loses the other's rows,
neither crashes the other. Real processes, started together."""

import csv
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, left_behind
from test_batch import _small_data

from fazhi_analysis.data.layout import OBSERVATION_COLUMNS
from fazhi_analysis.intake.extract import DRAFT_COLUMNS

FAZHI = [sys.executable, "-m", "fazhi_analysis.cli.main"]
TRIES = 50
WRITERS = ("甲", "乙")
SEED_BODY = ("重庆市", "南岸区", "峡口镇")


def _seed_rows(data: Path) -> list[dict[str, str]]:
    with (data / "observations.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if (r["province"], r["district"], r["body"]) == SEED_BODY]
    return [r for r in rows if r["year"] == "2023"][:3]


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _body(writer: str) -> str:
    """Each writer's fixture body: two new bodies of one district two characters apart (甲甲镇, 乙乙镇), so the
    second to commit does not take the first's for a typo of its own name (是否指 …？)."""
    return f"{writer * 2}镇"


def _incoming(tmp: Path, seed: list[dict[str, str]], writer: str, year: int) -> Path:
    """Three new rows for one fixture body and year: a workbook-layout CSV on even tries (`fazhi import`),
    a reviewed draft on odd tries (`fazhi extract --merge`)."""
    fixture = {"district": "测试区", "body": _body(writer), "year": str(year), "source": "fixture"}
    rows = [{**r, **fixture} for r in seed]
    if year % 2:
        return _write_csv(tmp / f"draft-{writer}-{year}.csv", DRAFT_COLUMNS, rows)
    return _write_csv(tmp / f"import-{writer}-{year}.csv", OBSERVATION_COLUMNS, rows)


def _argv(path: Path, data: Path) -> list[str]:
    if path.name.startswith("draft-"):
        return ["extract", str(path), "--merge", "--data-dir", str(data)]
    return ["import", str(path), "--data-dir", str(data)]


def _writer_loop(files: list[str], data: str, barrier, codes) -> None:
    """One writer process: for each try, wait for the other writer, then merge through the CLI's main()."""
    from fazhi_analysis.cli.main import main

    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (the process ends with the loop)
    for i, path in enumerate(files):
        barrier.wait(timeout=60)
        codes[i] = main(_argv(Path(path), Path(data)))


def _bodies_years(data: Path) -> set[tuple[str, str]]:
    with (data / "observations.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {(r["body"], r["year"]) for r in csv.DictReader(handle) if r["source"] == "fixture"}


def test_concurrent_merges_keep_both_writers_rows_in_every_try(data_copy: Path, tmp_path: Path) -> None:
    """Two processes merge different rows into one data/ at the same moment, TRIES times (imports and
    extract --merge alternating): every try keeps both sets of rows, and both report success."""
    seed = _seed_rows(data_copy)
    years = range(2001, 2001 + TRIES)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(WRITERS))
    codes = {w: context.Array("i", [-1] * TRIES) for w in WRITERS}
    procs = [context.Process(target=_writer_loop, args=(
        [str(_incoming(tmp_path, seed, w, y)) for y in years], str(data_copy), barrier, codes[w]))
        for w in WRITERS]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=300)
    assert [p.exitcode for p in procs] == [0, 0]
    assert {w: set(codes[w]) for w in WRITERS} == {w: {0} for w in WRITERS}
    kept = _bodies_years(data_copy)
    lost = [(w, y) for y in years for w in WRITERS if (_body(w), str(y)) not in kept]
    assert not lost, f"{len(lost)} of {TRIES * len(WRITERS)} merges lost"


def test_two_fazhi_import_commands_at_once_both_keep_their_rows(data_copy: Path, tmp_path: Path) -> None:
    """The same through the installed command line: two `fazhi import` processes started together."""
    seed = _seed_rows(data_copy)
    for attempt, year in enumerate((2060, 2062)):
        files = [_incoming(tmp_path, seed, w, year) for w in WRITERS]
        procs = [subprocess.Popen([*FAZHI, *_argv(f, data_copy)], cwd=REPO, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for f in files]
        outs = [p.communicate(timeout=120) for p in procs]
        for proc, (out, err) in zip(procs, outs, strict=True):
            assert proc.returncode == 0, err
            assert "共新增 3 行" in out and "Traceback" not in err
        assert {(_body(w), str(year)) for w in WRITERS} <= _bodies_years(data_copy), attempt


_HOLD = ("import sys, time; from pathlib import Path; from fazhi_analysis.locks import FolderLock, OUTPUT\n"
         "with FolderLock(Path(sys.argv[1]), OUTPUT):\n    print('held', flush=True); time.sleep(float(sys.argv[2]))")


def _holding(folder: Path, seconds: float) -> subprocess.Popen:
    """Another process holding `folder`'s lock for `seconds` (it says 'held' once it has it)."""
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(folder), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def _count_under_lock(folder: str, times: int) -> None:
    """Read, wait, write a counter `times` times under the folder's lock: without the lock, writers lose counts."""
    import time

    from fazhi_analysis.locks import FolderLock

    counter = Path(folder) / "count.txt"
    for _ in range(times):
        with FolderLock(Path(folder)):
            n = int(counter.read_text()) if counter.exists() else 0
            time.sleep(0.001)
            counter.write_text(str(n + 1))


def test_the_folder_lock_serialises_processes_and_stays_hidden(tmp_path: Path) -> None:
    """Three processes, each adding 1 to a file 100 times under the folder's lock: no count is lost. The lock
    file is hidden, named as fazhi's, and no tidying removes it (another run may be waiting on it)."""
    from fazhi_analysis.atomic import tidy_dead_temporaries
    from fazhi_analysis.locks import OUTPUT, tidy_output_root

    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=_count_under_lock, args=(str(tmp_path), 100)) for _ in range(3)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    assert (tmp_path / "count.txt").read_text() == "300"
    assert tidy_dead_temporaries(tmp_path) == tidy_output_root(tmp_path) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [OUTPUT.lock_file, "count.txt"]
    assert OUTPUT.lock_file.startswith(".") and "fazhi" in OUTPUT.lock_file


def test_a_waiting_run_says_why_and_gives_up_with_ebusy(tmp_path: Path, capsys) -> None:
    """A run that finds the folder locked says so on stderr, and past its limit stops with OutputError
    (EBUSY), naming the folder, instead of waiting for ever."""
    from dataclasses import replace

    from fazhi_analysis.errors import OutputError
    from fazhi_analysis.locks import OUTPUT, FolderLock

    holder = _holding(tmp_path, 30)
    try:
        with pytest.raises(OutputError) as refused, FolderLock(tmp_path, replace(OUTPUT, wait_s=1)):
            pass
    finally:
        holder.kill()
        holder.wait()
    assert refused.value.code == "EBUSY" and "占用超过 1 秒，未生成" in str(refused.value)
    assert "另一个 fazhi 进程正在生成" in capsys.readouterr().err


def test_a_killed_holder_leaves_no_lock_that_blocks(tmp_path: Path) -> None:
    """SIGKILL of the process holding the lock: its lock file stays, and the next run takes the lock at once
    (the operating system released it with the process)."""
    import time

    from fazhi_analysis.locks import OUTPUT, FolderLock

    holder = _holding(tmp_path, 600)
    holder.kill()
    holder.wait()
    assert (tmp_path / OUTPUT.lock_file).exists()
    started = time.monotonic()
    with FolderLock(tmp_path):
        assert time.monotonic() - started < 1


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([*FAZHI, *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(procs: list[subprocess.Popen]) -> list[tuple[int, str, str]]:
    outputs = [p.communicate(timeout=300) for p in procs]
    return [(p.returncode, *o) for p, o in zip(procs, outputs, strict=True)]


def _complete_outputs(out: Path) -> None:
    """Every final file is whole, and no run's temporary file is left."""
    htmls = list(out.rglob("*.html"))
    assert htmls
    for html in htmls:
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>"), html
    assert left_behind(out) == []


@pytest.mark.kernel
def test_two_reports_of_the_same_page_at_once_both_succeed(tmp_path: Path) -> None:
    """`fazhi report & fazhi report & wait`: the second waits for the first's folder lock, then builds;
    neither removes the other's scratch notebook."""
    out = tmp_path / "out"
    results = _finish([_start("report", "--output-root", str(out)) for _ in range(2)])
    for code, _, err in results:
        assert code == 0 and "Traceback" not in err, err
    _complete_outputs(out)
    assert len(list(out.rglob("*.ipynb"))) == 1


@pytest.mark.kernel
def test_report_during_two_batches_on_one_output_root(data_copy: Path, tmp_path: Path) -> None:
    """Two `fazhi batch --force` runs and a `fazhi report` on one output root at once: all succeed, every
    page is whole, index.html is whole."""
    data = _small_data(data_copy, ["示例镇甲"])
    out = tmp_path / "out"
    batch = ("batch", "--data-dir", str(data), "--output-root", str(out), "--workers", "1", "--force",
             "--no-overview")
    results = _finish([_start(*batch), _start(*batch), _start("report", "--data-dir", str(data),
                                                                "--output-root", str(out))])
    for code, stdout, err in results:
        assert code == 0 and "Traceback" not in err, stdout + err
    _complete_outputs(out)
    assert (out / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")

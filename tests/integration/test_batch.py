"""fazhi batch as a real process: failure isolation, incremental skip, byte-stable HTML, a killed batch, bad
data stopping it. Each test works on a tmp copy of data/ cut down to a few bodies and a tmp output root,
and builds reports in real Jupyter kernels. The manifest, year and index checks are in
tests/unit/test_batch_plan.py."""

import csv
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, left_behind, require

from fazhi_analysis.batch.fingerprint import sidecar_path

SEED_BODY = ("重庆市", "南岸区", "峡口镇")
BROKEN_BODY = "示例坏镇"  # fixture: its report fails on purpose (see broken_notebook)


def _kernel_available() -> None:
    require(importlib.util.find_spec("ipykernel") is not None, "ipykernel is not installed: no Jupyter kernel")


def _small_data(data_copy: Path, extra_bodies: list[str]) -> Path:
    """The seed body's rows, plus copies of them under fixture bodies (marked 'fixture' in source)."""
    path = data_copy / "observations.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    seed = [r for r in rows if (r["province"], r["district"], r["body"]) == SEED_BODY]
    out = seed + [{**r, "district": "测试区", "body": name, "source": "fixture"} for name in extra_bodies for r in seed]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(out)
    return data_copy


def _broken_notebook(tmp_path: Path) -> Path:
    """The annual notebook plus one cell that fails for the fixture body only, as a broken figure would."""
    nb = json.loads((REPO / "notebooks" / "annual_report.ipynb").read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "fixture-broken", "metadata": {},
                        "outputs": [], "source": f'assert {BROKEN_BODY!r} not in body, "fixture: broken on purpose"'})
    path = tmp_path / "annual_report_fixture.ipynb"
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return path


def _batch(data: Path, out: Path, *extra: str, **popen) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "fazhi_analysis.cli.main", "batch", "--data-dir", str(data), "--output-root", str(out),
           "--workers", "2", *extra]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=REPO, **popen)


def _htmls(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.html")) if p.name != "index.html"}


@pytest.mark.kernel
def test_one_broken_body_fails_alone(data_copy: Path, tmp_path: Path) -> None:
    _kernel_available()
    data = _small_data(data_copy, ["示例镇甲", BROKEN_BODY])
    out = tmp_path / "out"
    result = _batch(data, out, "--no-overview", "--notebook", str(_broken_notebook(tmp_path)))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    built = [p for p in out.rglob("*数据分析.html")]
    assert {p.parent.parent.name for p in built} == {"南岸区-峡口镇", "测试区-示例镇甲"}
    assert all(sidecar_path(p).is_file() for p in built)
    failed = list(out.rglob("*.failed.ipynb"))
    assert [p.parent.parent.name for p in failed] == [f"测试区-{BROKEN_BODY}"]
    assert "fixture: broken on purpose" in failed[0].read_text(encoding="utf-8")
    assert "失败" in result.stdout and BROKEN_BODY in result.stdout
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "fixture: broken on purpose" in index and ".failed.ipynb" in index


@pytest.mark.kernel
def test_rerun_skips_and_forced_runs_are_byte_identical(data_copy: Path, tmp_path: Path) -> None:
    _kernel_available()
    data = _small_data(data_copy, ["示例镇甲"])
    out = tmp_path / "out"
    first = _batch(data, out, "--force")
    assert first.returncode == 0, first.stdout + first.stderr
    before = _htmls(out)
    assert len([k for k in before if "数据分析.html" in k]) == 2
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*.html") if p.name != "index.html"}

    second = _batch(data, out)
    assert second.returncode == 0, second.stderr
    assert "生成 0，" in second.stdout and "失败 0" in second.stdout
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes  # nothing rewritten

    forced = _batch(data, out, "--force")
    assert forced.returncode == 0, forced.stderr
    assert _htmls(out) == before

    observations = data / "observations.csv"  # change one body's figure: only that report is rebuilt
    lines = observations.read_text(encoding="utf-8").split("\n")
    lines = [line.replace(",admin_penalty_decisions_count,54,", ",admin_penalty_decisions_count,55,")
             if ",示例镇甲,2023," in line else line for line in lines]
    observations.write_text("\n".join(lines), encoding="utf-8")
    changed = _batch(data, out, "--no-overview")
    assert changed.returncode == 0, changed.stderr
    assert "生成 1，未变跳过 1" in changed.stdout


@pytest.mark.kernel
def test_killed_batch_leaves_no_partial_file_and_rerun_completes(data_copy: Path, tmp_path: Path) -> None:
    _kernel_available()
    data = _small_data(data_copy, ["示例镇甲", "示例镇乙", "示例镇丙"])
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "fazhi_analysis.cli.main", "batch", "--data-dir", str(data), "--output-root", str(out),
           "--workers", "1", "--no-overview"]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while not list(out.rglob("*.fingerprint.json")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    for html in out.rglob("*.html"):  # whatever sits at a final path is complete
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>"), html
    for sidecar in out.rglob("*.fingerprint.json"):
        assert json.loads(sidecar.read_text(encoding="utf-8"))["fingerprint"]

    rerun = _batch(data, out, "--no-overview")
    assert rerun.returncode == 0, rerun.stderr
    assert len(list(out.rglob("*数据分析.html"))) == 4
    assert not left_behind(out)  # temporary files of the killed run are gone


@pytest.mark.kernel
def test_bad_data_stops_the_batch_before_any_report(data_copy: Path, tmp_path: Path) -> None:
    _kernel_available()
    observations = data_copy / "observations.csv"
    lines = observations.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",54,", ",abc,", 1)
    observations.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    result = _batch(data_copy, out, "--no-overview")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "第2行 列 value" in result.stderr and "value_is_number" in result.stderr
    assert not out.exists() or not list(out.rglob("*.html"))

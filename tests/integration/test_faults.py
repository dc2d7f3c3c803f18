"""Disk and permission faults through the real CLI: a full disk (a size-limited tmpfs), a read-only output
root (a tmpfs remounted read-only), an output root that is a file, unreadable data (root without
CAP_DAC_OVERRIDE via setpriv, since root ignores chmod). Each gives exit 2 with a message naming the path
and no traceback, and every file that was there before stays byte-identical. Mounting needs root: skipped
locally without it, a failure on CI."""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import REPO, left_behind, require
from test_batch import _kernel_available, _small_data

FAZHI = [sys.executable, "-m", "fazhi_analysis.cli.main"]
NO_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]  # root that obeys file modes


def fazhi(*args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, *FAZHI, *args], cwd=REPO, capture_output=True, text=True, timeout=300)


@contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                             capture_output=True, text=True) if shutil.which("mount") else None
    require(mounted is not None and mounted.returncode == 0,
            f"cannot mount a tmpfs (needs root): {mounted.stderr.strip() if mounted else 'no mount command'}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def remount_read_only(path: Path) -> None:
    done = subprocess.run(["mount", "-o", "remount,ro", str(path)], capture_output=True, text=True)
    require(done.returncode == 0, f"cannot remount read-only: {done.stderr.strip()}")


def fill(path: Path, leave_bytes: int) -> None:
    """Fill the filesystem of `path` until about `leave_bytes` are free."""
    stat = os.statvfs(path)
    to_write = stat.f_bavail * stat.f_frsize - leave_bytes
    with (path / "filler").open("ab") as handle:
        try:
            handle.write(b"\0" * max(0, to_write))
            handle.flush()
        except OSError:
            pass


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            and p.name != "filler"}


def assert_clean_refusal(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.mark.kernel
def test_full_disk_at_every_stage_of_a_report_keeps_the_previous_outputs(tmp_path: Path) -> None:
    """The disk fills while papermill writes, while the analyst HTML is staged, and while the leadership
    HTML is staged: each time exit 2 naming the file and 磁盘已满, and the previous HTML, analyst HTML and
    notebook are byte-identical, with no temporary file left."""
    _kernel_available()
    with tmpfs(tmp_path / "disk", "1m") as out:
        assert fazhi("report", "--output-root", str(out)).returncode == 0
        before = snapshot(out)
        size = {name.rsplit(".", 1)[-1] if "analyst" not in name else "analyst": len(data)
                for name, data in before.items()}
        leave = {"the notebook": size["ipynb"] // 2, "the analyst HTML": size["ipynb"] + size["analyst"] // 2,
                 "the HTML": size["ipynb"] + size["analyst"] + size["html"] // 2}
        named = set()
        for stage, free in leave.items():
            (out / "filler").unlink(missing_ok=True)
            fill(out, free)
            result = fazhi("report", "--output-root", str(out))
            assert_clean_refusal(result, "磁盘已满", "ENOSPC", str(out))
            named.add(result.stderr.split("：")[0].rsplit(".", 1)[-1])
            assert snapshot(out) == before, stage
            assert left_behind(out) == [], stage
        assert {"ipynb", "html"} <= named  # failures both before and during the commit of the outputs


@pytest.mark.kernel
def test_full_disk_stops_a_batch_with_one_message(data_copy: Path, tmp_path: Path) -> None:
    """A full output root stops `fazhi batch` with exit 2 (no traceback from the index page, no report
    half-replaced), instead of failing item after item."""
    _kernel_available()
    data = _small_data(data_copy, ["示例镇甲", "示例镇乙"])
    with tmpfs(tmp_path / "disk", "2m") as out:
        args = ("batch", "--data-dir", str(data), "--output-root", str(out), "--workers", "2", "--no-overview")
        assert fazhi(*args).returncode == 0
        before = snapshot(out)
        fill(out, 0)
        result = fazhi(*args, "--force")
        assert_clean_refusal(result, "批处理已停止", "磁盘已满")
        assert snapshot(out) == before
        assert left_behind(out) == []


@pytest.mark.kernel
def test_read_only_output_root_is_refused_and_left_alone(data_copy: Path, tmp_path: Path) -> None:
    _kernel_available()
    data = _small_data(data_copy, [])
    with tmpfs(tmp_path / "disk", "2m") as out:
        assert fazhi("report", "--output-root", str(out)).returncode == 0
        before = snapshot(out)
        remount_read_only(out)
        assert_clean_refusal(fazhi("report", "--output-root", str(out)), "只读", "EROFS", str(out))
        forced = fazhi("batch", "--data-dir", str(data), "--output-root", str(out), "--workers", "1", "--force")
        assert_clean_refusal(forced, "只读", "EROFS")
        assert snapshot(out) == before


def test_output_root_that_is_a_file_is_refused(tmp_path: Path) -> None:
    a_file = tmp_path / "outputs"
    a_file.write_text("not a folder", encoding="utf-8")
    for command in ("report", "batch"):
        result = fazhi(command, "--output-root", str(a_file))
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert "outputs" in result.stderr
    assert a_file.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("unreadable", ["observations.csv", "catalogue.csv"])
def test_unreadable_data_file_is_named(unreadable: str, data_copy: Path, tmp_path: Path) -> None:
    """Every command that reads data/ names the unreadable file and says 没有权限, exit 2."""
    require(shutil.which("setpriv") is not None and os.geteuid() == 0,
            "needs root and setpriv (root ignores file modes unless CAP_DAC_OVERRIDE is dropped)")
    (data_copy / unreadable).chmod(0)
    incoming = tmp_path / "in.csv"
    incoming.write_text((REPO / "data" / "observations.csv").read_text(encoding="utf-8").splitlines()[0] + "\n",
                        encoding="utf-8")
    out = tmp_path / "out"
    d = ("--data-dir", str(data_copy))
    for args in (("validate", str(data_copy)), ("report", *d, "--output-root", str(out)),
                 ("batch", *d, "--output-root", str(out)), ("import", str(incoming), *d)):
        result = fazhi(*args, prefix=tuple(NO_DAC))
        assert result.returncode == 2, (args, result.stdout + result.stderr)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        assert unreadable in result.stderr and "没有权限" in result.stderr, (args, result.stderr)
    assert not out.exists()

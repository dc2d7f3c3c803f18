"""The rules behind issue 23's cases, one by one and fast: what a bounded read accepts, how fazhi names its
temporary files, exclusive creation under a race, output paths that cannot meet, and the short private
folder for sockets. Which temporaries a run removes (a real process killed mid-write) is
tests/integration/test_dead_temporaries.py."""

import errno
import os
import socket
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi_analysis import atomic, procs
from fazhi_analysis.atomic import read_regular
from fazhi_analysis.errors import DataError, OutputError, ParameterError
from fazhi_analysis.outputs import colliding, path_key, safe_slug


# --- bounded reads -----------------------------------------------------------------------------------------
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "raw.txt"
    os.mkfifo(fifo)
    with pytest.raises(DataError) as refused:  # opening it for reading would block until a writer came
        read_regular(fifo, 100)
    assert refused.value.problems[0].rule == "file_is_regular" and "FIFO" in str(refused.value)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_link_to_a_device_is_refused_unread(tmp_path, device):
    link = tmp_path / "raw.txt"
    link.symlink_to(device)
    with pytest.raises(DataError, match="字符设备"):
        read_regular(link, 100)


def test_a_directory_and_an_oversized_file_are_refused_and_a_link_to_a_file_is_read(tmp_path):
    with pytest.raises(DataError, match="目录"):
        read_regular(tmp_path, 100)
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 101)
    with pytest.raises(DataError) as refused:
        read_regular(big, 100)
    assert refused.value.problems[0].rule == "file_size"
    (tmp_path / "link.csv").symlink_to(big)
    assert read_regular(tmp_path / "link.csv", 101) == b"x" * 101  # data kept on a shared drive, linked
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "missing.csv", 100)


# --- which temporary files are fazhi's to remove ---------------------------------------------------------------
def test_temporary_names_carry_the_machine_and_the_owner():
    name = atomic.temp_prefix()
    host = atomic._host_tag()
    assert name.startswith(f".fazhi-{host}-{os.getpid()}-") and len(host) == 6
    assert host == __import__("hashlib").sha256(socket.gethostname().encode()).hexdigest()[:6]


# --- exclusive creation --------------------------------------------------------------------------------------------
def test_of_many_writers_of_one_new_file_exactly_one_succeeds(tmp_path):
    target, outcomes = tmp_path / "same.csv", []
    start = threading.Barrier(12)

    def write(n: int) -> None:
        start.wait()
        try:
            atomic.write_bytes_exclusive(target, f"writer {n}\n".encode() * 1000)
            outcomes.append(n)
        except OutputError as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if isinstance(o, int)]
    assert len(winners) == 1 and outcomes.count("EEXIST") == 11
    assert target.read_bytes() == f"writer {winners[0]}\n".encode() * 1000  # whole, the winner's
    assert [p.name for p in tmp_path.iterdir()] == ["same.csv"]


def test_without_hard_links_the_file_is_created_with_o_excl(tmp_path, monkeypatch):
    def no_links(*args):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(atomic.os, "link", no_links)
    atomic.write_bytes_exclusive(tmp_path / "a.csv", b"first")
    with pytest.raises(OutputError, match="已存在"):
        atomic.write_bytes_exclusive(tmp_path / "a.csv", b"second")
    assert (tmp_path / "a.csv").read_bytes() == b"first" and len(list(tmp_path.iterdir())) == 1


def test_a_non_regular_file_is_never_replaced(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")
    (tmp_path / "link.csv").symlink_to(tmp_path / "elsewhere.csv")
    for name in ("pipe.csv", "link.csv"):
        with pytest.raises(OutputError, match="不是普通文件"):
            atomic.write_output(tmp_path / name, b"data", force=True)
    assert not (tmp_path / "elsewhere.csv").exists()


# --- output paths --------------------------------------------------------------------------------------------------
def test_the_issues_two_bodies_get_two_folders():
    assert safe_slug("南岸区-甲", "乙镇") != safe_slug("南岸区", "甲-乙镇")
    assert safe_slug("南岸区", "峡口镇") == "南岸区-峡口镇"  # an ordinary name stays readable


@given(st.tuples(st.text(max_size=12), st.text(max_size=12)), st.tuples(st.text(max_size=12), st.text(max_size=12)))
def test_different_bodies_never_share_a_slug(a, b):
    if a != b:
        assert path_key(Path(safe_slug(*a))) != path_key(Path(safe_slug(*b))) or a[0].casefold() == b[0].casefold()


@given(st.lists(st.text(min_size=1, max_size=70), min_size=1, max_size=3))
def test_slugs_fit_a_file_name(parts):
    assert len(safe_slug(*parts).encode("utf-8", "surrogatepass")) <= 180


def test_paths_that_meet_on_a_case_blind_disk_are_found_with_both_names():
    assert colliding({"ABC镇": Path("out/测试区-ABC镇"), "abc镇": Path("out/测试区-abc镇")}) == (
        "ABC镇", "abc镇", Path("out/测试区-abc镇"))
    assert colliding({"甲": Path("out/a"), "乙": Path("out/b")}) is None


# --- sockets ---------------------------------------------------------------------------------------------------
def test_a_tmpdir_too_long_for_sockets_gives_a_short_private_folder(tmp_path, monkeypatch):
    long = tmp_path / ("法" * 28 + "x")
    long.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(long))
    monkeypatch.setenv("TMPDIR", str(long))
    short = Path(tempfile.mkdtemp(dir="/tmp"))  # a short base, as /tmp is
    try:
        monkeypatch.setattr(procs, "SHORT_BASES", ("/nonexistent-short-base", str(short)))
        folder = procs.ensure_socket_room()
        assert folder is not None and folder.parent == short and oct(folder.stat().st_mode & 0o777) == "0o700"
        assert tempfile.gettempdir() == str(folder) == os.environ["TMPDIR"]
        assert procs.leaves_socket_room(str(folder)) and not procs.leaves_socket_room(str(long))
    finally:
        import shutil

        shutil.rmtree(short, ignore_errors=True)


def test_without_a_usable_short_folder_the_cause_is_named(tmp_path, monkeypatch):
    long = tmp_path / ("法" * 28 + "x")
    long.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(long))
    monkeypatch.setattr(procs, "SHORT_BASES", ("/nonexistent-short-base",))
    with pytest.raises(ParameterError, match="TMPDIR"):
        procs.ensure_socket_room()

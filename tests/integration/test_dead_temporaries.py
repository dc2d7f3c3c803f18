"""Which temporary files a run may remove: only those of a fazhi process that died (a real one, killed by
SIGKILL mid-write), on this machine; never a live run's, another machine's, or a user's file of a like name."""

import os

from conftest import leave_dead_temporary

from fazhi_analysis import atomic


def test_only_dead_owners_temporaries_on_this_machine_are_removed(tmp_path):
    dead = leave_dead_temporary(tmp_path)
    fd, live = atomic.new_temp(tmp_path)  # this process: alive
    os.close(fd)
    other_host = tmp_path / f".fazhi-ffffff-{dead.name.split('-')[2]}-1-abcdefgh.tmp"
    other_host.write_text("a run on another machine, on a shared drive", encoding="utf-8")
    users = [tmp_path / n for n in (".notes.tmp", ".analysis.running.ipynb", ".report.html.k1ll3d.tmp",
                                    ".fazhi-notes.tmp")]
    for path in users:
        path.write_text("the user's", encoding="utf-8")
    as_link = tmp_path / dead.name.replace(".tmp", "x.tmp")
    as_link.symlink_to(tmp_path / ".notes.tmp")  # named like ours, but not a regular file

    assert atomic.tidy_dead_temporaries(tmp_path) == 1
    assert not dead.exists()
    assert live.exists() and other_host.exists() and as_link.is_symlink()
    assert all(p.read_text(encoding="utf-8") == "the user's" for p in users)

"""The `fazhi` command itself as a real process, for the commands no other integration test starts that way
(export, store) and for the top level: exit codes, no traceback, Chinese output as UTF-8. What each command
does is tested through main(argv) in tests/unit."""

import corpus
from conftest import REPO


def test_no_command_prints_the_commands_and_exits_2():
    run = corpus.fazhi()
    assert run.returncode == 2 and not run.traceback
    assert "report" in run.stdout and "validate" in run.stdout and "法治" in run.stdout


def test_help_exits_0_and_an_unknown_command_exits_2():
    assert corpus.fazhi("--help").returncode == 0
    wrong = corpus.fazhi("reprot")
    assert wrong.returncode == 2 and "reprot" in wrong.stderr and not wrong.traceback


def test_export_as_a_process(tmp_path):
    target = tmp_path / "汇总.xlsx"
    args = ("export", "--year", "2025", "--district", "巫溪县", "-o", str(target))
    run = corpus.fazhi(*args)
    assert run.returncode == 0 and target.stat().st_size > 0 and not run.traceback, run.stderr
    again = corpus.fazhi(*args)
    assert again.returncode == 2 and "已存在" in again.stderr and not again.traceback


def test_store_as_a_process(data_copy):
    run = corpus.fazhi("store", "--data-dir", str(data_copy))
    assert run.returncode == 0 and not run.traceback, run.stderr
    assert (data_copy / ".store").is_dir()
    missing = corpus.fazhi("store", "--data-dir", str(data_copy), "--from", str(REPO / "no-such-folder"))
    assert missing.returncode == 2 and not missing.traceback, missing.stderr

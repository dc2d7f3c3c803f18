"""`fazhi report` with a parameter the data cannot meet, through main(argv): exit 2 naming what exists, no
traceback, nothing written, and no kernel started (the check comes before any). The report built in a real
kernel, and these refusals as a real process, are tests/integration/test_report_build.py."""

import corpus
import pytest

from fazhi_analysis.render.kernel import WarmKernel


@pytest.fixture(autouse=True)
def no_kernel(monkeypatch):
    def refuse(self):
        raise AssertionError("a kernel was started for a parameter the data cannot meet")

    monkeypatch.setattr(WarmKernel, "start", refuse)


def test_unknown_year_fails_naming_the_years_that_exist(tmp_path):
    run = corpus.fazhi_main("report", "--year", "2022", "--output-root", str(tmp_path))
    assert run.returncode == 2 and not run.traceback, run.stderr
    assert "2023" in run.stderr and "2022" in run.stderr
    assert not any(tmp_path.iterdir()), "nothing may be written for a bad parameter"


def test_unknown_body_lists_the_bodies(tmp_path):
    run = corpus.fazhi_main("report", "--unit", "不存在镇", "--output-root", str(tmp_path))
    assert run.returncode == 2 and "峡口镇" in run.stderr and not run.traceback, run.stderr
    assert not any(tmp_path.iterdir())


def test_a_signal_that_lands_in_a_late_import_is_still_an_interruption(monkeypatch, capsys):
    """CI caught `fazhi batch` printing a traceback on SIGTERM: the signal landed while pandera's dtypes were
    being imported, and Python 3.11 wraps an exception raised in a class body's __set_name__ as
    RuntimeError("Error calling __set_name__ on 'Field' instance 'exact' in 'Decimal'"). The command now
    ends as interrupted (exit 128 + 15, one line), whatever wraps the signal."""
    import signal

    from fazhi_analysis.cli import main as cli_main
    from fazhi_analysis.cli import validate
    from fazhi_analysis.procs import Terminated

    def wrapped(args):
        try:
            raise Terminated(signal.SIGTERM)
        except Terminated as terminated:
            raise RuntimeError("Error calling __set_name__ on 'Field' instance 'exact' in 'Decimal'") from terminated

    monkeypatch.setattr(validate, "run", wrapped)
    assert cli_main._run(["validate"]) == (143, "validate")
    assert capsys.readouterr().err == "fazhi: 已中断 (interrupted)\n"
    assert cli_main._interrupt_behind(ValueError("a plain error")) is None

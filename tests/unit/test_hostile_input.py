"""Hostile text through the CLI's main(argv) (--unit) and through the data (body, district, expr, source):
nothing runs, the notebook's injected parameters are inert literals. The report of such data in the real
browser (no script, no dialog, outputs inside the output root) is tests/integration/test_hostile_report.py."""

import ast

import corpus
import pytest

from fazhi_analysis.errors import ParameterError
from fazhi_analysis.render.engine import LiteralPythonTranslator
from fazhi_analysis.render.params import parse_parameters

CANARY, PYTHON_PAYLOAD, IMG_PAYLOAD = corpus.CANARY, corpus.PYTHON_PAYLOAD, corpus.IMG_PAYLOAD
PAYLOADS = [PYTHON_PAYLOAD, corpus.SCRIPT_PAYLOAD, IMG_PAYLOAD, "{{7*7}}", "\"'\\", "a\nb", "镇\x00", "../../etc",
            "a/b", "${7*7}", "%(x)s{0}"]


@pytest.fixture(autouse=True)
def _no_canary():
    CANARY.unlink(missing_ok=True)
    yield
    assert not CANARY.exists(), "a payload ran: the canary file was created"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_parameters_are_inert_literals(payload):
    """Control characters are refused; anything else is injected as one Python literal per name."""
    try:
        params = parse_parameters(body=payload)
    except ParameterError:
        assert any(c in payload for c in "\n\x00")
        return
    source = LiteralPythonTranslator.codify(params.notebook_parameters())
    tree = ast.parse(source)
    assigned = {}
    for statement in tree.body:
        assert isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant), source
        assigned[statement.targets[0].id] = statement.value.value
    assert assigned == params.notebook_parameters()


@pytest.mark.parametrize("payload", [PYTHON_PAYLOAD, IMG_PAYLOAD, "a\nb", "../../etc"])
def test_cli_unit_payload_is_refused_cleanly(payload, tmp_path):
    out = tmp_path / "outputs"
    run = corpus.fazhi_main("report", "--unit", payload, "--output-root", str(out))
    assert run.returncode == 2 and not run.traceback, run.stderr
    assert not out.exists()


def test_hostile_data_validates(tmp_path):
    run = corpus.fazhi_main("validate", str(corpus.hostile_data(tmp_path)))
    assert run.returncode == 0 and not run.traceback, run.stdout + run.stderr



"""Every case of the bad-input corpus (tests/bad_inputs/cases.yaml) through the loader and the CLI's
main(argv): accepted with its documented normalisation, or rejected naming file, row, column, value and
rule — exit 2, no traceback, and nothing in the data or the output directory written or overwritten.
The accepted cases' reports (a kernel), the cases checked in a second process and the same CLI as a real
process are in tests/integration/test_bad_input_cli.py."""

import corpus
import pytest

from fazhi_analysis.render.kernel import WarmKernel

CASES = corpus.cases()
BY_ID = {c["id"]: c for c in CASES}
IN_PROCESS = [c["id"] for c in CASES if c["id"] not in corpus.POOLED]


def test_corpus_is_large_and_covers_both_outcomes():
    assert len(CASES) >= 30
    assert {c["expect"] for c in CASES} == {"accepted", "rejected"}
    assert len(BY_ID) == len(CASES)
    assert corpus.POOLED <= set(BY_ID)


@pytest.mark.parametrize("case_id", IN_PROCESS)
def test_loader_gives_the_recorded_outcome(case_id, tmp_path):
    corpus.check_loader(BY_ID[case_id], tmp_path)


# rules across rows: an import checks them on the merged table, not row by row
ACROSS_ROWS = {"unique_observation", "indicator_once", "part_within_whole", "total_not_below_parts", "file_has_rows"}
ROW_CASES = [c["id"] for c in CASES if c["expect"] == "rejected" and c["target"] == "observations.csv"
             and c["rule"] not in ACROSS_ROWS and c.get("generate") != "huge_100mb"]


@pytest.mark.parametrize("case_id", ROW_CASES)
def test_an_import_of_the_same_rows_breaks_the_same_rule(case_id, tmp_path):
    """One set of rules: the case's file, imported as rows (`fazhi import file.csv`), is refused with the
    rule, row and column that validating it as data/observations.csv gives."""
    from fazhi_analysis.data.dataset import load_catalogue
    from fazhi_analysis.data.merge import known_names
    from fazhi_analysis.errors import DataError
    from fazhi_analysis.intake.excel import read_entries

    case = BY_ID[case_id]
    incoming = corpus.materialise(case, tmp_path) / "observations.csv"
    data_dir = corpus.HERE / "base"  # what the rows are imported into (read only here)
    with pytest.raises(DataError) as refused:
        read_entries(incoming, load_catalogue(data_dir), known_names(data_dir))
    found = [(p.row, p.column, p.rule) for p in refused.value.problems]
    assert any(r == case["row"] and (case["column"] is None or c == case["column"]) and u == case["rule"]
               for r, c, u in found), (case["row"], case["column"], case["rule"], found)


@pytest.mark.parametrize("case_id", IN_PROCESS)
def test_validate_cli(case_id, tmp_path):
    corpus.check_validate(BY_ID[case_id], tmp_path)


@pytest.fixture
def kernel_not_booted(monkeypatch):
    """`fazhi report` boots its kernel while it checks the data; here the boot is left out (no process), so a
    rejected case must stop at the data: were it let through, the page could not be built (exit 1, not 2)."""
    monkeypatch.setattr(WarmKernel, "start", lambda self: self)


@pytest.mark.parametrize("case_id", [i for i in IN_PROCESS if BY_ID[i]["expect"] == "rejected"])
def test_report_cli_refuses(case_id, tmp_path, kernel_not_booted):
    """A rejected case leaves a previous good report byte for byte."""
    corpus.check_report_refused(BY_ID[case_id], tmp_path)

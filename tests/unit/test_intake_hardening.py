"""Issue 15, the input side: every hostile input of tests/bad_inputs/intake.py through the CLI's main(argv)
(exit and rule, no traceback, nothing the user had overwritten), extraction's growth with the text, and
properties of the name and numeral rules. The peak memory of a real process and the commands as real
processes are in tests/integration/test_intake_processes.py."""

import resource
import time

import corpus
import intake
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi_analysis.data.csv_input import PLAIN_NUMBER_CHARS, numeral_problem, parse_number, parse_year
from fazhi_analysis.data.names import MAX_NAME_CHARS, name_problem, skeleton

BY_ID = {c.id: c for c in intake.CASES}
MB = 1024 * 1024


@pytest.mark.parametrize("case_id", list(BY_ID))
def test_hostile_intake_gives_its_rule_and_no_traceback(case_id, tmp_path):
    case = BY_ID[case_id]
    data = intake.data_dir(tmp_path)
    args, stdin = case.build(tmp_path, data)
    before = corpus.tree(data)
    run = corpus.fazhi_main(*args, stdin=stdin)
    assert not run.traceback, run.stderr
    assert run.returncode == case.code, run.stdout + run.stderr
    if case.rule:
        assert case.rule in run.stdout + run.stderr
    if case.code == 2:
        assert corpus.tree(data) == before  # nothing written to data/


def test_gbk_on_stdin_gives_the_right_draft(tmp_path):
    data = intake.data_dir(tmp_path)
    run = corpus.fazhi_main("extract", "-", "--unit", "峡口镇", "--year", "2024", "--data-dir", str(data),
                       stdin=intake.SEED_GBK)
    assert run.returncode == 0, run.stderr
    assert "人民调解委员会8个" in run.stdout and ",8," in run.stdout and ",49," in run.stdout


def test_stdin_is_capped_in_memory():
    """25 MB on stdin: refused having read no more than the limit and one byte."""
    from fazhi_analysis.intake.reading import MAX_REPORT_BYTES

    run = corpus.fazhi_main("check", "-", stdin=b"x" * (25 * MB))
    assert run.returncode == 2 and "file_size" in run.stderr and not run.traceback, run.stderr
    assert run.stdin_read_bytes == MAX_REPORT_BYTES + 1


def _best_seconds(work, *args, repeats: int = 3) -> tuple[float, list]:
    """The fastest of a few runs of work(*args) (what the code costs, less what the machine's other work
    added), and what the work gave."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        result = work(*args)
        best = min(best, time.perf_counter() - started)
    return best, result


def test_extraction_grows_linearly_with_the_text():
    """Four times the text costs about four times as long (issue 15's 20,000 paragraphs were quadratic:
    sixteen times). Both sizes are timed in this run, so a busy machine slows both; the seconds themselves
    are benchmarks/extraction_scaling.py's."""
    from fazhi_analysis.data.dataset import load_catalogue
    from fazhi_analysis.intake.extract import Reporter, extract

    catalogue = load_catalogue()
    reporter = Reporter("重庆市", "南岸区", "峡口镇", 2024)

    def paragraphs(n: int) -> str:
        return "\n".join(f"第{i % 9 + 1}组开展普法宣传{i % 97 + 1}次。" for i in range(n))

    def dense(n: int) -> str:  # one sentence without an end, as a pasted table gives
        return "开展普法宣传12次举办讲座4期" * n

    for text, figures_each in ((paragraphs, 1), (dense, 2)):
        small_s, _ = _best_seconds(extract, text(400), catalogue, reporter, "t")
        large_s, rows = _best_seconds(extract, text(1_600), catalogue, reporter, "t")
        assert len(rows) == 1_600 * figures_each
        ratio = large_s / small_s
        assert ratio < 8, f"{text.__name__}: 4 × the text took {ratio:.1f} × as long (linear: 4, quadratic: 16)"
    seed = (corpus.REPO / "data" / "raw" / "重庆市南岸区峡口镇_2023.txt").read_text(encoding="utf-8")
    copies = 50 * 22 * 28 // len(seed) + 1  # about 50 pages, a long real report: every copy's figures read
    once = len(extract(seed, catalogue, reporter, "t"))
    assert once >= 20 and len(extract("\n".join([seed] * copies), catalogue, reporter, "t")) == once * copies


def test_template_text_is_never_a_formula(tmp_path):
    """Even when the data already holds formula-like text (written before the rule existed), every
    text cell the template writes is a string."""
    import zipfile

    import pandas as pd

    from fazhi_analysis.data.dataset import Body, Dataset, load_dataset
    from fazhi_analysis.intake.template import write_template

    dataset = load_dataset(intake.data_dir(tmp_path))
    observations = dataset.observations.copy()
    observations["expr"] = "=cmd|' /C calc'!A0"
    hostile = Dataset(dataset.catalogue, pd.DataFrame(observations), dataset.data_dir)
    body = Body("重庆市", "南岸区", '=HYPERLINK("http://evil.example","点此")')
    path = tmp_path / "t.xlsx"
    year = int(observations["year"].max()) + 1
    write_template(hostile, Body("重庆市", "南岸区", "峡口镇"), year, path)
    write_template(hostile, body, year, tmp_path / "u.xlsx")
    for written in (path, tmp_path / "u.xlsx"):
        with zipfile.ZipFile(written) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
            assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    assert all(c.data_type != "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)
    assert any(c.value == "=cmd|' /C calc'!A0" for row in wb["填报"].iter_rows() for c in row)


def test_extract_draft_cells_never_start_a_formula(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("=HYPERLINK(1)组建人民调解委员会8个。\n+开展普法12次。", encoding="utf-8")
    run = corpus.fazhi_main("extract", str(report), "--unit", "峡口镇", "--year", "2024", "-o", str(tmp_path / "d.csv"))
    assert run.returncode == 0, run.stderr
    import csv

    for row in csv.DictReader((tmp_path / "d.csv").open(encoding="utf-8")):
        assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values()), row


def test_workbook_name_problem_is_reported_at_the_workbook_cell(tmp_path):
    data = intake.data_dir(tmp_path)
    path = intake.filled(tmp_path, data, intake._set("F2", "峡口\u202e镇"), "b.xlsx")
    run = corpus.fazhi_main("import", str(path), "--data-dir", str(data))
    assert run.returncode == 2
    assert "b.xlsx 第2行 列 F列 主体" in run.stderr and "observations.csv" not in run.stderr


def test_lookalike_body_names_the_existing_one(tmp_path):
    data = intake.data_dir(tmp_path)
    path = intake.filled(tmp_path, data, intake._set("F2", "峡\u2f1d镇"), "k.xlsx")
    run = corpus.fazhi_main("import", str(path), "--data-dir", str(data))
    assert run.returncode == 2 and "“峡口镇”" in run.stderr and "U+2F1D" in run.stderr


def test_import_writes_through_a_symlinked_observations_file(tmp_path):
    data = intake.data_dir(tmp_path)
    real = tmp_path / "shared-drive" / "observations.csv"
    real.parent.mkdir()
    (data / "observations.csv").rename(real)
    (data / "observations.csv").symlink_to(real)
    path = intake.filled(tmp_path, data, lambda sheet: None)
    run = corpus.fazhi_main("import", str(path), "--data-dir", str(data))
    assert run.returncode == 0, run.stderr
    assert (data / "observations.csv").is_symlink() and (data / "observations.csv").resolve() == real
    assert ",2024," in real.read_text(encoding="utf-8")
    assert not [p for p in real.parent.iterdir() if p.name.startswith(".")]


def test_extract_force_overwrites_only_when_asked(tmp_path):
    (tmp_path / "r.txt").write_text("组建人民调解委员会8个。", encoding="utf-8")
    draft = tmp_path / "draft.csv"
    draft.write_text("hand-edited\n", encoding="utf-8")
    args = ["extract", str(tmp_path / "r.txt"), "--unit", "峡口镇", "--year", "2024", "-o", str(draft)]
    assert corpus.fazhi_main(*args).returncode == 2 and draft.read_text(encoding="utf-8") == "hand-edited\n"
    assert corpus.fazhi_main(*args, "--force").returncode == 0 and "8个" in draft.read_text(encoding="utf-8")


# --- properties ------------------------------------------------------------------------------------------

_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_INVISIBLE = st.sampled_from(["\u00ad", "\u034f", "\u2062", "\ufe0f", "\u3164", "\u115f", "\u1160", "\u180e",
                              "\u2061", "\U000e0100", "\ufe00", "\u061c", "\u206a"])
_COMPAT = st.sampled_from(["\u2f1d", "\uf900", "\u2460", "\u00b2", "\u2163", "\ufb01", "\u3192"])


@settings(max_examples=200, deadline=None)
@given(st.text(_HAN, min_size=1, max_size=20), _INVISIBLE, st.integers(min_value=0, max_value=20))
def test_an_invisible_character_anywhere_is_refused_naming_the_lookalike(name, invisible, at):
    at = min(at, len(name))
    spoofed = name[:at] + invisible + name[at:]
    rule, message = name_problem(spoofed, [name])
    assert rule in ("name_no_invisible", "text_no_control_chars")
    if rule == "name_no_invisible":
        assert f"“{name}”" in message


@settings(max_examples=200, deadline=None)
@given(st.text(_HAN, min_size=0, max_size=10), _COMPAT)
def test_a_compatibility_form_is_refused(name, compat):
    rule, _ = name_problem(name + compat)
    assert rule == "name_no_compatibility_form"


@settings(max_examples=200, deadline=None)
@given(st.text(_HAN, min_size=1, max_size=80))
def test_plain_chinese_names_pass_up_to_the_length_limit(name):
    verdict = name_problem(name)
    assert (verdict is None) == (len(name) <= MAX_NAME_CHARS)
    assert skeleton(name) == name


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.booleans())
def test_plain_and_full_width_digits_read(number, full_width):
    text = str(number)
    if full_width:
        text = text.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    assert parse_number(text) == number


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=6))
def test_only_the_listed_digit_forms_are_numbers(text):
    if set(text) <= PLAIN_NUMBER_CHARS:
        assert parse_number(text) is not None
    else:
        assert parse_number(text) is None
        assert numeral_problem(text)[0] == "digits_plain"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from("0123456789"), min_size=2, max_size=6), st.integers(min_value=1, max_value=5))
def test_spaced_digits_are_never_one_number(digits, at):
    at = min(at, len(digits) - 1)
    text = "".join(digits[:at]) + " " + "".join(digits[at:])
    assert parse_number(text) is None and numeral_problem(text)[0] == "digits_plain"
    assert parse_year(text) is None


def test_superscript_year_is_not_a_year():
    assert parse_year("²⁰²³") is None and parse_year("2023") == 2023 and parse_year("２０２３年") == 2023


def test_resource_module_measures_children():
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss >= 0

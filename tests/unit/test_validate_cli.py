"""`fazhi validate [PATH]`: a table with Chinese labels, exit 0 when clean and 2 otherwise; and the
property that no input text makes the loader or any parser raise anything but the user-facing errors."""

import string
from pathlib import Path

import corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi_analysis.cli.validate import problem_table
from fazhi_analysis.data.csv_input import (
    fold_width,
    normalise_name,
    normalise_text,
    parse_number,
    parse_year,
    read_rows,
)
from fazhi_analysis.data.dataset import check_data_dir, load_dataset
from fazhi_analysis.data.layout import OBSERVATION_COLUMNS
from fazhi_analysis.errors import DataError, ParameterError, Problem
from fazhi_analysis.outputs import contained, safe_slug
from fazhi_analysis.render.params import parse_parameters

BASE = corpus.HERE / "base"
CELL = st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["２４２", "15,000", "若干", "-3", "2023年", "", "\u3000", "nan", "1e5", '"', "\r\n", "9" * 40])


def test_clean_data_exits_0_with_a_summary():
    run = corpus.fazhi_main("validate", str(BASE))
    assert run.returncode == 0 and "数据检查通过" in run.stdout and not run.traceback


def test_problems_exit_2_with_a_table_in_chinese(tmp_path):
    data_dir = corpus.materialise(corpus.cases()[[c["id"] for c in corpus.cases()].index("rate_above_100")], tmp_path)
    run = corpus.fazhi_main("validate", str(data_dir))
    assert run.returncode == 2 and not run.traceback
    header = run.stdout.splitlines()[0].split()
    assert header == ["文件", "行", "列", "值", "规则", "说明"]
    assert "observations.csv  12" in run.stdout and "rate_at_most_100" in run.stdout


def test_table_escapes_control_characters_and_aligns_wide_text():
    problems = [Problem("观测.csv", 3, "body", "a\x1b[31mb", "text_no_control_chars", "含控制字符"),
                Problem("observations.csv", None, None, None, "file_size", "太大")]
    table = problem_table(problems)
    assert "\x1b" not in table and "\\x1b" in table
    first, _, row1, row2 = table.splitlines()
    assert first.index("行") > 0 and row1.startswith("观测.csv") and row2.startswith("observations.csv")


def test_missing_directory_is_a_clean_problem(tmp_path):
    run = corpus.fazhi_main("validate", str(tmp_path / "nowhere"))
    assert run.returncode == 2 and "file_exists" in run.stdout and not run.traceback


@given(CELL)
def test_text_parsers_never_raise(text):
    for parse in (parse_number, parse_year):
        value = parse(text)
        assert value is None or value == value  # a number, never NaN
    assert normalise_text(normalise_text(text)) == normalise_text(text)
    assert fold_width(text) == fold_width(text).strip()
    assert "  " not in normalise_name(text)


@given(st.text(max_size=80), st.integers(min_value=-10_000, max_value=10_000))
def test_parameters_raise_only_parameter_error(unit, year):
    try:
        params = parse_parameters(body=unit, year=year)
    except ParameterError:
        return
    assert params.body == params.body.strip() and "\n" not in params.body


@given(st.lists(st.text(max_size=40), min_size=1, max_size=3))
def test_slugs_stay_inside_the_root(parts):
    slug = safe_slug(*parts)
    assert slug and "/" not in slug and "\\" not in slug and "\x00" not in slug and slug not in (".", "..")
    assert len(slug) <= 60 and set(slug) - set(string.punctuation) != set()
    root = Path("/tmp/fazhi-slug-root")
    assert root in contained(root, slug, "2023").parents


@given(st.lists(st.text(max_size=20), max_size=3))
def test_contained_refuses_or_stays_inside(parts):
    root = Path("/tmp/fazhi-slug-root")
    try:
        path = contained(root, *parts)
    except ParameterError:
        return
    assert path == root or root in path.parents


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELL, min_size=9, max_size=9), min_size=1, max_size=4), st.binary(max_size=64))
def test_loader_raises_only_data_error(tmp_path, rows, noise):
    """Arbitrary cells in an otherwise well-formed file, and arbitrary bytes appended: DataError or data."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(exist_ok=True)
    (data_dir / "catalogue.csv").write_bytes((BASE / "catalogue.csv").read_bytes())
    lines = [",".join(OBSERVATION_COLUMNS)] + [",".join('"' + c.replace('"', '""') + '"' for c in r) for r in rows]
    (data_dir / "observations.csv").write_bytes(("\n".join(lines) + "\n").encode("utf-8") + noise)
    try:
        read_rows(data_dir / "observations.csv", OBSERVATION_COLUMNS)
        load_dataset(data_dir)
    except DataError as exc:
        assert exc.problems and all(p.rule for p in exc.problems)
    assert isinstance(check_data_dir(data_dir), list)

"""The schema rejects broken rows with messages that name file, row, column and rule."""

import pytest

from fazhi_analysis.data.dataset import load_dataset
from fazhi_analysis.errors import DataError


def _append(data_dir, line: str) -> None:
    with (data_dir / "observations.csv").open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def _line(year: str, label: str, indicator: str, value: str, measure: str, qualifier: str, expr: str) -> str:
    """An observation row of 峡口镇 in part 一, (五), as a CSV line."""
    return (f"重庆市,南岸区,峡口镇,{year},measures,（五）推进法治宣传，提升群众守法意识,legal_education,{label},"
            f"{indicator},{value},{measure},{qualifier},{expr},test,")


# 峡口镇's 2023 administrative penalty decisions (row 2 says 54次) a second time, unlinked, with another value
SECOND_PENALTY_COUNT = _line("2023", "行政处罚处理决定", "", "55", "次", "", "55次")


def _last_row(data_dir) -> int:
    """The spreadsheet row of the line just appended (the shipped data grows as bodies are added)."""
    return len((data_dir / "observations.csv").read_text(encoding="utf-8").splitlines())


def _problems(data_dir):
    with pytest.raises(DataError) as caught:
        load_dataset(data_dir)
    return caught.value.problems


def test_words_instead_of_a_number(data_copy):
    _append(data_copy, _line("2022", "院坝会", "yard_meetings_count", "若干", "次", "", "若干次"))
    (problem,) = _problems(data_copy)
    assert (problem.file.endswith("observations.csv"), problem.row, problem.column, problem.value, problem.rule) == (
        True, _last_row(data_copy), "value", "若干", "value_is_number")
    assert f"observations.csv 第{_last_row(data_copy)}行 列 value" in str(problem)


def test_negative_count_and_rate_above_100(data_copy):
    _append(data_copy, _line("2022", "院坝会", "yard_meetings_count", "-3", "次", "", "-3次"))
    problems = _problems(data_copy)
    last = _last_row(data_copy)
    # the expr "-3次" would also run as a spreadsheet formula: both are named
    assert [(p.row, p.column, p.rule) for p in problems] == [(last, "expr", "text_not_formula"),
                                                             (last, "value", "value_not_negative")]
    data_copy.joinpath("observations.csv").write_text(
        data_copy.joinpath("observations.csv").read_text(encoding="utf-8").replace(
            "院坝会,yard_meetings_count,-3,次,,-3次", "调解率,mediation_rate_pct,120,%,,120%"), encoding="utf-8")
    problems = _problems(data_copy)
    last = _last_row(data_copy)
    assert [(p.row, p.column, p.rule) for p in problems] == [(last, "value", "rate_at_most_100")]


def test_unknown_indicator_suggests_the_closest(data_copy):
    _append(data_copy, _line("2022", "院坝会", "yard_meeting_count", "3", "次", "", "3次"))
    (problem,) = _problems(data_copy)
    assert problem.rule == "indicator_known" and problem.column == "indicator"
    assert "yard_meetings_count" in problem.message_zh


def test_duplicate_observation(data_copy):
    _append(data_copy, _line("2023", "院坝会", "", "4", "次", "", "4次"))
    problems = _problems(data_copy)
    assert {p.rule for p in problems} == {"unique_observation"}
    assert {p.row for p in problems} == {14, _last_row(data_copy)}


def test_one_figure_per_indicator_and_body_year(data_copy):
    _append(data_copy, _line("2023", "普法院坝会", "yard_meetings_count", "4", "次", "", "4次"))
    (problem,) = _problems(data_copy)
    assert (problem.rule, problem.row, problem.column) == ("indicator_once", _last_row(data_copy), "indicator")


def test_a_link_with_another_measure_word_is_refused(data_copy):
    """法治讲座 4场 is not the catalogue's 法治讲座 (期): the link is a claim that both are the same thing."""
    _append(data_copy, _line("2022", "法治讲座", "law_lectures_count", "4", "场", "", "4场"))
    (problem,) = _problems(data_copy)
    assert (problem.rule, problem.column, problem.value) == ("measure_matches_indicator", "measure", "场")
    assert "清空 indicator" in problem.message_zh


def test_a_link_whose_wording_misses_the_definition_is_refused(data_copy):
    """法律讲座 4场 is neither the wording nor the measure word of 法治讲座 (期): both rules are named."""
    _append(data_copy, _line("2022", "法律讲座", "law_lectures_count", "4", "场", "", "4场"))
    problems = {p.rule: p for p in _problems(data_copy)}
    assert set(problems) == {"measure_matches_indicator", "wording_meets_definition"}
    wording = problems["wording_meets_definition"]
    assert (wording.row, wording.column, wording.value) == (_last_row(data_copy), "label", "法律讲座")
    assert "“法律讲座”未写明“法治讲座”或“普法讲座”" in wording.message_zh and "口径" in wording.message_zh


def test_an_unlinked_item_keeps_its_own_label_and_measure(data_copy):
    _append(data_copy, _line("2022", "法律讲座", "", "4", "场", "", "4场"))
    obs = load_dataset(data_copy).observations
    row = obs[obs["label"] == "法律讲座"].iloc[0]
    assert (row["indicator"], row["measure"], row["expr"]) == ("", "场", "4场")


def test_part_larger_than_whole(data_copy):
    path = data_copy / "observations.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("disputes_resolved_count,238", "disputes_resolved_count,250"), encoding="utf-8")
    (problem,) = _problems(data_copy)
    assert problem.rule == "part_within_whole" and problem.row == 11


def test_full_width_digits_year_suffix_and_thousands_are_normalised(data_copy):
    _append(data_copy, _line("2022年", "法律法规宣传资料", "legal_materials_copies", '"１５,０００"', "份", "余",
                             "15000余份"))
    dataset = load_dataset(data_copy)
    obs = dataset.observations
    row = obs[(obs["year"] == 2022) & (obs["body"] == "峡口镇")].iloc[0]
    assert row["value"] == 15000 and row["year"] == 2022


def test_a_receipt_only_covers_the_exact_bytes_it_names(data_copy, tmp_path, monkeypatch):
    """`fazhi report` vouches for data it checked so its kernel skips the pandera schemas; data changed
    after that (here a negative count, a schema-only rule) is checked in full again."""
    from fazhi_analysis.data import dataset as ds
    from fazhi_analysis.data import receipts

    receipt = tmp_path / "validated.json"
    checked = load_dataset(data_copy)
    receipts.vouch_for(receipt, checked.data_dir, checked.digest)
    monkeypatch.setenv(receipts.RECEIPT_ENV, str(receipt))
    ds._validated.clear()
    calls = []
    real = ds.schema_problems_of
    monkeypatch.setattr(ds, "schema_problems_of", lambda *a: calls.append(a[1]) or real(*a))
    load_dataset(data_copy)
    assert calls == [], "vouched-for bytes are not schema-checked again"
    _append(data_copy, _line("2022", "院坝会", "yard_meetings_count", "-3", "次", "", "-3次"))
    problems = _problems(data_copy)
    assert calls and [p.rule for p in problems] == ["text_not_formula", "value_not_negative"]


def test_a_file_edited_after_it_was_checked_is_not_vouched_for(data_copy, tmp_path, monkeypatch):
    """The real gap: `fazhi report` checked the data, the file was saved again (峡口镇's 2023 penalty decisions
    a second time, with another value: only the pandera schema's one-row-per-observation refuses it) before
    the receipt was written. The receipt names the bytes that were checked, so the kernel checks the edited
    file in full and refuses it. Before, `vouch_for` hashed the files again and vouched for the edited
    bytes: the kernel skipped the schema and drew the page from two different figures for one item."""
    from fazhi_analysis.data import dataset as ds
    from fazhi_analysis.data import receipts

    checked = load_dataset(data_copy)
    _append(data_copy, SECOND_PENALTY_COUNT)  # saved meanwhile
    receipt = tmp_path / "validated.json"
    receipts.vouch_for(receipt, checked.data_dir, checked.digest)
    monkeypatch.setenv(receipts.RECEIPT_ENV, str(receipt))
    ds._validated.clear()  # the kernel: a process of its own
    problems = _problems(data_copy)
    assert [(p.row, p.rule) for p in problems] == [(2, "unique_observation"),
                                                   (_last_row(data_copy), "unique_observation")]


def test_the_bytes_checked_are_the_bytes_read_once(data_copy, monkeypatch):
    """A file saved while load_dataset is checking it (here: between the catalogue and the observations)
    does not change what is checked, cached or vouched for: the dataset and its digest are of the bytes
    read first; the edit is another digest, checked in full on the next load."""
    from fazhi_analysis.data import dataset as ds
    from fazhi_analysis.data import receipts

    before = receipts.content_digest(receipts.read_data_files(data_copy))
    real = ds.load_catalogue

    def edit_meanwhile(*args):
        _append(data_copy, SECOND_PENALTY_COUNT)
        return real(*args)

    monkeypatch.setattr(ds, "load_catalogue", edit_meanwhile)
    ds._validated.clear()
    checked = load_dataset(data_copy)
    assert checked.digest == before and (checked.observations["value"] != 55).all()
    monkeypatch.setattr(ds, "load_catalogue", real)
    assert [p.rule for p in _problems(data_copy)] == ["unique_observation"] * 2

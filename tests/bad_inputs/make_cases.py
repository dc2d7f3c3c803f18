"""Regenerate the bad-input corpus: `.venv/bin/python tests/bad_inputs/make_cases.py`.

Each case is the small base data set (峡口镇 2023, `base/`) with one thing broken, written to `files/`,
and its expected behaviour written to `cases.yaml`. Cases too big or too binary to commit (a 100 MB
file, a zip, a missing file) are listed with `generate:` and built in a temporary directory by the test.
"""

import codecs
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
BASE_OBS = (HERE / "base" / "observations.csv").read_text(encoding="utf-8")
BASE_CAT = (HERE / "base" / "catalogue.csv").read_text(encoding="utf-8")
LINES = BASE_OBS.splitlines()  # LINES[r - 1] is spreadsheet row r
SRC = "data/raw/重庆市南岸区峡口镇_2023.txt"
H5 = "（五）推进法治宣传，提升群众守法意识"


def row(r: int, **cells) -> list[str]:
    """Base row r with some cells replaced, as a list of lines (CSV-quoted where needed)."""
    header = LINES[0].split(",")
    values = LINES[r - 1].split(",")
    for k, v in cells.items():
        values[header.index(k)] = v
    out = list(LINES)
    out[r - 1] = ",".join(_quote(v) for v in values)
    return out


def _quote(v: str) -> str:
    return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n\r') else v


def text(lines: list[str], end: str = "\n") -> str:
    return end.join(lines) + end


def extra(*lines: str) -> list[str]:
    return LINES + list(lines)


ACCEPTED = "accepted"
REJECTED = "rejected"

# id: (what is broken, file content (str = UTF-8, bytes as is), target file, expectation)
CASES: list[dict] = []


def case(case_id: str, about: str, content, expect: dict, target: str = "observations.csv") -> None:
    CASES.append({"id": case_id, "about": about, "target": target, "content": content, **expect})


def accepted(row_: int, column: str, value, normalisation: str) -> dict:
    return {"expect": ACCEPTED, "row": row_, "column": column, "value": value, "normalisation": normalisation}


def rejected(rule: str, row_: int | None, column: str | None, value: str | None = None, **more) -> dict:
    return {"expect": REJECTED, "rule": rule, "row": row_, "column": column, "value": value, **more}


# --- accepted with a documented normalisation ----------------------------------------------------------
case("gbk_encoded", "Excel on Chinese Windows: GBK", BASE_OBS.encode("gbk"),
     accepted(9, "value", 242, "GBK/GB18030 decoded"))
case("utf8_bom", "UTF-8 with BOM", codecs.BOM_UTF8 + BASE_OBS.encode("utf-8"),
     accepted(9, "value", 242, "BOM dropped"))
case("utf16_tab_excel_unicode_text", "Excel 'Unicode text': UTF-16 with BOM, tab-separated",
     BASE_OBS.replace(",", "\t").encode("utf-16"), accepted(9, "value", 242, "UTF-16 decoded, tab as separator"))
case("fullwidth_digits", "２４２", text(row(9, value="２４２")), accepted(9, "value", 242, "NFKC: ２４２ → 242"))
case("thousands_separator", "15,000", text(row(19, value="15,000")),
     accepted(19, "value", 15000, "thousands separator dropped"))
case("fullwidth_thousands", "１５，０００", text(row(19, value="１５，０００")),
     accepted(19, "value", 15000, "NFKC then thousands separator dropped"))
case("spaces_around_value", " 54 ", text(row(2, value=" 54 ")), accepted(2, "value", 54, "spaces trimmed"))
case("fullwidth_space_in_name", "全角空格 around the body", text(row(2, body="\u3000峡口镇\u3000")),
     accepted(2, "body", "峡口镇", "full-width spaces trimmed"))
case("trailing_spaces_in_names", "trailing spaces in body and indicator",
     text(row(2, body="峡口镇  ", indicator=" admin_penalty_decisions_count ")),
     accepted(2, "body", "峡口镇", "spaces trimmed"))
case("space_inside_chinese_name", "峡口 镇", text(row(2, body="峡口 镇")),
     accepted(2, "body", "峡口镇", "a space between two Chinese characters removed"))
case("zero_width_space_in_name", "峡口镇 + U+200B", text(row(2, body="峡口镇\u200b")),
     accepted(2, "body", "峡口镇", "zero-width characters removed"))
case("newline_in_name", "峡口<newline>镇 (Alt+Enter in Excel)", text(row(2, body="峡口\n镇")),
     accepted(2, "body", "峡口镇", "line break → space, then the space between Chinese characters removed"))
case("newline_in_expr", "expr pasted from Word with a line break", text(row(2, expr="54\n次")),
     accepted(2, "expr", "54 次", "line break in a cell → one space"))
case("year_with_nian", "2023年", text(row(2, year="2023年")), accepted(2, "year", 2023, "年 / 年度 dropped"))
case("year_fullwidth", "２０２３", text(row(2, year="２０２３")), accepted(2, "year", 2023, "NFKC"))
case("uppercase_indicator", "ADMIN_PENALTY_DECISIONS_COUNT", text(row(2, indicator="ADMIN_PENALTY_DECISIONS_COUNT")),
     accepted(2, "indicator", "admin_penalty_decisions_count", "indicator keys lower-cased"))
FULLWIDTH_KEY = "ｙａｒｄ＿ｍｅｅｔｉｎｇｓ＿ｃｏｕｎｔ"
case("fullwidth_indicator", FULLWIDTH_KEY, text(row(14, indicator=FULLWIDTH_KEY)),
     accepted(14, "indicator", "yard_meetings_count", "NFKC"))
case("crlf_line_endings", "Windows line endings", text(LINES, "\r\n"), accepted(9, "value", 242, "universal newlines"))
case("cr_line_endings", "old Mac line endings (Excel for Mac)", text(LINES, "\r"),
     accepted(9, "value", 242, "universal newlines"))
case("blank_lines_and_trailing_commas", "Excel leaves blank lines and a,b,c,, rows",
     text([LINES[0] + ",,"] + [line + "," for line in LINES[1:5]] + ["", ",,,,,,,,,"] + LINES[5:] + ["", ""]),
     accepted(11, "value", 242, "blank lines and trailing empty columns ignored; rows keep their file numbers"))

# --- rejected: row / column / value / rule named ----------------------------------------------------------
case("empty_value", "value left empty", text(row(14, value="")), rejected("value_is_number", 14, "value", ""))
case("empty_body", "body left empty", text(row(5, body="")), rejected("not_empty", 5, "body"))
case("words_instead_of_number", "若干", text(row(14, value="若干")), rejected("value_is_number", 14, "value", "若干"))
case("number_with_measure", "242件", text(row(9, value="242件")), rejected("value_is_number", 9, "value", "242件"))
case("percent_sign_in_value", "98%", text(row(13, value="98%")), rejected("value_is_number", 13, "value", "98%"))
case("nan_value", "nan", text(row(14, value="nan")), rejected("value_is_number", 14, "value", "nan"))
case("overflowing_number", "forty nines (float gives inf)", text(row(14, value="9" * 40)),
     rejected("value_is_number", 14, "value", "9" * 40))
case("negative_count", "-3", text(row(14, value="-3")), rejected("value_not_negative", 14, "value"))
case("fullwidth_negative", "－3", text(row(14, value="－3")), rejected("value_not_negative", 14, "value"))
case("rate_above_100", "调解率 120", text(row(12, value="120")), rejected("rate_at_most_100", 12, "value", "120"))
case("success_gt_mediated_gt_received", "调解成功 230 > 调解 220 > 受理 200",
     text([*row(9, value="200")[:9], row(10, value="220")[9], row(11, value="230")[10], *LINES[11:]]),
     rejected("part_within_whole", 10, "value", "220", also=[[11, "value", "part_within_whole"]]))
case("total_below_parts", "普法活动 5次 stated < 院坝会 3次 + 集中普法宣传 12次",
     text(extra(f"重庆市,南岸区,峡口镇,2023,measures,{H5},legal_education,普法活动,legal_education_times_count,5,次,,"
                f"5次,{SRC}")),
     rejected("total_not_below_parts", 22, "value", "5"))
case("duplicate_different_values", "院坝会 (次) twice: 3 and 5",
     text(extra(f"重庆市,南岸区,峡口镇,2023,measures,{H5},legal_education,院坝会,,5,次,,5次,{SRC}")),
     rejected("unique_observation", 14, "district, body, year, label, measure",
              also=[[22, None, "unique_observation"]]))
case("link_with_other_measure", "法律讲座 4场 linked to 法治讲座 (期)",
     text(extra(f"重庆市,南岸区,峡口镇,2022,measures,{H5},legal_education,法律讲座,law_lectures_count,4,场,,4场,"
                f"{SRC}")),
     rejected("measure_matches_indicator", 22, "measure", "场"))
case("unknown_part", "part '举措' instead of its key", text(row(2, part="举措")),
     rejected("part_known", 2, "part", "举措"))
case("empty_label", "the item's wording left empty", text(row(14, label="")), rejected("not_empty", 14, "label"))
case("unknown_indicator", "yard_meeting_count (typo)", text(row(14, indicator="yard_meeting_count")),
     rejected("indicator_known", 14, "indicator", "yard_meeting_count", message_has="yard_meetings_count"))
case("indicator_as_chinese_name", "调解成功率 instead of its key", text(row(13, indicator="调解成功率")),
     rejected("indicator_known", 13, "indicator", "调解成功率", message_has="mediation_success_rate_pct"))
case("unknown_qualifier", "大约", text(row(3, qualifier="大约")), rejected("qualifier_known", 3, "qualifier", "大约"))
case("year_out_of_range", "1999", text(row(2, year="1999")), rejected("year_in_range", 2, "year", "1999"))
case("year_in_chinese_numerals", "二〇二三年", text(row(2, year="二〇二三年")),
     rejected("year_is_number", 2, "year", "二〇二三年"))
QUALIFIER_AT = LINES[0].split(",").index("qualifier")
case("missing_column", "no qualifier column",
     text([",".join(c for i, c in enumerate(line.split(",")) if i != QUALIFIER_AT) for line in LINES]),
     rejected("column_missing", 1, "qualifier"))
case("extra_column", "a 备注 column", text([LINES[0] + ",备注"] + [line + ",x" for line in LINES[1:]]),
     rejected("column_unknown", 1, "备注"))
case("duplicated_column", "source twice", text([LINES[0] + ",source"] + [line + ",x" for line in LINES[1:]]),
     rejected("column_duplicated", 1, "source"))
case("short_row", "a row with a cell missing", text(LINES[:4] + [LINES[4].rsplit(",", 2)[0]] + LINES[5:]),
     rejected("row_width", 5, None))
case("empty_file", "0 bytes", "", rejected("file_not_empty", 1, None))
case("whitespace_only_file", "spaces and newlines", " \n\n \r\n", rejected("file_not_empty", 1, None))
case("header_only", "header, no rows", text(LINES[:1]), rejected("file_has_rows", 2, None))
case("blank_first_line", "a blank line above the header", text([""] + LINES), rejected("header_first", 1, None))
case("binary_file", "a PNG renamed .csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
     rejected("file_is_text", None, None))
case("damaged_utf8", "UTF-8 with one broken byte in row 9",
     BASE_OBS.encode("utf-8").replace("242件".encode(), b"242\xe4\xbb", 1), rejected("file_encoding", 9, None))
case("unbalanced_quote", 'a stray " opens a quote that never closes',
     text(LINES[:6] + [LINES[6].replace(",49名,", ',"49名,')] + LINES[7:]),
     rejected("csv_syntax", 7, None))
case("quote_inside_cell", 'x"y in an unquoted cell', text(LINES[:7] + [LINES[7].replace("8个", '"8"个')] + LINES[8:]),
     rejected("csv_syntax", 8, None))
case("control_character_in_name", "ANSI escape in body", text(row(2, body="峡口镇\x1b[31m")),
     rejected("text_no_control_chars", 2, "body"))
case("bidi_override_in_name", "U+202E reverses text on screen", text(row(2, body="峡口\u202e镇")),
     rejected("text_no_control_chars", 2, "body"))
case("very_long_cell", "5000 characters pasted into expr", text(row(2, expr="很" * 5000)),
     rejected("cell_length", 2, "expr"))
# issue 15: names that look like another body, invisible characters, over-long names, spreadsheet
# formulas in text, and digit forms that only look like digits
case("lookalike_body_kangxi", "峡⼝镇 with the Kangxi radical U+2F1D for 口", text(row(2, body="峡\u2f1d镇")),
     rejected("name_no_compatibility_form", 2, "body", "峡\u2f1d镇", message_has="峡口镇"))
case("soft_hyphen_in_body", "峡口镇 with a soft hyphen U+00AD", text(row(2, body="峡口\u00ad镇")),
     rejected("name_no_invisible", 2, "body", message_has="峡口镇"))
case("hangul_filler_body", "U+3164 alone as the body", text(row(2, body="\u3164")),
     rejected("name_no_invisible", 2, "body"))
case("long_body_name", "a 61-character body name", text(row(2, body="峡" * 61)),
     rejected("name_length", 2, "body"))
case("formula_in_expr", "=cmd|' /C calc'!A0 in expr", text(row(2, expr="=cmd|' /C calc'!A0")),
     rejected("text_not_formula", 2, "expr", "=cmd|' /C calc'!A0"))
case("hyperlink_in_source", '=HYPERLINK("http://evil.example","点此") as source',
     text(row(2, source='=HYPERLINK("http://evil.example","点此")')), rejected("text_not_formula", 2, "source"))
case("circled_digits_value", "⑤④ read as 54 before", text(row(2, value="⑤④")),
     rejected("digits_plain", 2, "value", "⑤④"))
case("superscript_digits_value", "⁵⁴ read as 54 before", text(row(2, value="⁵⁴")),
     rejected("digits_plain", 2, "value", "⁵⁴"))
case("spaced_digits_value", "'5 4' read as 54 before", text(row(2, value="5 4")),
     rejected("digits_plain", 2, "value", "5 4"))
case("superscript_year", "²⁰²³ read as 2023 before", text(row(2, year="²⁰²³")),
     rejected("year_is_number", 2, "year", "²⁰²³"))
case("catalogue_duplicate_key", "the same key twice", BASE_CAT + BASE_CAT.splitlines()[5] + "\n",
     rejected("unique_key", 6, "key", "mediation_committees_count",
              also=[[len(BASE_CAT.splitlines()) + 1, "key", "unique_key"]]), "catalogue.csv")
case("catalogue_unknown_reference", "a rate whose numerator key does not exist",
     BASE_CAT.replace("disputes_resolved_count,disputes_mediated_count,",
                      "disputes_resolvd_count,disputes_mediated_count,"),
     rejected("reference_known", 13, "numerator", "disputes_resolvd_count"), "catalogue.csv")
case("catalogue_bad_key", "key with spaces",
     BASE_CAT.replace("yard_meetings_count,普法院坝会", "yard meetings,普法院坝会"),
     rejected("key_is_ascii_identifier", 14, "key", "yard meetings"), "catalogue.csv")
case("catalogue_unknown_kind", "kind 'ratio'", BASE_CAT.replace("调解率,%,disputes,rate", "调解率,%,disputes,ratio"),
     rejected("kind_known", 12, "kind", "ratio"), "catalogue.csv")

GENERATED = [
    {"id": "huge_100mb", "about": "a 100 MB file (generated in tmp), one row pasted 430,000 times; streamed into "
     "the store's check, not refused for its size", "target": "observations.csv", "generate": "huge_100mb",
     **rejected("unique_observation", 2, "district, body, year, label, measure", message_has="等共")},
    {"id": "xlsx_renamed", "about": "an Excel workbook renamed .csv (generated zip)", "target": "observations.csv",
     "generate": "xlsx", **rejected("file_is_text", None, None)},
    {"id": "missing_observations", "about": "observations.csv deleted", "target": "observations.csv",
     "generate": "missing", **rejected("file_exists", None, None)},
    {"id": "missing_catalogue", "about": "catalogue.csv deleted", "target": "catalogue.csv",
     "generate": "missing", **rejected("file_exists", None, None)},
]


def main() -> None:
    files = HERE / "files"
    files.mkdir(exist_ok=True)
    manifest = []
    for c in CASES:
        content = c.pop("content")
        name = f"{c['id']}.csv"
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (files / name).write_bytes(data)
        manifest.append({"file": f"files/{name}", **c})
    manifest += GENERATED
    header = ("# Bad-input corpus: generated by make_cases.py (edit there). Each case replaces `target` in a copy\n"
              "# of base/; `expect: accepted` gives the normalised value of (row, column), `rejected` the rule,\n"
              "# row and column that must be reported. tests/unit/test_bad_input.py runs every case.\n")
    (HERE / "cases.yaml").write_text(header + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False),
                                     encoding="utf-8")
    print(f"{len(manifest)} cases")


if __name__ == "__main__":
    main()

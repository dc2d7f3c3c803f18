"""Inputs: every fault is a message, not a traceback; every input is read with a type check and a bound;
every error names the file, row and column at fault."""

import datetime
import random

from cases import REPO, all_of, batch, case, expect, pages, that
from sandbox import SEED_RAW, Sandbox

SEED_TEXT = REPO / "data" / "raw" / SEED_RAW
LONG_DISTRICT, LONG_BODY = "测" * 40 + "区", "试" * 30 + "镇"  # 41 and 31 characters, each within the limit


def _edit_label(box: Sandbox, label: str) -> None:
    rows = box.rows()
    rows[0]["label"] = label
    box.write_rows(rows)
    box.settle()


# --- characters XML cannot hold ---------------------------------------------------------------------------------
@case("tracebacks", issue=True)
def label_with_uffff(box: Sandbox):
    """A label with U+FFFF: refused by validate naming file, row and column, and by draft and template
    (whose XML writers it would stop) with the same message, never a traceback."""
    _edit_label(box, "行政处罚\uffff处理决定")
    runs = [box.fazhi("validate", str(box.data)),
            box.fazhi("draft", "--data-dir", str(box.data), "--output-root", str(box.out)),
            box.fazhi("template", "--year", "2024", "--unit", "峡口镇", "--data-dir", str(box.data))]
    return all_of(expect(runs[0], 2, "observations.csv", "label", "text_no_control_chars"),
                  *(expect(r, 2, "第2行", "text_no_control_chars") for r in runs[1:]))


@case("tracebacks")
def label_with_ufffe(box: Sandbox):
    """The same with U+FFFE."""
    _edit_label(box, "行政处罚\ufffe处理决定")
    return expect(box.fazhi("validate", str(box.data)), 2, "label", "text_no_control_chars")


@case("tracebacks", writes=("out/*",))
def raw_report_with_uffff(box: Sandbox):
    """The report kept in data/raw/ holds U+FFFF in the part 五 the draft quotes: the draft is written."""
    raw = box.data / "raw" / SEED_RAW
    raw.write_text(raw.read_text(encoding="utf-8").replace("无。", "无\uffff。"), encoding="utf-8")
    box.settle()
    return expect(box.fazhi("draft", "--data-dir", str(box.data), "--output-root", str(box.out)), 0, ".docx")


@case("tracebacks")
def csv_import_with_uffff(box: Sandbox):
    """`fazhi import` of an observations-layout CSV whose label holds U+FFFF: refused at its row and column."""
    rows = [{**r, "year": "2024"} for r in box.rows()[:2]]
    rows[1]["label"] = "法律\uffff讲座"
    lines = [",".join(rows[0])] + [",".join(r.values()) for r in rows]
    (box.here / "new.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    box.settle()
    return expect(box.fazhi("import", "new.csv", "--data-dir", str(box.data)), 2, "第3行", "label",
                  "text_no_control_chars")


# --- encodings, sockets ----------------------------------------------------------------------------------------
def _encoding_case(command: str, encoding: str):
    def run(box: Sandbox):
        # plain ASCII text, with a web address in the form IDNA writes (which its decoder cannot undo)
        (box.here / "report.txt").write_bytes(b"Report 2023: 54 decisions. Published at www.xn--a.cn\n")
        box.settle()
        args = ("--unit", "峡口镇", "--year", "2023") if command == "extract" else ()
        return expect(box.fazhi(command, "report.txt", *args, "--encoding", encoding), 2, "--encoding")
    return run


for _command, _encoding, _issue in (("extract", "undefined", True), ("extract", "idna", True),
                                    ("extract", "rot13", False), ("extract", "base64", False),
                                    ("extract", "punycode", False), ("extract", "no-such-codec", False),
                                    ("check", "idna", False), ("check", "undefined", False)):
    case("tracebacks", issue=_issue, name=f"{_command}_encoding_{_encoding.replace('-', '_')}",
         about=f"`fazhi {_command} --encoding {_encoding}`: exit 2 naming the cause.")(
        _encoding_case(_command, _encoding))


def _long_tmpdir_case(command: str):
    def run(box: Sandbox):
        long = box.root / ("法" * 28 + "x")  # a Chinese folder name of 85 bytes
        long.mkdir()
        box.settle()
        args = ("--no-overview",) if command == "batch" else ()
        result = box.fazhi(command, "--data-dir", str(box.data), "--output-root", str(box.out), *args,
                           env={"TMPDIR": str(long)})
        return all_of(expect(result, 0), that(bool(pages(box)), "the page was built"))
    return run


case("tracebacks", issue=True, needs=("kernel",), name="tmpdir_too_long_for_sockets_report",
     about="TMPDIR whose path is too long for a Unix socket (a Chinese folder name of 85 bytes): `fazhi report` "
           "uses a short private folder and builds the page.")(_long_tmpdir_case("report"))
case("tracebacks", needs=("kernel",), name="tmpdir_too_long_for_sockets_batch",
     about="The same for `fazhi batch` (its process pool listens on a socket too).")(_long_tmpdir_case("batch"))


# --- bounds ------------------------------------------------------------------------------------------------------
def _dev_zero(box: Sandbox, relative: str, device: str = "/dev/zero"):
    path = box.root / relative
    path.unlink(missing_ok=True)
    path.symlink_to(device)
    box.settle()
    return path


@case("limits", issue=True)
def raw_report_links_to_dev_zero(box: Sandbox):
    """data/raw/<report>.txt is a symlink to /dev/zero: refused unread (validate, draft), in seconds."""
    _dev_zero(box, f"data/raw/{SEED_RAW}")
    runs = [box.fazhi("validate", str(box.data), deadline_s=60),
            box.fazhi("draft", "--data-dir", str(box.data), "--output-root", str(box.out), deadline_s=60)]
    return all_of(*(expect(r, 2, "file_is_regular", "字符设备", within_s=30) for r in runs))


@case("limits", needs=("kernel",))
def raw_report_links_to_dev_zero_report(box: Sandbox):
    """The same link through `fazhi report`."""
    _dev_zero(box, f"data/raw/{SEED_RAW}")
    run = box.fazhi("report", "--data-dir", str(box.data), "--output-root", str(box.out), deadline_s=60)
    return expect(run, 2, "file_is_regular", within_s=30)


def _dev_zero_case(relative: str, command: tuple[str, ...], word: str, device: str = "/dev/zero"):
    def run(box: Sandbox):
        _dev_zero(box, relative, device)
        args = [a.replace("{data}", str(box.data)).replace("{root}", str(box.root)) for a in command]
        return expect(box.fazhi(*args, deadline_s=60), 2, word, within_s=30)
    return run


for _id, _relative, _command, _word, _device in (
        ("text_report", "work/here/r.txt", ("extract", "r.txt", "--unit", "峡口镇", "--year", "2023"),
         "file_is_regular", "/dev/zero"),
        ("workbook", "work/here/t.xlsx", ("import", "t.xlsx", "--data-dir", "{data}"), "file_is_regular", "/dev/zero"),
        ("notebook", "x.ipynb", ("batch", "--data-dir", "{data}", "--notebook", "{root}/x.ipynb"),
         "notebook_is_ipynb", "/dev/zero"),
        ("observations", "data/observations.csv", ("validate", "{data}"), "file_is_regular", "/dev/zero"),
        ("catalogue", "data/catalogue.csv", ("validate", "{data}"), "file_is_regular", "/dev/urandom")):
    case("limits", name=f"{_id}_links_to_{_device.rsplit('/', 1)[1]}",
         about=f"The {_id.replace('_', ' ')} is a symlink to {_device}: refused unread.")(
        _dev_zero_case(_relative, _command, _word, _device))


def _dense_text(size_bytes: int) -> str:
    """Text packed with counted things and no sentence end: each figure's draft row carries ~600 characters."""
    pick = random.Random(23)
    parts, total = [], 0
    while total < size_bytes:
        part = f"开展活动{pick.randint(1, 99)}次、发放资料{pick.randint(1, 999)}份、"
        parts.append(part)
        total += len(part.encode("utf-8"))
    return "".join(parts)


@case("limits", issue=True)
def input_text_gives_an_oversized_draft(box: Sandbox):
    """3.6 MB of input text would give a draft larger than --merge accepts: refused, nothing written."""
    (box.here / "big.txt").write_text(_dense_text(3_600_000), encoding="utf-8")
    box.settle()
    run = box.fazhi("extract", "big.txt", "--unit", "峡口镇", "--year", "2023", "-o", "big.csv")
    return all_of(expect(run, 2, "draft_size"), that(not (box.here / "big.csv").exists(), "no draft written"))


# --- errors that name the thing --------------------------------------------------------------------------------------
def _other_body_year(box: Sandbox, year: str) -> None:
    rows = box.rows()
    rows.append({**rows[0], "district": "测试区", "body": "示例镇丙", "year": year})
    box.write_rows(rows)
    box.settle()


@case("blame", issue=True)
def other_bodys_year_0000(box: Sandbox):
    """One row of another body with year 0000 stops `batch --unit 峡口镇` naming the file, row and column."""
    _other_body_year(box, "0000")
    return expect(batch(box, "--unit", "峡口镇"), 2, "observations.csv", "第22行", "year")


@case("blame")
def other_bodys_year_in_words(box: Sandbox):
    """The same with 二〇二三 as the year."""
    _other_body_year(box, "二〇二三")
    return expect(batch(box, "--unit", "峡口镇"), 2, "observations.csv", "第22行", "year")


@case("blame", needs=("kernel",))
def other_bodys_year_0000_report(box: Sandbox):
    """The same row through `fazhi report --unit 峡口镇`."""
    _other_body_year(box, "0000")
    run = box.fazhi("report", "--unit", "峡口镇", "--data-dir", str(box.data), "--output-root", str(box.out))
    return expect(run, 2, "observations.csv", "第22行", "year")


@case("blame", issue=True, needs=("kernel",), bodies=((LONG_DISTRICT, LONG_BODY),))
def long_district_and_body(box: Sandbox):
    """A district of 41 and a body of 31 characters, each valid: validate passes and so does the batch."""
    return all_of(expect(box.fazhi("validate", str(box.data)), 0),
                  expect(batch(box, "--unit", LONG_BODY, "--no-overview"), 0, "生成 1"))


@case("blame", needs=("kernel",), bodies=((LONG_DISTRICT, LONG_BODY),))
def long_district_and_body_report(box: Sandbox):
    """The same body named by district + name in `fazhi report --unit` (72 characters)."""
    run = box.fazhi("report", "--unit", LONG_DISTRICT + LONG_BODY, "--data-dir", str(box.data),
                    "--output-root", str(box.out))
    return expect(run, 0)


@case("blame", bodies=(("南岸区", "镇" * 61),))
def body_name_too_long(box: Sandbox):
    """A body of 61 characters: validate and batch refuse it with the same rule."""
    return all_of(expect(box.fazhi("validate", str(box.data)), 2, "name_length"),
                  expect(batch(box), 2, "name_length"))


def _workbook_with(box: Sandbox, cell: str, value) -> str:
    from openpyxl import load_workbook

    box.fazhi("template", "--year", "2024", "--unit", "峡口镇", "--data-dir", str(box.data), "-o", "t.xlsx")
    workbook = load_workbook(box.here / "t.xlsx")
    workbook["填报"][cell] = value
    workbook.save(box.here / "t.xlsx")
    return "t.xlsx"


@case("blame", issue=True, writes=("work/here/t.xlsx",))
def workbook_number_cell_holds_a_date(box: Sandbox):
    """A date in a workbook's number cell is reported as a date, at its cell (第5行 G列)."""
    name = _workbook_with(box, "G5", datetime.datetime(2024, 3, 5))
    return expect(box.fazhi("import", name, "--data-dir", str(box.data)), 2, "cell_not_date", "第5行", "G列",
                  "2024-03-05")


@case("blame", writes=("work/here/t.xlsx",))
def workbook_year_cell_holds_a_date(box: Sandbox):
    """The year (第2行) typed into a date-formatted cell: reported as a date at that cell."""
    from openpyxl import load_workbook

    name = _workbook_with(box, "G5", 5)
    workbook = load_workbook(box.here / name)
    sheet = workbook["填报"]
    year_cell = next(c for c in sheet[2] if c.value == "年度").column + 1
    sheet.cell(2, year_cell).value = datetime.datetime(1905, 7, 16)  # what 2024 becomes as a date serial
    workbook.save(box.here / name)
    return expect(box.fazhi("import", name, "--data-dir", str(box.data)), 2, "cell_not_date", "年度")

"""Files: a kill leaves only fazhi's own temporaries and the next run tidies them; fazhi writes, replaces and
removes only its own files; no output name leaves its folder."""

import os
import stat
import subprocess
import sys

from cases import REPO, all_of, batch, case, expect, pages, that
from sandbox import Sandbox

DATA_WRITES = ("data/observations.csv", "data/.observations.lock")
NEW_BODY = ("--unit", "新镇", "--district", "南岸区", "--province", "重庆市", "--year", "2024")
SEED_TEXT = str(REPO / "data" / "raw" / "重庆市南岸区峡口镇_2023.txt")


def _temporaries(box: Sandbox) -> list[str]:
    return sorted(str(p.relative_to(box.root)) for p in box.root.rglob(".fazhi-*"))


def _killed_then_rerun(box: Sandbox, args: tuple[str, ...], rerun: tuple[str, ...] | None = None):
    """`fazhi ARGS` killed as it commits a finished temporary file, then the next run: the kill must leave a
    temporary file (the fault is real), and the next run must succeed and tidy it."""
    killed = box.killed_at_commit(*args)
    left = _temporaries(box)
    again = box.fazhi(*(rerun or args))
    return all_of(that(killed.code not in (0, None) and bool(left), f"the kill left no temporary file ({killed.code})"),
                  expect(again, 0), that(not _temporaries(box), f"the next run left {_temporaries(box)}"))


def _filled_workbook(box: Sandbox) -> str:
    from openpyxl import load_workbook

    box.fazhi("template", "--year", "2024", "--unit", "峡口镇", "--data-dir", str(box.data), "-o", "t.xlsx")
    workbook = load_workbook(box.here / "t.xlsx")
    workbook["填报"]["G5"] = 55
    workbook.save(box.here / "t.xlsx")
    return "t.xlsx"


# --- temporaries ----------------------------------------------------------------------------------------------
@case("temporaries", issue=True, needs=("strace",), writes=(*DATA_WRITES, "work/here/t.xlsx"))
def import_killed_at_commit(box: Sandbox):
    """SIGKILL of `fazhi import` when its temporary observations file exists; the next import tidies it."""
    return _killed_then_rerun(box, ("import", _filled_workbook(box), "--data-dir", str(box.data)))


@case("temporaries", issue=True, needs=("strace",),
      writes=(*DATA_WRITES, "data/sources.csv", "data/raw/重庆市南岸区新镇_2024.txt", "work/here/draft.csv"))
def merge_killed_at_commit(box: Sandbox):
    """SIGKILL of `fazhi extract --merge` at the same moment (it registers the new body's report too: a row of
    sources.csv, its text under raw/); the next merge tidies what it left, in data/ and data/raw/."""
    box.fazhi("extract", SEED_TEXT, *NEW_BODY, "-o", "draft.csv")
    return _killed_then_rerun(box, ("extract", "draft.csv", "--merge", "--data-dir", str(box.data)))


@case("temporaries", issue=True, needs=("strace",))
def draft_killed_at_commit(box: Sandbox):
    """SIGKILL of `fazhi draft` with its temporary .docx beside the output; the next draft tidies it."""
    return _killed_then_rerun(box, ("draft", "--data-dir", str(box.data), "--output-root", str(box.out)))


@case("temporaries", issue=True, needs=("strace",), writes=("work/here/d.csv",))
def extract_o_killed_at_commit(box: Sandbox):
    """SIGKILL of `fazhi extract -o` with its temporary draft beside the output; no half draft at the final
    path, and the next run tidies the temporary."""
    args = ("extract", SEED_TEXT, "--unit", "峡口镇", "--year", "2023", "-o", "d.csv")
    return all_of(_killed_then_rerun(box, args), that((box.here / "d.csv").is_file(), "the rerun wrote d.csv"))


@case("temporaries", needs=("strace",), writes=("work/here/t.xlsx",))
def template_killed_at_commit(box: Sandbox):
    """SIGKILL of `fazhi template -o` at the same moment; the next template tidies it."""
    return _killed_then_rerun(box, ("template", "--year", "2024", "--unit", "峡口镇", "--data-dir", str(box.data),
                                    "-o", "t.xlsx"))


_HOLD_A_TEMPORARY = ("import os, sys, time; from pathlib import Path; from fazhi_analysis.atomic import new_temp; "
                     "fd, path = new_temp(Path(sys.argv[1])); print(path, flush=True); time.sleep(600)")


@case("temporaries")
def live_owners_temporary_is_kept(box: Sandbox):
    """A temporary file whose owner still runs is never removed by another run; once its owner is gone,
    the next run removes it."""
    folder = box.out / "南岸区-峡口镇" / "2023"
    folder.mkdir(parents=True)
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_A_TEMPORARY, str(folder)], stdout=subprocess.PIPE,
                              text=True, cwd=REPO)
    try:
        held = folder / os.path.basename(holder.stdout.readline().strip())
        first = box.fazhi("draft", "--data-dir", str(box.data), "--output-root", str(box.out))
        kept = held.is_file()
    finally:
        holder.kill()
        holder.wait()
    second = box.fazhi("draft", "--data-dir", str(box.data), "--output-root", str(box.out))
    return all_of(expect(first, 0), that(kept, "a live owner's temporary was removed"), expect(second, 0),
                  that(not held.exists(), "the dead owner's temporary stayed"))


# --- only fazhi's own files -------------------------------------------------------------------------------------
@case("own", issue=True, needs=("kernel",))
def output_root_holds_users_files(box: Sandbox):
    """An --output-root that already holds a user's docs/.notes.tmp and .analysis.running.ipynb (and an old
    fazhi-like name): a batch and a report leave them alone (the sandbox checks them byte for byte)."""
    folder = box.out / "南岸区-峡口镇" / "2023"
    folder.mkdir(parents=True)
    for name in (".notes.tmp", ".南岸区-峡口镇-2023-法治政府建设数据分析.html.x1y2.tmp", ".a.running.ipynb"):
        (folder / name).write_text("the user's", encoding="utf-8")
    box.settle()
    keep = ("out/南岸区-峡口镇/2023/.notes.tmp", "out/南岸区-峡口镇/2023/.a.running.ipynb",
            "out/南岸区-峡口镇/2023/.南岸区-峡口镇-2023-法治政府建设数据分析.html.x1y2.tmp")
    runs = [batch(box, "--no-overview"),
            box.fazhi("report", "--data-dir", str(box.data), "--output-root", str(box.out))]
    return all_of(*(expect(r, 0) for r in runs), that(all((box.root / k).is_file() for k in keep), "kept"))


@case("own", issue=True, needs=("kernel",), bodies=(("南岸区-甲", "乙镇"), ("南岸区", "甲-乙镇")))
def two_bodies_one_name(box: Sandbox):
    """Two valid bodies, 南岸区-甲/乙镇 and 南岸区/甲-乙镇, get two folders: both pages built, each its own."""
    run = batch(box, "--no-overview")
    found = {p.parent.parent.name: p.read_text(encoding="utf-8") for p in pages(box)}
    mine = [folder for folder, html in found.items() if "南岸区-甲乙镇" in html]
    theirs = [folder for folder, html in found.items() if "南岸区甲-乙镇" in html]
    if len(set(mine + theirs)) < 2:
        box.lost.append("one body's page replaced by the other's")
    return all_of(expect(run, 0, "生成 3"), that(len(mine) == 1 and len(theirs) == 1 and mine != theirs,
                                                 f"pages: {sorted(found)}"))


@case("own", bodies=(("测试区", "ABC镇"), ("测试区", "abc镇")))
def bodies_colliding_on_a_case_blind_disk(box: Sandbox):
    """Two bodies whose folders differ only in letter case (one folder on Windows or a shared drive):
    refused when the batch is planned, naming both, before anything is written."""
    run = batch(box)
    return all_of(expect(run, 2, "ABC镇", "abc镇", "输出位置相同"), that(not pages(box), "nothing built"))


def _device(box: Sandbox, name: str):
    path = box.here / name
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
    box.settle()
    return path


@case("own", issue=True, needs=("root",))
def extract_o_device_force(box: Sandbox):
    """`extract -o NODE --force` where NODE is a device node: refused, the node stays a node."""
    node = _device(box, "node.csv")
    run = box.fazhi("extract", SEED_TEXT, "--unit", "峡口镇", "--year", "2023", "-o", "node.csv", "--force")
    return all_of(expect(run, 2, "字符设备"), that(stat.S_ISCHR(node.lstat().st_mode), "the node was replaced"))


@case("own", needs=("root",))
def template_o_device_force(box: Sandbox):
    """`template -o NODE.xlsx --force` where NODE is a device node: the same."""
    node = _device(box, "node.xlsx")
    run = box.fazhi("template", "--year", "2024", "--unit", "峡口镇", "--data-dir", str(box.data), "-o", "node.xlsx",
                    "--force")
    return all_of(expect(run, 2, "字符设备"), that(stat.S_ISCHR(node.lstat().st_mode), "the node was replaced"))


def _special_target_case(kind: str):
    def run(box: Sandbox):
        path = box.here / "x.csv"
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "symlink":
            path.symlink_to(box.root / "work" / "notes.txt")
        else:
            path.mkdir()
        box.settle()
        result = box.fazhi("extract", SEED_TEXT, "--unit", "峡口镇", "--year", "2023", "-o", "x.csv", "--force")
        return expect(result, 2, "不是普通文件")
    return run


for _kind in ("fifo", "symlink", "directory"):
    case("own", name=f"extract_o_{_kind}_force",
         about=f"`extract -o x.csv --force` where x.csv is a {_kind}: refused, left as it was.")(
        _special_target_case(_kind))


@case("own")
def draft_path_is_a_symlink(box: Sandbox):
    """The draft's own path is a symlink to a file outside (planted): refused, neither link nor target changed."""
    folder = box.out / "南岸区-峡口镇" / "2023"
    folder.mkdir(parents=True)
    (folder / "南岸区-峡口镇-2023-法治政府建设年度报告（草稿）.docx").symlink_to(box.root / "work" / "notes.txt")
    box.settle()
    return expect(box.fazhi("draft", "--data-dir", str(box.data), "--output-root", str(box.out)), 2, "符号链接")


def _race(box: Sandbox, command: tuple[str, ...], target: str, variants: tuple[tuple[str, ...], tuple[str, ...]]):
    procs = [box.start(*command, *variant) for variant in variants]
    runs = [box.finish(proc) for proc in procs]
    codes = sorted(r.code for r in runs)
    winner = next((variant for variant, r in zip(variants, runs, strict=True) if r.code == 0), None)
    return runs, codes, winner, box.here / target


@case("own", issue=True, writes=("work/here/same.csv", "work/here/alone.csv"))
def two_extracts_one_output(box: Sandbox):
    """Two `fazhi extract … -o same.csv` started together: exactly one writes it, the other is refused; the
    file is the winner's whole draft (the same bytes as that extraction run alone)."""
    command = ("extract", SEED_TEXT, "--unit", "峡口镇", "-o", "same.csv")
    runs, codes, winner, path = _race(box, command, "same.csv", (("--year", "2023"), ("--year", "2024")))
    alone = box.fazhi("extract", SEED_TEXT, "--unit", "峡口镇", *(winner or ("--year", "2023")), "-o", "alone.csv")
    whole = alone.code == 0 and path.is_file() and path.read_bytes() == (box.here / "alone.csv").read_bytes()
    if codes == [0, 0]:
        box.lost.append("one draft silently replaced the other")
    return all_of(that(codes == [0, 2], f"exit codes {codes}"), that(whole, "same.csv is the winner's draft"),
                  *(expect(r, 2, "已存在") for r in runs if r.code != 0))


@case("own", writes=("work/here/same.xlsx",))
def two_templates_one_output(box: Sandbox):
    """Two `fazhi template -o same.xlsx` started together: one writes it, the other is refused."""
    command = ("template", "--unit", "峡口镇", "--data-dir", str(box.data), "-o", "same.xlsx")
    _, codes, _, path = _race(box, command, "same.xlsx", (("--year", "2024"), ("--year", "2025")))
    if codes == [0, 0]:
        box.lost.append("one workbook silently replaced the other")
    return all_of(that(codes == [0, 2], f"exit codes {codes}"), that(path.is_file(), "same.xlsx written"))


@case("own")
def extract_o_existing_file(box: Sandbox):
    """`extract -o mine.xlsx` (an existing file, no --force): refused, untouched."""
    run = box.fazhi("extract", SEED_TEXT, "--unit", "峡口镇", "--year", "2023", "-o", "mine.xlsx")
    return expect(run, 2, "已存在")


# --- names that escape ----------------------------------------------------------------------------------------
@case("names", issue=True, writes=("work/here/*",))
def template_unit_escapes(box: Sandbox):
    """`fazhi template --unit ../esc` (a new body) with the default output name: written in the current folder."""
    run = box.fazhi("template", "--year", "2024", "--unit", "../esc", "--district", "南岸区", "--province", "重庆市",
                    "--data-dir", str(box.data))
    made = [p.name for p in box.here.glob("*.xlsx") if p.name != "mine.xlsx"]
    return all_of(expect(run, 0), that(len(made) == 1 and made[0].startswith("esc-"), f"workbooks: {made}"))


def _body_named(box: Sandbox, district: str, name: str) -> None:
    box.set_bodies(((district, name),))
    box.settle()


@case("names", issue=True, writes=("work/here/*", "out/*"))
def body_named_dotdot_in_data(box: Sandbox):
    """A body named ../esc in the data: template (default name) and draft write inside their folders."""
    _body_named(box, "南岸区", "../esc")
    runs = [box.fazhi("template", "--year", "2024", "--unit", "南岸区../esc", "--data-dir", str(box.data)),
            box.fazhi("draft", "--unit", "南岸区../esc", "--data-dir", str(box.data), "--output-root", str(box.out))]
    return all_of(*(expect(r, 0) for r in runs))


def _names_case(district: str, name: str):
    def run(box: Sandbox):
        _body_named(box, district, name)
        unit = f"{district}{name}"
        runs = [box.fazhi("template", "--year", "2024", "--unit", unit, "--data-dir", str(box.data)),
                box.fazhi("draft", "--unit", unit, "--data-dir", str(box.data), "--output-root", str(box.out))]
        return all_of(*(expect(r, 0) for r in runs))
    return run


for _district, _name, _why in (("南岸区", "a/b", "a slash"), ("南岸区", "..", "only dots"),
                               ("../../x", "镇", "a district that climbs"), ("南岸区", "CON", "a Windows device name"),
                               ("𠀀" * 41, "𠀁" * 31, "72 four-byte characters")):
    case("names", writes=("work/here/*", "out/*"), name=f"body_named_{_why.replace(' ', '_').replace('-', '_')}",
         about=f"A body with {_why} in its name: template and draft write inside their folders.")(
        _names_case(_district, _name))

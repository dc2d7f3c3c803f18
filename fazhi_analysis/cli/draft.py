"""`fazhi draft`: the year's 法治政府建设年度报告 as a Word draft in 公文 layout, beside the HTML page: the
year's own report when its text is held, else last year's report carried forward to this year's figures,
else a draft from the data. `--check` lists, part by part, what is left to do in it (exit 1 while anything
is); `--no-comments` writes the clerk's notes into the text for offices whose system strips comments."""

import argparse
import sys
from pathlib import Path

from .. import paths
from .options import add_page_arguments, resolve_page


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_page_arguments(parser)
    parser.add_argument("--check", action="store_true",
                        help="逐部分列出草稿中待补充的数字、待核实的沿用表述、上年安排的完成情况，不写草稿")
    parser.add_argument("--no-comments", action="store_true",
                        help="批注写入正文（【注：…】），供会删除批注的公文系统使用")


def run(args: argparse.Namespace) -> int:
    params, body, output_root = resolve_page(args)
    from ..atomic import tidy_dead_temporaries
    from ..data.scoped import dataset_for_body
    from ..render.jobs import AnnualJob

    dataset, _ = dataset_for_body(body.short_name, params.data_dir)  # past a district's size: its district only
    job = AnnualJob(paths.ANNUAL_NOTEBOOK, params, body, output_root.resolve())
    if args.check:
        return _check(dataset, body, params.year, job.draft_path)
    tidy_dead_temporaries(job.out_dir)  # what drafts killed while writing here left (their owner is gone)
    path = write_draft(dataset, body, params.year, job.draft_path, comments=not args.no_comments)
    print(path)
    print(f"逐部分核对：fazhi draft --year {params.year} --unit {body.short_name} --check", file=sys.stderr)
    return 0


def write_draft(dataset, body, year: int, path: Path, comments: bool = True) -> Path:
    """Build and write one draft atomically (beside the page's HTML); returns its path."""
    from ..draft.content import draft_for
    from ..draft.gongwen_docx import write_docx

    write_docx(draft_for(dataset, body, year), path, comments)
    return path


def _check(dataset, body, year: int, path: Path) -> int:
    """What is left to do, from the clerk's working copy when it exists, else from the draft fazhi would write."""
    from ..analysis.year_statistics import compute_year_statistics
    from ..draft.content import draft_for
    from ..draft.review import todo_of_docx, todo_of_draft
    from ..errors import display_path
    from ..pages.annual import AnnualPage

    if path.is_file():
        todo, read = todo_of_docx(path, year - 1), f"已有草稿 {display_path(path)}"
    else:
        todo, read = todo_of_draft(draft_for(dataset, body, year), year - 1), "尚未写出的草稿"
    missing = AnnualPage(dataset, compute_year_statistics(dataset, body, year)).missing_items()
    print(f"{body.short_name}{year}年草稿待办（据{read}）：")
    for part in todo:
        print(f"  {part.part}")
        if part.to_fill:
            more = "……" if len(part.to_fill) > 5 else ""
            print(f"    待补充 {len(part.to_fill)} 处：" + "；".join(part.to_fill[:5]) + more)
        for mark in part.marks:
            print(f"    待处理：{mark}")
        if part.carried:
            print(f"    沿用{year - 1}年表述、尚未核实 {part.carried} 处")
        for promise in part.promises:
            print(f"    {year - 1}年报告安排，尚未说明完成情况：{promise}")
    if missing:
        print(f"  本年度数据中没有下列事项的数字，报送前宜补充统计：{'、'.join(missing)}")
    if not todo and not missing:
        print("  没有待办事项。")
    return 1 if todo or missing else 0

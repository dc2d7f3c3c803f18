"""Who reports, for which year, read from a report's own title, so that a folder of a district's reports
can be taken in without naming each file: 重庆市南岸区峡口镇人民政府关于2023年法治政府建设情况的报告 →
峡口镇, 2023. The title is the text's first lines up to the one that says 报告 (a web page's own title
when the page gives one). What cannot be read is a DataError naming the file: the user then names it."""

import re

from ..errors import DataError, Problem

TITLE_MAX_LINES = 3
TITLE_MAX_CHARS = 120
_YEAR = re.compile(r"(20[0-9]{2})\s*年")
# a body: up to 8 characters ending in 镇 / 乡 / 街道 (办事处), before what the title says next
_BODY = re.compile(r"([\u4e00-\u9fff]{1,8}?(?:街道|镇|乡))(?=人民政府|政府|办事处|党委|党工委|关于|[（(]|20[0-9]{2}|"
                   r"法治|年度|$)")

# what a title says before the body's own name: the Party committee (中共东山镇委员会 东山镇人民政府…) and
# the district government whose office a 街道 is (青川区人民政府白沙街道办事处…)
_NOT_THE_BODY = re.compile(r"中共[\u4e00-\u9fff]{1,10}?委员会|^\s*(?:人民政府|政府)")


def title_of(text: str, page_title: str = "") -> str:
    """The report's title as written: a web page's own title when it names a report, else the text's first
    lines up to the one that says 报告 (two title lines are one title: a page whose title is only the first,
    中共东山镇委员会 东山镇人民政府, gets the whole title from its text)."""
    if page_title and "报告" in page_title:
        return page_title
    lines = [line.strip() for line in text.strip().splitlines()[:8] if line.strip()][:TITLE_MAX_LINES]
    for n in range(1, len(lines) + 1):
        if "报告" in lines[n - 1]:
            return "".join(lines[:n])[:TITLE_MAX_CHARS]
    return lines[0][:TITLE_MAX_CHARS] if lines else ""


def body_and_year(title: str, district: str, shown: str) -> tuple[str, int]:
    """(body, year) a title names; the district, when the title has it, is skipped first."""
    rest = title.split(district, 1)[1] if district and district in title else re.sub(
        r"^(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区|市))?[\u4e00-\u9fff]{1,7}?(?:区|县|旗)(?=[\u4e00-\u9fff]{2,8}?(?:街道|镇|乡))",
        "", title)
    body = _BODY.search(_NOT_THE_BODY.sub(" ", rest))
    year = _YEAR.search(title)
    missing = [what for what, found in (("主体（镇、乡、街道）", body), ("年度", year)) if not found]
    if missing:
        raise DataError(f"{shown}: 无法从标题识别{'和'.join(missing)}", [
            Problem(shown, None, "标题", title or "(无标题)", "title_names_body_year",
                    f"标题中找不到{'和'.join(missing)}；"
                    "请单独提取这份报告：fazhi extract 文件 --unit 主体 --year 年度")])
    return body[1], int(year[1])

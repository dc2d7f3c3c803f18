"""`fazhi draft --year 2024` for 峡口镇 from its 2023 report and a 2024 workbook, as the office writes next year's
report (issue 19). The workbook (tests/next_year_draft.py) is SYNTHETIC: it changes some 2023 figures, leaves
some out and adds two new items. LibreOffice's reading of the draft is in tests/integration."""

import re
import zipfile
from pathlib import Path

import corpus
import pytest
from conftest import REPO
from docx import Document
from lxml import etree
from next_year_draft import LEFT_OUT, make_drafted
from next_year_draft import comments as _comments

from fazhi_analysis.data.dataset import load_dataset

SEED_TEXT = (REPO / "data" / "raw" / "重庆市南岸区峡口镇_2023.txt").read_text(encoding="utf-8")
# what to do either way (a reviewer: the not-done case alone left 依法拆除辖区工矿企业无证厂房 with no figure)
DONE_MARK = ("依法拆除辖区【请核实本年度是否开展（2023年为“全部约2.7万方”）：开展的，请填写本年数字；"
             "未开展的，请删去这一分句】工矿企业无证厂房")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    return make_drafted(tmp_path_factory.mktemp("next_year"))


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in Document(str(path)).paragraphs]


def test_every_2023_figure_is_updated_with_a_comment_or_marked(drafted):
    data, path, _ = drafted
    text = "\n".join(t for _, t in _paragraphs(path))
    comments = _comments(path)
    dataset = load_dataset(data)
    earlier = dataset.rows_of(dataset.find_body("峡口镇"), 2023)
    for row in earlier.itertuples():
        marked = f"（2023年：“{row.expr}”）" in text or \
            f"【请核实本年度是否开展（2023年为“{row.expr}”）：开展的，请填写本年数字；" in text
        # each comment says what the workbook gave and what 2023 had (a reviewer could not tell whether
        # 未发生 came from the 2024 figures or was carried over from 2023)
        updated = any(c.startswith("2024年填报：") and (f"2023年：{row.expr}；" in c or f"2023年为“{row.expr}”" in c
                                                      or "与2023年相同" in c and f"“{row.expr}”" in c)
                      for c in comments)
        assert marked != updated, row.label  # one or the other, never both, never neither
    assert "2024年填报：60次；2023年：54次；增加6次" in comments and "共计作出行政处罚处理决定60次" in text
    assert "2024年填报：“16000余份”；2023年为“15000余份”" in comments  # 余 on both: the difference is not known
    assert "2024年填报：“未发生”，与2023年相同" in comments
    for expr in LEFT_OUT[1:]:
        assert f"（2023年：“{expr}”）" in text
    # a work finished in full last year may have nothing to report this year: not asked for as a number
    assert DONE_MARK in text
    # a rate left out gets what this year's own counts give
    assert "调解成功率【待补充：2024年数字（2023年：“达98%以上”）；按本年所列件数，245÷250＝98%】" in text
    bare = re.sub(r"【[^】]*】", "", text)
    for old in ("54次", "242件", "238件", "51条", "49名", "15000余份"):
        assert old not in bare, old  # no 2023 number left bare


def test_the_2023_structure_is_kept_and_year_words_move_on(drafted):
    _, path, _ = drafted
    paragraphs = _paragraphs(path)
    headings = [t for style, t in paragraphs if style in ("Heading 1", "Heading 2")]
    seed_headings = [line.strip() for line in SEED_TEXT.splitlines()
                     if re.match(r"^[一二三四五]、|^（[一二三四五]）", line)]
    assert headings == [line.replace("2024年", "2025年").replace("2023年", "2024年") for line in seed_headings]
    assert "四、2025年推进法治政府建设的工作思路目标举措" in headings
    assert paragraphs[0] == ("Title", "重庆市南岸区峡口镇人民政府\n关于2024年法治政府建设情况的报告")


def test_last_years_promises_are_a_checklist_where_the_work_is_reported(drafted):
    _, path, _ = drafted
    comments = [c for c in _comments(path) if c.startswith("2023年报告安排：")]
    # every sentence the 2023 plan promised after its items' leads: the three a number can test left out five
    # a reviewer named (利用微信群、朋友圈, 严格落实行政执法“三项制度”, 加大对信访群众普法释法的力度 …)
    assert len(comments) == 8
    for promise in ("拓展线上法治宣传方式，利用微信群、朋友圈等渠道", "严格落实行政执法“三项制度”",
                    "加大对信访群众普法释法的力度", "持续推进依法治理工作向民生领域延伸",
                    "继续严格落实领导干部带头学法制度"):
        assert any(c.startswith(f"2023年报告安排：{promise}") for c in comments), promise
    assert "2023年报告安排：组织法治理论考试，并要求年轻干部全部参加行政执法人员考试 — 本年度完成情况？" in comments
    anchored = _anchored(path)
    assert "行政执法人员考试" in anchored[next(c for c in comments if "年轻干部" in c)]
    assert "接访下访（36次）" in anchored[next(c for c in comments if "接访下访" in c)]
    assert "法治宣传" in anchored[next(c for c in comments if "法治宣传的频次" in c)]
    # the item 三是强化矛盾纠纷化解 is reported under （四）加强纠纷化解, not where 法治思维 or 重大 recur
    # (a reviewer found them on （三）一是推进依法行政 and 二是形成监督合力)
    for promise in ("向民生领域延伸", "信访群众普法释法"):
        assert anchored[next(c for c in comments if promise in c)].startswith("二是发挥人民调解作用"), promise


def _anchored(path: Path) -> dict[str, str]:
    """Each comment's text → the text of the paragraph it is anchored in."""
    with zipfile.ZipFile(path) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
    texts = {c.comment_id: c.text for c in Document(str(path)).comments}
    out = {}
    for paragraph in document.iter(f"{W}p"):
        text = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
        for start in paragraph.iter(f"{W}commentRangeStart"):
            out[texts[int(start.get(f"{W}id"))]] = text
    return out


def test_new_items_stand_under_their_sub_heading(drafted):
    _, path, _ = drafted
    texts = [t for _, t in _paragraphs(path)]
    five = texts.index("（五）推进法治宣传，提升群众守法意识")
    part_two = texts.index(next(t for t in texts if t.startswith("二、2024年")))
    assert texts[part_two - 1].endswith("16000余份。2024年举办法律知识竞赛2场。")  # the clerk's clause, at the end
    # 2023's part 四 planned 开展法律知识竞赛 (a reviewer: 「2023年报告无此项」 was untrue), so the note says so
    assert ("2023年报告的安排中有“开展法律知识竞赛、播放典型案例片等方式提升群众学法、用法的兴趣与能力”，但未列数字："
            "本句为2024年填报的原句，宜写在该项安排的落实情况处，请核实") in _comments(path)
    four = texts.index("（四）加强纠纷化解，维护社会和谐稳定")
    # no 2023 baseline: the clerk must not write 增加 for it (a reviewer; the page already said so)
    # 2023 planned 增加接访下访次数 but gave no count: the mark says so, not that 2023 never named it (a reviewer)
    new_item = "【新增事项，请写入正文：接访下访（36次）；2023年报告未列接访下访的数字，不宜写“增加”】"
    assert texts[five - 1].endswith(new_item)
    assert four < five - 1


def test_one_off_events_and_carried_sentences_are_marked(drafted):
    _, path, _ = drafted
    text = "\n".join(t for _, t in _paragraphs(path))
    # what to do when it was not; 改写 too, since the sentence may hold work that went on (中心组 study, a reviewer)
    one_off = "【请核实上句所述工作本年度是否开展；未开展的，请改写或删去上句】"
    assert "提升群众的防诈骗意识与运用法律的能力。" + one_off in text
    assert "提高了行政决策水平。" + one_off in text  # 修订《…议事规则》 was 2023's
    assert "主题教育，" in text and "的具体举措，提高镇政府行政决策水平。" + one_off in text
    comments = _comments(path)
    anchored = _anchored(path)
    carried = [c for c in comments if c == "沿用2023年表述，请核实更新"]
    assert 5 <= len(carried) <= 10  # one a sub-heading or part, not one a paragraph
    assert anchored["本部分为2023年报告原文：请说明上年所列不足的整改情况，并重新研判本年的不足和原因"].startswith(
        "三、2024年")
    assert anchored["本部分为2023年报告的工作安排：已完成的请删去或改写，并写出下一年的安排"].startswith("四、2025年")
    # in the text too: without it, deleting all comments sends 2023's plan for 2024 out as the plan for 2025
    texts = [t for _, t in _paragraphs(path)]
    three = texts.index(next(t for t in texts if t.startswith("三、2024年")))
    four = texts.index(next(t for t in texts if t.startswith("四、2025年")))
    assert texts[three + 1] == "【以下为2023年报告所列的不足和原因，请按2024年的情况重写】"
    # under it, 2023's 不足 as 2023 wrote them, not re-dated (a reviewer: 「2024年，我镇…」 hid whose they are)
    assert texts[three + 2].startswith("2023年，我镇的法治政府建设工作取得了一些成效")
    assert texts[four + 1] == "【以下为2023年报告对2024年的安排，请改写为2025年的工作思路目标举措】"
    assert "请删去本句" not in text  # a reviewer: 本句 reached the new 60次 and 未发生 in the same sentence
    assert DONE_MARK in text


def test_no_comments_puts_every_note_in_the_text(drafted):
    _, path, bare = drafted
    assert _comments(bare) == []
    text = "\n".join(t for _, t in _paragraphs(bare))
    for note in _comments(path):
        assert f"【注：{note}】" in text


def test_check_lists_what_is_left_and_follows_the_clerks_work(drafted, tmp_path):
    data, path, _ = drafted
    out_root = path.parents[2]
    run = corpus.fazhi_main("draft", "--year", "2024", "--unit", "峡口镇", "--data-dir", str(data), "--output-root",
                 str(out_root), "--check")
    assert run.returncode == 1
    assert "待补充 3 处" in run.stdout and "尚未说明完成情况：组织法治理论考试" in run.stdout
    assert "待处理：【请核实上句所述工作本年度是否开展；未开展的，请改写或删去上句】" in run.stdout
    # the clerk resolves the first promise in Word: Word gives comment paragraphs ids and marks them done
    _resolve_first_promise(path)
    run = corpus.fazhi_main("draft", "--year", "2024", "--unit", "峡口镇", "--data-dir", str(data), "--output-root",
                 str(out_root), "--check")
    assert "尚未说明完成情况：组织法治理论考试" not in run.stdout
    assert "尚未说明完成情况：在现有基础上，提升法治宣传的频次" in run.stdout


def _resolve_first_promise(path: Path) -> None:
    """What Word writes when a comment is resolved: w14:paraId on the comment's paragraph and a
    commentsExtended part marking that paragraph done."""
    w14 = "http://schemas.microsoft.com/office/word/2010/wordml"
    w15 = "http://schemas.microsoft.com/office/word/2012/wordml"
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    comments = etree.fromstring(members["word/comments.xml"])
    promise = next(c for c in comments.iter(f"{W}comment")
                   if "".join(t.text or "" for t in c.iter(f"{W}t")).startswith("2023年报告安排：组织"))
    list(promise.iter(f"{W}p"))[-1].set(f"{{{w14}}}paraId", "1A2B3C4D")
    members["word/comments.xml"] = etree.tostring(comments, xml_declaration=True, encoding="UTF-8", standalone=True)
    members["word/commentsExtended.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w15:commentsEx xmlns:w15="{w15}">'
        '<w15:commentEx w15:paraId="1A2B3C4D" w15:done="1"/></w15:commentsEx>').encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)



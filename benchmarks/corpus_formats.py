"""The held-out corpus (benchmarks/corpus/*.txt) as offices publish it: .docx (python-docx, 公文 indents,
one paragraph split inside a sentence as a copy leaves it), .pdf (LibreOffice from that .docx) and .html
(a portal page with header, breadcrumb, metadata table, share bar, related links and footer around the
text). Written to a folder given by the caller; nothing here is committed. No test uses this corpus."""

import html
import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.shared import Pt

CORPUS = Path(__file__).parent / "corpus"


def texts() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


def write_docx(text: str, path: Path) -> None:
    document = docx.Document()
    lines = text.strip().splitlines()
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        pieces = [line]
        if len(line) > 60 and "，" in line and i % 3 == 0:  # a copy broke this paragraph inside a sentence
            cut = line.index("，", 20) + 3
            pieces = [line[:cut], line[cut:]]
        for piece in pieces:
            paragraph = document.add_paragraph(piece)
            if i > 0:
                paragraph.paragraph_format.first_line_indent = Pt(32)
            for run in paragraph.runs:
                run.font.size = Pt(16)
                run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    document.save(path)


def write_html(text: str, path: Path, published: str = "2025-01-20") -> None:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    title_lines = next(n for n in range(1, len(lines) + 1) if "报告" in lines[n - 1] or n == 3)
    title, body = " ".join(lines[:title_lines]), lines[title_lines:]  # a portal shows a two-line title as one
    paragraphs = "\n".join(f'<p style="text-indent:2em">{html.escape(line)}</p>' for line in body)
    path.write_text(f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{html.escape(title)}_法治政府建设年度报告_青川区人民政府</title>
<meta name="PubDate" content="{published} 09:30"></head><body>
<div class="top"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a>政务服务</a> <a>互动交流</a>
<a>12345热线</a></div>
<div class="crumb">当前位置：首页 &gt; 政府信息公开 &gt; 法定主动公开内容 &gt; 法治政府建设年度报告</div>
<table class="xxgk"><tr><td>索引号：</td><td>115108000087654321/2025-00031</td><td>发布机构：</td><td>青川区</td></tr>
<tr><td>成文日期：</td><td>{published}</td><td>文号：</td><td>青府发〔2025〕3号</td></tr></table>
<div class="article"><h1>{html.escape(title)}</h1>
<div class="info">发布时间：{published} 来源：青川区人民政府 【字体：大 中 小】 打印本页</div>
<div class="TRS_Editor">{paragraphs}</div></div>
<div class="share">分享到：微信 微博 QQ空间</div>
<div class="related"><h3>相关阅读</h3><ul><li><a>青川区召开2024年法治建设工作会议12次部署</a></li>
<li><a>某镇开展普法宣传活动36场</a></li></ul></div>
<div class="footer">主办：青川区人民政府办公室 联系电话：0839-1234567 网站标识码：5108000001
蜀ICP备05001234号 川公网安备 51080002000123号</div></body></html>""", encoding="utf-8")


def build(folder: Path, sources: list[tuple[Path, str]] | None = None) -> dict[str, list[Path]]:
    """Every text as .docx, .pdf and .html in `folder`: {suffix: files}. `sources` renames: (text, stem)."""
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, list[Path]] = {".docx": [], ".pdf": [], ".html": []}
    for source, stem in sources or [(t, t.stem) for t in texts()]:
        text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
        word = folder / f"{stem}.docx"
        write_docx(text, word)
        made[".docx"].append(word)
        made[".html"].append(folder / f"{stem}.html")
        write_html(text, made[".html"][-1])
    if made[".docx"]:  # one LibreOffice run for all
        work = folder / ".soffice"
        work.mkdir(exist_ok=True)
        from noto_cjk_sans_otc import FONT_PATH

        conf = work / "fonts.conf"
        conf.write_text('<?xml version="1.0"?>\n<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf'
                        f"</include><dir>{Path(FONT_PATH).parent}</dir><cachedir>{work / 'fc'}</cachedir>"
                        "</fontconfig>\n", encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(work)}
        pdf_dir = work / "pdf"
        subprocess.run([shutil.which("soffice") or "soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                        "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(pdf_dir),
                        *map(str, made[".docx"])], capture_output=True, env=env, timeout=600,
                       stdin=subprocess.DEVNULL, check=True)
        for word in made[".docx"]:
            target = folder / f"{word.stem}.pdf"
            shutil.move(pdf_dir / f"{word.stem}.pdf", target)
            made[".pdf"].append(target)
        shutil.rmtree(work)
    return made


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/fazhi-corpus")
    for suffix, files in build(out).items():
        print(suffix, len(files), "files in", out)

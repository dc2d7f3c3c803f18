"""LibreOffice as the real client of a Word file: convert a .docx to PDF as an office PC would print it.

This machine has no CJK system font (office PCs do); fontconfig is pointed at the Noto Sans CJK of the pip
package noto-cjk-sans-otc, with the official 公文 family names mapped to the closest faces present.
Locally a missing LibreOffice or pdftotext skips with the reason; on CI (CI=true) it fails.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

from conftest import require

SOFFICE_TIMEOUT_S = 180


def fontconfig_file(directory: Path) -> Path:
    """The pip package's Noto Sans CJK, plus the official family names mapped to the closest faces the
    system may have (Serif for 宋/仿宋, Kai for 楷); missing faces fall through to Noto Sans CJK."""
    from noto_cjk_sans_otc import FONT_PATH

    aliases = {"方正小标宋简体": ["Noto Serif CJK SC", "AR PL UMing CN"],
               "仿宋_GB2312": ["Noto Serif CJK SC", "AR PL UMing CN"],
               "楷体_GB2312": ["AR PL UKai CN", "Noto Serif CJK SC"],
               "黑体": ["Noto Sans CJK SC"], "宋体": ["Noto Serif CJK SC", "AR PL UMing CN"]}
    rules = "".join(f"  <alias binding=\"same\"><family>{name}</family><prefer>"
                    + "".join(f"<family>{f}</family>" for f in [*faces, "Noto Sans CJK SC"])
                    + "</prefer></alias>\n" for name, faces in aliases.items())
    conf = directory / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{Path(FONT_PATH).parent}</dir>\n  <cachedir>{directory / 'cache'}</cachedir>\n{rules}"
        "</fontconfig>\n", encoding="utf-8")
    return conf


def convert_to_pdf(docx_path: Path, work: Path, export_comments: bool = False) -> Path:
    """The PDF LibreOffice makes of `docx_path`, in `work` (its own profile: parallel runs never share one);
    `export_comments` keeps the Word comments, as PDF annotations."""
    soffice = shutil.which("soffice")
    require(soffice is not None, "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    require(shutil.which("pdftotext") is not None, "pdftotext is not installed (apt-get install poppler-utils)")
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(work)), "HOME": str(work)}
    started = time.perf_counter()
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
         if export_comments else "pdf", "--outdir", str(work), str(docx_path)],
        capture_output=True, text=True, env=env, timeout=SOFFICE_TIMEOUT_S, stdin=subprocess.DEVNULL)
    output = work / (docx_path.stem + ".pdf")
    assert output.exists(), f"LibreOffice made no PDF: {result.stdout} {result.stderr}"
    print(f"LibreOffice docx -> pdf: {time.perf_counter() - started:.1f} s")
    return output


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))

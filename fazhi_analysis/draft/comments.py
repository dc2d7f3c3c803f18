"""The clerk's notes in a draft: real Word comments (python-docx 1.2), which Word and WPS show in the margin
and let the clerk reply to, resolve or delete; or, for offices whose document system strips comments, the
same note written into the text as 【注：…】.

A comment's date is the draft's own (never the clock), so the same draft gives the same bytes.
"""

from collections.abc import Callable

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from ..data.csv_input import xml_safe

AUTHOR = "草稿提示"
INITIALS = "提示"


class Notes:
    def __init__(self, doc: DocxDocument, stamp, as_comments: bool):
        self.doc, self.as_comments = doc, as_comments
        self.date = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")

    def attach(self, runs: list, note: str, write_inline: Callable[[str], object]) -> None:
        """A comment anchored on `runs`, or `write_inline("【注：note】")` when comments are off."""
        if not self.as_comments:
            write_inline(inline(note))
            return
        # a note may quote last year's report, whose text no validation saw: U+FFFF would stop the writer
        comment = self.doc.add_comment(runs, text=xml_safe(note), author=AUTHOR, initials=INITIALS)
        comment._comment_elm.set(qn("w:date"), self.date)


def inline(note: str) -> str:
    return f"【注：{note}】"

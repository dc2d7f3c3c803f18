"""Small OOXML helpers for the 公文 layout engine: elements in the w: namespace, text that keeps its
spaces, and a zip rewritten with fixed timestamps so the same draft gives the same bytes."""

import zipfile
from copy import deepcopy
from io import BytesIO

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)


def w_element(tag: str, **attributes: str):
    made = OxmlElement(tag)
    for name, value in attributes.items():
        made.set(qn(f"w:{name}"), value)
    return made


def w_text(content: str):
    made = w_element("w:t")
    made.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    made.text = content
    return made


def replace_children(parent, new_child) -> None:
    for old in list(parent):
        parent.remove(old)
    parent.append(new_child)


def deep_copy(node):
    return deepcopy(node)


def normalized_zip(data: bytes) -> bytes:
    """The same members in the same order with a fixed timestamp: zipfile stamps members with the
    current time, which would make every run's bytes differ."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()

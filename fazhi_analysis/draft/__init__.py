"""Word drafts of the annual report in 公文 layout: a content model (document) and its layout engine
(gongwen_docx). The engine knows nothing of statistics; whatever writes the content builds a Draft."""

from fazhi_analysis.draft.document import (
    Block,
    Closing,
    Draft,
    Heading1,
    Heading2,
    Paragraph,
    Placeholder,
    Run,
    Suggestion,
    SuggestionKind,
)
from fazhi_analysis.draft.gongwen_docx import docx_bytes, write_docx

__all__ = ["Block", "Closing", "Draft", "Heading1", "Heading2", "Paragraph", "Placeholder", "Run", "Suggestion",
           "SuggestionKind", "docx_bytes", "write_docx"]

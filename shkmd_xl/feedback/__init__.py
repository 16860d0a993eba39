"""A municipality's submission + its findings -> annotated copy (:mod:`.annotated`) and
e-mail drafts (:mod:`.letters`)."""

from .annotated import annotate
from .letters import XLSX_MIME, feedback_draft, reminder_draft, salutation

__all__ = [
    "XLSX_MIME",
    "annotate",
    "feedback_draft",
    "reminder_draft",
    "salutation",
]

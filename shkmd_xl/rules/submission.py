"""Which municipality and template a file is (SUB02–SUB04)."""

from __future__ import annotations

from typing import Any

from ..campaign.addresses import check_address
from ..campaign.models import Campaign
from ..forms import sheets as F
from ..issues import Issue, Location, Severity
from ..reader.book import Book
from .context import closest, norm_name

SOURCE_META = "служебные данные шаблона"
SOURCE_TITLE = "лист «Титул»"
SOURCE_SENDER = "адрес отправителя"
SOURCE_NAME = "имя файла"


_NAME_INDEXES: dict[int, tuple[list[Any], dict[str, str]]] = {}

#: Codes of identifying the submission (template version, municipality, period).
EMITS = frozenset({"SUB02", "SUB03", "SUB04"})


def _name_index(campaign: Campaign) -> dict[str, str]:
    """Normalised municipality name -> code, cached per registry list."""
    muns = campaign.municipalities
    cached = _NAME_INDEXES.get(id(muns))
    if cached is None or cached[0] is not muns:
        if len(_NAME_INDEXES) > 16:
            _NAME_INDEXES.clear()
        cached = (muns, {norm_name(m.name): m.code for m in muns})
        _NAME_INDEXES[id(muns)] = cached
    return cached[1]


def _by_name(campaign: Campaign, name: str, fuzzy: bool) -> str | None:
    if not name:
        return None
    index = _name_index(campaign)
    code = index.get(norm_name(name))
    if code is None and fuzzy:
        guess = closest(name, [m.name for m in campaign.municipalities])
        code = index.get(norm_name(guess)) if guess else None
    return code


def _address(text: str) -> str:
    """An address compared as a mail server sees it: «Иванов <a@b.ru>», ``mailto:`` and
    a domain in Cyrillic letters (``школа.рф``, its IDNA form ``xn--80atjc.xn--p1ai`` in
    a letter's From) read alike."""
    checked = check_address(text)
    return (checked.address if checked.ok else text.strip()).lower()


def identify(
    book: Book, campaign: Campaign, sender: str = "", file_name: str = ""
) -> tuple[str | None, list[Issue]]:
    """Municipality code from _meta → Титул → sender's address → file name."""
    known = {m.code for m in campaign.municipalities}
    sources: dict[str, str] = {}
    meta_code = book.meta.get("municipality_code", "")
    if meta_code in known:
        sources[SOURCE_META] = meta_code
    title_name = book.title.text("municipality") if book.title else ""
    title_code = _by_name(campaign, title_name, fuzzy=True)
    if title_code:
        sources[SOURCE_TITLE] = title_code
    if sender:
        address = _address(sender)
        for m in campaign.municipalities:
            if address in (_address(e) for e in m.emails):
                sources[SOURCE_SENDER] = m.code
    if not sources and file_name:
        for m in campaign.municipalities:
            if m.code.lower() in norm_name(file_name).replace(" ", "_").split("_"):
                sources[SOURCE_NAME] = m.code
    loc = Location(file=book.path.name)
    if not sources:
        cell = book.title.cell("municipality") if book.title else ""
        return None, [
            Issue(
                "SUB03",
                Location(file=book.path.name, sheet=F.TITLE.name, cell=cell),
                value=title_name or None,
            )
        ]
    chosen = next(iter(sources.values()))
    issues = []
    if len(set(sources.values())) > 1:
        described = "; ".join(
            f"{src} — «{campaign.municipality(code).name}»" for src, code in sources.items()
        )
        issues.append(Issue("SUB04", loc, params={"sources": described}))
    return chosen, issues


def template_version(book: Book) -> list[Issue]:
    found = book.meta.get("template_version", "")
    if not found or found == F.TEMPLATE_VERSION:
        return []
    loc = Location(file=book.path.name)
    params = {"found": found, "current": F.TEMPLATE_VERSION}
    if found.split(".")[0] != F.TEMPLATE_VERSION.split(".")[0]:
        return [
            Issue(
                "SUB02", loc, params=params, variant="unreadable", severity_override=Severity.ERROR
            )
        ]
    return [Issue("SUB02", loc, params=params)]

"""Coordinators' e-mail addresses as the campaign gives them: which a letter can go to.

An address is checked the way a mail server will see it: one «@», a name before it in
Latin letters, digits and ``.!#$%&'*+/=?^_`{|}~-`` (a name in Cyrillic letters needs
SMTPUTF8, which few servers accept — nearly always a wrong keyboard layout), a domain
with a dot. A domain in Cyrillic letters (``школа.рф``) is a real domain: the letter goes
to its IDNA form (``xn--80atjc.xn--p1ai``). A label mixing Cyrillic and Latin letters
(a Cyrillic «а» typed in «mаil.ru») is a typo, never a domain anybody meant.
``«Иванов И. И.» <ivanov@mail.ru>`` and ``mailto:`` are read as the address inside.

A municipality without a good address is the finding ML01 (the region's check of its
campaign, consolidate/region.py; ``mail send`` says the same), never a crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..issues import Issue, Location
from ..messages import fragment
from .models import Campaign, Municipality
from .validate import SHEET_MUNICIPALITIES

#: The finding of a municipality whose coordinator no letter can reach.
CODE = "ML01"
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_ANGLE = re.compile(r"<([^<>]*)>\s*$")


@dataclass(frozen=True)
class Checked:
    """One address as typed: the form to send to, or why it cannot be used."""

    given: str
    address: str = ""  # the address for SMTP and the To header ("" when not usable)
    problem: str = ""  # the reason (catalogue fragment ``ML01.<problem>``), "" when fine
    detail: str = ""  # what the reason names (a character, a domain)

    @property
    def ok(self) -> bool:
        return not self.problem

    def reason(self) -> str:
        return fragment(f"{CODE}.{self.problem}", detail=self.detail)


def check_address(text: str) -> Checked:
    """The address ``text`` checked (see the module's description)."""
    given = text.strip()
    value = given
    inner = _ANGLE.search(value)
    if inner:  # «Иванов <ivanov@mail.ru>»
        value = inner.group(1).strip()
    if value.lower().startswith("mailto:"):
        value = value[len("mailto:") :].strip()
    if "," in value or ";" in value:
        return Checked(given, problem="several")
    bad = next((ch for ch in value if ch.isspace() or ch in '<>()[]\\":'), None)
    if bad is not None:
        return Checked(given, problem="space" if bad.isspace() else "char", detail=bad)
    if value.count("@") == 0:
        return Checked(given, problem="no_at")
    if value.count("@") > 1:
        return Checked(given, problem="many_at")
    local, domain = value.split("@")
    if not local:
        return Checked(given, problem="no_local")
    if not domain:
        return Checked(given, problem="no_domain")
    if _CYRILLIC.search(local):
        return Checked(given, problem="local_cyrillic", detail=local)
    if not _LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        return Checked(given, problem="local", detail=local)
    if "." not in domain:
        return Checked(given, problem="no_dot", detail=domain)
    labels = domain.split(".")
    if any(_CYRILLIC.search(x) and _LATIN.search(x) for x in labels):
        return Checked(given, problem="mixed", detail=domain)
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return Checked(given, problem="domain", detail=domain)
    parts = ascii_domain.split(".")
    if not all(_LABEL.match(x) for x in parts) or parts[-1].isdigit() or len(ascii_domain) > 253:
        return Checked(given, problem="domain", detail=domain)
    return Checked(given, address=f"{local}@{ascii_domain}")


def coordinator_addresses(m: Municipality) -> tuple[list[str], list[Checked]]:
    """(the addresses a letter to ``m`` goes to, the ones it cannot) — each once."""
    good: list[str] = []
    bad: list[Checked] = []
    for text in m.emails:
        checked = check_address(text)
        if not checked.ok:
            bad.append(checked)
        elif checked.address.lower() not in (g.lower() for g in good):
            good.append(checked.address)
    return good, bad


def uses_mail(campaign: Campaign) -> bool:
    """The region writes to its municipalities by e-mail: the campaign gives the office's
    address or any coordinator's (a campaign with none has no use for the finding)."""
    return bool(campaign.office_email.strip()) or any(m.emails for m in campaign.municipalities)


def address_findings(m: Municipality) -> list[Issue]:
    """ML01 for ``m``: no address at all, or each address no letter can go to."""
    where = Location(sheet=SHEET_MUNICIPALITIES, municipality=m.name)
    good, bad = coordinator_addresses(m)
    if not m.emails:
        return [Issue(CODE, where, variant="missing", params={"municipality": m.name})]
    out = []
    for checked in bad:
        if good:
            then = fragment(f"{CODE}.others", addresses=", ".join(good))
        else:
            then = fragment(f"{CODE}.nobody")
        out.append(
            Issue(
                CODE,
                where,
                value=checked.given,
                variant="invalid",
                params={"municipality": m.name, "reason": checked.reason(), "then": then},
            )
        )
    return out


__all__ = [
    "CODE",
    "Checked",
    "address_findings",
    "check_address",
    "coordinator_addresses",
    "uses_mail",
]

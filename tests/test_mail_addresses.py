"""Coordinators' addresses (campaign/addresses.py): which a letter can go to, and ML01 —
the region's finding for a municipality no letter (or not every letter) can reach."""

from __future__ import annotations

import pytest

from shkmd_xl.campaign import Campaign, Municipality
from shkmd_xl.campaign.addresses import (
    address_findings,
    check_address,
    coordinator_addresses,
    uses_mail,
)
from shkmd_xl.issues import Severity, beyond_control


@pytest.mark.parametrize(
    ("given", "sent_to"),
    [
        ("ivanov@mail.ru", "ivanov@mail.ru"),
        ("  Ivanov.I@Mail.RU ", "Ivanov.I@mail.ru"),
        ("Иванов И. И. <ivanov@mail.ru>", "ivanov@mail.ru"),
        ("mailto:ivanov@mail.ru", "ivanov@mail.ru"),
        ("coord@школа.рф", "coord@xn--80atdl2c.xn--p1ai"),  # a Cyrillic domain: IDNA
        ("coord@xn--80atdl2c.xn--p1ai", "coord@xn--80atdl2c.xn--p1ai"),
        ("o'brien+mo@edu-region.example.ru", "o'brien+mo@edu-region.example.ru"),
    ],
)
def test_good_addresses(given: str, sent_to: str) -> None:
    checked = check_address(given)
    assert checked.ok and checked.address == sent_to


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("ivanov@", "no_domain"),
        ("ivanov", "no_at"),
        ("@mail.ru", "no_local"),
        ("ivanov@@mail.ru", "many_at"),
        ("ivanov@mail", "no_dot"),
        ("иванов@mail.ru", "local_cyrillic"),
        ("ivanov@mаil.ru", "mixed"),  # a Cyrillic «а» in «mail»
        ("ivanov@-mail.ru", "domain"),
        ("ivanov@mail..ru", "domain"),
        ("ivanov@mail.123", "domain"),
        ("iva..nov@mail.ru", "local"),
        ("ivanov @mail.ru", "space"),
        ("ivanov@mail.ru, petrov@mail.ru", "several"),
        ("ivanov(at)mail.ru", "char"),
    ],
)
def test_bad_addresses_say_why(given: str, problem: str) -> None:
    checked = check_address(given)
    assert not checked.ok and checked.address == "" and checked.problem == problem
    assert checked.reason()  # a Russian reason for the finding


def test_findings_of_a_municipality() -> None:
    none = Municipality(code="M1", name="Первый район")
    [missing] = address_findings(none)
    assert (missing.code, missing.variant) == ("ML01", "missing")
    assert missing.severity is Severity.WARNING and missing.location.sheet == "Муниципалитеты"
    assert "Первый район" in missing.message and "Электронная почта" in missing.message
    assert beyond_control(missing)  # the municipal workbook cannot see the campaign

    partly = Municipality(
        code="M2", name="Второй район", emails=["ivanov@", "petrov@mail.ru", "Petrov@Mail.ru"]
    )
    assert coordinator_addresses(partly)[0] == ["petrov@mail.ru"]  # each address once
    [invalid] = address_findings(partly)
    assert invalid.variant == "invalid" and invalid.value == "ivanov@"
    assert "ivanov@" in invalid.message and "только на petrov@mail.ru" in invalid.message

    nobody = Municipality(code="M3", name="Третий район", emails=["иванов@mail.ru"])
    [alone] = address_findings(nobody)
    assert "не уйдут" in alone.message
    assert address_findings(Municipality(code="M4", name="Ч", emails=["a@школа.рф"])) == []


def test_only_a_campaign_that_uses_mail(campaign: Campaign) -> None:
    assert uses_mail(campaign)
    silent = campaign.model_copy(
        update={
            "office_email": "",
            "municipalities": [
                m.model_copy(update={"emails": []}) for m in campaign.municipalities
            ],
        }
    )
    assert not uses_mail(silent)


@pytest.mark.parametrize(
    ("typed", "sender"),
    [
        ("coord@школа.рф", "coord@xn--80atdl2c.xn--p1ai"),  # the From of a real letter
        ("coord@xn--80atdl2c.xn--p1ai", "Coord@школа.рф"),
        ("Иванов И. И. <Ivanov@Mail.ru>", "ivanov@mail.ru"),
        ("mailto:ivanov@mail.ru", " IVANOV@MAIL.RU "),
    ],
)
def test_a_report_is_known_by_its_sender_however_the_address_is_typed(
    campaign: Campaign, typed: str, sender: str
) -> None:
    """A file without its municipality on «Титул» or in _meta is known by the sender's
    address — the campaign's address as typed and the letter's From compared as a mail
    server sees them (a Cyrillic domain arrives in its IDNA form)."""
    from pathlib import Path

    from shkmd_xl.reader.book import Book
    from shkmd_xl.rules.submission import identify

    target = campaign.municipalities[1]
    others = [
        m.model_copy(update={"emails": [typed] if m.code == target.code else []})
        for m in campaign.municipalities
    ]
    mine = campaign.model_copy(update={"municipalities": others})
    code, issues = identify(Book(Path("отчёт.xlsx")), mine, sender, "отчёт.xlsx")
    assert (code, issues) == (target.code, [])
    nobody, (issue,) = identify(Book(Path("отчёт.xlsx")), mine, "other@mail.ru", "отчёт.xlsx")
    assert nobody is None and issue.code == "SUB03"

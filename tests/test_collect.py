"""The regional run on the demo inbox: summary, statuses, seeded mistakes, idempotency."""

from __future__ import annotations

import email
import re
import sqlite3
import zipfile
from collections import Counter
from email import policy
from email.utils import parsedate_to_datetime
from pathlib import Path

import openpyxl
import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.collect import CollectResult, collect, work_paths
from shkmd_xl.demo import DEMO_PERIODS, MISTAKES, build_inbox
from shkmd_xl.feedback import salutation
from shkmd_xl.feedback.letters import working_days_after
from shkmd_xl.intake.archive import verify
from shkmd_xl.statuses import Status
from shkmd_xl.terminal import collect_summary

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, campaign: Campaign) -> dict:
    root = tmp_path_factory.mktemp("demo")
    out = root / "Результаты"
    results: dict[str, CollectResult] = {}
    history = None
    for period in DEMO_PERIODS:
        history = build_inbox(campaign, root / "Входящие", period, 2026, history)
        results[period] = collect(root / "Входящие" / period, period, campaign, out)
    return {"root": root, "out": out, "results": results}


def gaps(path: Path) -> list[dict]:
    ws = openpyxl.load_workbook(path, read_only=True)["Пробелы"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def statuses(path: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path, read_only=True)["Сводка"]
    return {
        r[0]: r[2]
        for r in ws.iter_rows(min_row=2, values_only=True)
        if r[0] and r[2] and len(str(r[0])) <= 4
    }


def test_summary_numbers(demo: dict) -> None:
    april, november = (collect_summary(demo["results"][p]) for p in DEMO_PERIODS)
    assert april == {
        "received": 14,
        "new": 14,
        "replaced": 0,
        "duplicates": 0,
        "rejected": 1,
        "late": 0,
        "accepted": 12,
        "remarks": 0,
        "redo": 2,  # D11 sent a damaged file: on the list to redo, not «не представлено»
        "missing": 1,
    }
    assert november == {
        "received": 16,
        "new": 15,
        "replaced": 1,
        "duplicates": 1,
        "rejected": 1,
        "late": 1,
        "accepted": 6,
        "remarks": 3,
        "redo": 5,
        "missing": 1,
    }


def test_statuses_in_svodka(demo: dict) -> None:
    got = statuses(demo["results"]["2026-11"].outputs["regional"])
    assert got["SOLN"] == "принято"
    assert {got[c] for c in ("D01", "D02", "D03", "D12")} == {"на доработку"}
    assert {got[c] for c in ("D04", "D13", "D14")} == {"принято с замечаниями"}
    assert got["D10"] == "не представлено"
    assert got["D11"] == "на доработку"  # its only file is damaged: it hears why
    assert got["D07"] == got["D08"] == "принято"  # sent as .msg and as a nested .zip


def test_every_seeded_mistake_is_in_gaps(demo: dict, campaign: Campaign) -> None:
    rows = gaps(demo["results"]["2026-11"].outputs["regional"])
    name = {m.code: m.name for m in campaign.municipalities}
    found = Counter((r["Код"], r["Муниципальное образование"]) for r in rows)
    expected = {
        ("RM02", "D01"): 1,
        ("RM11", "D02"): 1,
        ("MN05", "D03"): 2,
        ("SUB07", "D04"): 1,
        ("SUB06", "D05"): 1,
        ("SUB05", "D06"): 1,
        ("GP01", "D10"): 1,
        ("GP01", "D11"): 0,  # it sent a file (damaged): SUB09 says why, not GP01
        ("SUB09", "D11"): 1,
        ("MN02", "D12"): 1,
        # one per school: D13 copied April, D14's S08 jumped by 35 p.p. in every school
        ("MN07", "D13"): len(campaign.schools_of("D13")),
        ("MN06", "D14"): len(campaign.schools_of("D14")),
    }
    for (code, mun), count in expected.items():
        assert found[(code, name[mun])] == count, (code, mun)
    cells = {(r["Код"], r["Лист"], r["Ячейка"]) for r in rows}
    assert ("RM11", "Повышение квалификации", "B2") in cells
    assert ("MN02", "Мониторинг МОУО", "I2") in cells
    assert {("MN05", "Мониторинг ОО", "D4"), ("MN05", "Мониторинг ОО", "E4")} <= cells
    assert any(r["Код"] == "RM13" for r in rows)  # «Стажировки» over its capacity
    # school-level findings point at a cell: the school's row or the indicator's cell
    for code in ("MN06", "MN07"):
        anchored = [r for r in rows if r["Код"] == code]
        assert anchored and all(r["Ячейка"] and r["Лист"] == "Мониторинг ОО" for r in anchored)
    mn06 = next(r for r in rows if r["Код"] == "MN06")
    assert mn06["Ячейка"].startswith("J")  # S08 is the 8th indicator: column J


def test_sources_and_archive(demo: dict) -> None:
    out = demo["out"]
    inbox = demo["root"] / "Входящие" / "2026-11"
    assert {p.suffix for p in inbox.iterdir()} == {".eml", ".msg"}
    ws = openpyxl.load_workbook(demo["results"]["2026-11"].outputs["regional"], read_only=True)[
        "Источники"
    ]
    sources = list(ws.iter_rows(min_row=2, values_only=True))
    outcomes = Counter(r[4] for r in sources)
    chains = [r[1] for r in sources]
    assert any(
        c.endswith(".msg › Отчёт ШКМД Речной муниципальный район Ноябрь 2026.xlsx") for c in chains
    )
    # the folder inside the archive is kept in the listing (issue 21: never fold
    # «a/readme.txt» and «b/readme.txt»)
    assert any("› Отчёты.zip › Муниципалитет/" in c for c in chains), chains
    assert outcomes["заменён новой версией"] == 1 and outcomes["повтор, пропущен"] == 1
    archived = [p for p in (out / "Архив").rglob("*") if p.is_file()]
    assert archived and all(verify(p) for p in archived)
    db = sqlite3.connect(work_paths(out)["store"])
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    replaced = db.execute("SELECT hash FROM submissions WHERE outcome = 'replaced'").fetchall()
    assert len(replaced) == 1 and any(p.stem == replaced[0][0] for p in archived)


def _store_rows(path: Path) -> dict[str, list[tuple]]:
    db = sqlite3.connect(path)
    return {
        t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
        for t in ("files", "receipts", "refused", "submissions", "findings", "records")
    }


def _content(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_rerun_is_idempotent(demo: dict, campaign: Campaign) -> None:
    out = demo["out"]
    period = "2026-11"
    before_store = _store_rows(work_paths(out)["store"])
    before_book = _content(demo["results"][period].outputs["regional"])
    again = collect(demo["root"] / "Входящие" / period, period, campaign, out)
    assert again.new_files == 0
    assert _store_rows(work_paths(out)["store"]) == before_store
    assert _content(again.outputs["regional"]) == before_book


def test_feedback_copies_and_drafts(demo: dict, campaign: Campaign) -> None:
    result = demo["results"]["2026-11"]
    rows = gaps(result.outputs["regional"])
    d02 = campaign.municipality("D02")
    copy = next(p for p in result.feedback if "_D02_" in p.name)
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames[0] == "Замечания"
    expected = {
        (r["Лист"], r["Ячейка"])
        for r in rows
        if r["Муниципальное образование"] == d02.name and r["Ячейка"]
    }
    commented = {
        (ws.title, c.coordinate)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.comment is not None
    }
    assert commented == expected
    remarks = [r for r in wb["Замечания"].iter_rows(min_row=2, values_only=True)]
    assert {r[0] for r in remarks} == {
        r["Код"] for r in rows if r["Муниципальное образование"] == d02.name
    }
    draft = next(p for p in result.drafts if p.name == "Письмо_D02_2026-11.eml")
    msg = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert d02.emails[0] in str(msg["To"])
    assert "возвращён на доработку" in str(msg["Subject"])
    body = msg.get_body(("plain",)).get_content()
    assert body.startswith(salutation(d02.coordinator))
    assert "пришлите его повторно до 10.12.2026" in body or "повторно до" in body
    assert "С уважением," in body and "Ноябрь" not in body
    (att,) = list(msg.iter_attachments())
    assert att.get_filename() == copy.name
    assert att.get_payload(decode=True) == copy.read_bytes()
    reminder = next(p for p in result.drafts if p.name.startswith("Напоминание_D10"))
    msg = email.message_from_bytes(reminder.read_bytes(), policy=policy.default)
    (att,) = list(msg.iter_attachments())
    assert att.get_filename() == "Шаблон_D10.xlsx"
    assert campaign.municipality("D10").emails[0] in str(msg["To"])


def _body(path: Path) -> tuple[str, str]:
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    part = msg.get_body(("plain",))
    assert part is not None
    return str(msg["Subject"]), part.get_content()


def test_letters_say_what_happened(demo: dict, campaign: Campaign) -> None:
    """Accepted: nothing to resend. Rejected file: why, not «не поступил». Official tone."""
    april = demo["results"]["2026-04"]
    names = {p.name for p in april.drafts}
    assert "Напоминание_D11_2026-04.eml" not in names  # D11 sent a damaged file
    subject, body = _body(next(p for p in april.drafts if p.name == "Письмо_D11_2026-04.eml"))
    assert subject.startswith("Отчёт за апрель 2026 не принят")
    assert "получен, но не принят" in body and "Причина" in body
    assert salutation(campaign.municipality("D11").coordinator) in body
    assert " › " not in body and ".eml" not in body  # the file's own name only
    d11 = email.message_from_bytes(
        next(p for p in april.drafts if p.name == "Письмо_D11_2026-04.eml").read_bytes(),
        policy=policy.default,
    )
    (att,) = list(d11.iter_attachments())
    assert att.get_filename() == "Шаблон_D11.xlsx"  # its personal template to fill
    # the new deadline is counted from the letter's day, never the period's past deadline
    made = parsedate_to_datetime(str(d11["Date"]))
    until = working_days_after(made.date(), campaign.thresholds.rework_working_days)
    assert f"до {until:%d.%m.%Y}" in body
    november = demo["results"]["2026-11"]
    cons = november.consolidation
    remarks = [s.code for s in cons.statuses if s.status is Status.ACCEPTED_REMARKS]
    assert remarks
    for code in remarks:
        subject, body = _body(
            next(p for p in november.drafts if p.name == f"Письмо_{code}_2026-11.eml")
        )
        assert "принят с замечаниями" in subject and "доработку" not in subject
        assert "присылать файл повторно не нужно" in body
        assert "Исправьте" not in body and "за ноябрь 2026" in body
    # a subject says the status «Сводка» shows
    for st in cons.statuses:
        letter = [p for p in november.drafts if p.name == f"Письмо_{st.code}_2026-11.eml"]
        if letter and st.status is Status.ACCEPTED:
            assert _body(letter[0])[0].startswith("Отчёт за ноябрь 2026 принят:")
    for path in november.drafts:
        subject, body = _body(path)
        assert not re.search(r"\d{4}-\d{2}-\d{2}", body), path.name  # dates dd.mm.yyyy
        assert "Уважаемый(ая)" not in body and body.rstrip().splitlines()[-2] == "С уважением,"


def test_salutation_and_plurals() -> None:
    from shkmd_xl.ru import count

    assert salutation("Иванова Мария Петровна") == "Уважаемая Мария Петровна!"
    assert salutation("Петров Сергей Иванович") == "Уважаемый Сергей Иванович!"
    assert salutation("") == "Уважаемые коллеги!"
    forms = ("замечание", "замечания", "замечаний")
    assert [count(n, *forms) for n in (1, 2, 5, 11, 21, 112, 1000)] == [
        "1 замечание",
        "2 замечания",
        "5 замечаний",
        "11 замечаний",
        "21 замечание",
        "112 замечаний",
        "1 000 замечаний",
    ]


def april_sent(campaign: Campaign) -> tuple[int, int]:
    """Files the demo inbox holds for April, and the municipalities silent then."""
    silent = sum(m == "silent" for m in MISTAKES["2026-04"].values())
    return len(campaign.municipalities) - silent, silent


def test_dry_run_writes_nothing(demo: dict, campaign: Campaign, tmp_path: Path) -> None:
    out = tmp_path / "пусто"
    result = collect(demo["root"] / "Входящие" / "2026-04", "2026-04", campaign, out, dry_run=True)
    assert collect_summary(result)["received"] == april_sent(campaign)[0]
    assert result.consolidation is not None
    assert collect_summary(result)["redo"] == 2  # one reads with errors, D11 sent a damaged file
    assert not out.exists()


def test_two_runs_on_one_folder_are_serialised(tmp_path: Path, campaign: Campaign) -> None:
    import threading
    import time

    from shkmd_xl.store import StoreBusy, run_lock

    out = tmp_path / "out"
    inbox = tmp_path / "in"
    inbox.mkdir()
    done = threading.Event()
    with run_lock(out):
        worker = threading.Thread(
            target=lambda: (collect(inbox, "2026-04", campaign, out, workers=1), done.set())
        )
        worker.start()
        time.sleep(1.0)
        assert not done.is_set()  # waits for the lock held here
        with pytest.raises(StoreBusy), run_lock(out, wait_seconds=0.3):
            pass
    worker.join(timeout=60)
    assert done.is_set()
    db = sqlite3.connect(work_paths(out)["store"])
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_cli_collect_json_and_dry_run(demo: dict, tmp_path: Path, campaign: Campaign) -> None:
    import json

    from .clirun import run_cli

    inbox = demo["root"] / "Входящие" / "2026-04"
    out = tmp_path / "cli"
    run = run_cli("collect", str(inbox), "--period", "2026-04", "--out", str(out), "--json")
    assert run.returncode == 0, run.stderr
    payload = json.loads(run.stdout)
    sent, silent = april_sent(campaign)
    assert payload["summary"]["received"] == sent and payload["summary"]["missing"] == silent
    assert Path(payload["outputs"]["regional"]).exists()
    dry = run_cli(
        "collect", str(inbox), "--period", "2026-04", "--out", str(tmp_path / "dry"), "--dry-run"
    )
    assert dry.returncode == 0 and "Пробный запуск" in dry.stdout
    assert f"Получено файлов: {sent}" in dry.stdout.replace("\n", " ")
    assert not (tmp_path / "dry").exists()
    bad = run_cli("collect", str(inbox), "--period", "2030-01")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_regional_workbook_prints_and_reads_well(demo: dict, campaign: Campaign) -> None:
    """A4 with repeated headers on every sheet, at a fixed scale that keeps 8 pt type
    (issue 17: «fit to width» printed 2,6 pt), the first columns repeated when the
    columns continue on further pages, region, period and «Стр. N из M» on each page;
    indicator names beside their codes; Динамика charts percentages only with named series."""
    from shkmd_xl.printing import PORTRAIT_LEAST, openpyxl_widths, plan

    path = demo["results"]["2026-11"].outputs["regional"]
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9 and not ws.sheet_properties.pageSetUpPr.fitToPage
        smallest = 10.0 if ws.title in ("Сводка", "Динамика") else 11.0  # charts: 10 pt
        scale = int(ws.page_setup.scale or 100)  # absent: 100 % (a narrow sheet fits)
        assert smallest * scale / 100 >= 8, ws.title
        if ws.print_title_cols:  # columns continue on further pages: the least readable scale
            assert scale == plan([1000], smallest).scale, ws.title
        elif ws.page_setup.orientation == "portrait":  # narrow: at 100 % or a little less
            assert not plan(openpyxl_widths(ws), smallest).landscape, ws.title
            assert scale >= PORTRAIT_LEAST, ws.title
        assert ws.print_title_rows in ("1:1", "$1:$1"), ws.title
        assert ws.oddFooter.center.text == "Стр. &P из &N", ws.title
        assert campaign.region in (ws.oddHeader.left.text or "")
        assert "Ноябрь 2026" in (ws.oddHeader.right.text or "")
    mouo = [c.value for c in wb["Мониторинг МОУО"][1]]
    first = next(i for i in campaign.moupo_indicators if "Ноябрь" in i.slots)
    assert f"{first.code}. {first.wording}" in mouo
    school = [c.value for c in wb["Мониторинг ОО"][1]]
    assert any(str(v).startswith("S02. ") for v in school)
    dyn = wb["Динамика"]
    headers = [c.value for c in dyn[1]]
    assert headers[:3] == ["Муниципальное образование", "Показатель", "Название показателя"]
    percent = {i.code for i in campaign.school_indicators if i.value_type == "%"}
    start = next(
        r for r in range(1, dyn.max_row + 1) if dyn.cell(r, 1).value == "Регион, среднее по ОО, %"
    )
    region_codes = {dyn.cell(r, 2).value for r in range(start + 1, dyn.max_row + 1)} - {None}
    assert region_codes and region_codes <= percent
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    line = next(c for c in charts if "<c:lineChart>" in c)
    assert "Показатели ОО по периодам, %" in line and "<c:tx><c:strRef>" in line
    bar = next(c for c in charts if "<c:barChart>" in c)
    assert '<c:orientation val="maxMin"/>' in bar  # municipalities in the table's order
    summary = wb["Сводка"]
    legend = [summary.cell(r, 2).value for r in range(1, summary.max_row + 1)]
    assert "принято с замечаниями" in legend  # the legend sits in the wide column B


def test_targets_sheet_is_honest(demo: dict) -> None:
    from shkmd_xl.figures.targets import NOT_COLLECTED

    """No target is shown as met with another quantity; sources named by title."""
    ws = openpyxl.load_workbook(demo["results"]["2026-11"].outputs["regional"])[
        "Показатели проекта"
    ]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    # no expert workbook read yet (shkmd-xl expertise, then collect): said so
    assert rows["Экспертиза подтверждающих документов"][2] == "экспертиза не проведена"
    assert rows["Обучающиеся в профильных сменах и лагерях"][2] == NOT_COLLECTED
    assert rows["ОО с психолого-педагогическим сопровождением"][2] == NOT_COLLECTED
    assert rows["ОО в эффективном режиме работы"][2] not in (NOT_COLLECTED, None)
    assert rows["ОО с подтверждённой положительной динамикой"][2] != "см. «Динамика»"
    implemented = rows["ОО, в которых дорожная карта реализована"]
    assert "доля ОО (а не мероприятий)" in implemented[5]
    # November opens the 2026/2027 roadmap year: progress, no verdict
    assert implemented[3].startswith("срок не наступил")
    # every share states its base: «… ОО …, по N принятым отчётам» (results: the year's)
    assert "принятым отчёт" in implemented[4]
    # this inbox carries no student results: the results' targets say so, no survey stand-in
    effective = rows["ОО в эффективном режиме работы"]
    assert effective[2].startswith("нет результатов обучения за 2026 год") and effective[3] == "—"
    assert effective[5].startswith("по результатам обучения")
    assert not any("seed" in str(v) for r in rows.values() for v in r)


def test_cluster_sheet_in_the_demo(demo: dict) -> None:
    ws = openpyxl.load_workbook(demo["results"]["2026-11"].outputs["regional"])["Кластеры ОО"]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    # the demo's schools barely group (silhouette ≈ 0,13 < 0,25): said in words, no groups
    assert any("средний силуэт" in t for t in cells)
    assert any(t.startswith("Метод: ") for t in cells) and any(
        "Слабый показатель мониторинга" in t for t in cells
    )
    distinct = any("группы различимы" in t for t in cells)
    clusters = {r[2] for r in ws.iter_rows(min_row=2, values_only=True) if isinstance(r[2], int)}
    assert len(clusters) >= 2 if distinct else not clusters


def test_analytical_brief(demo: dict, campaign: Campaign, tmp_path: Path) -> None:
    """The справка: numbered tables and figures, recommendations from the data; read back
    with python-docx and rendered to PDF by LibreOffice."""
    import subprocess

    import docx

    from shkmd_xl.regional.brief import make_brief

    path = make_brief(demo["out"], "2026-11", campaign)
    assert path.name == "Справка_2026-11.docx"
    doc = docx.Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == campaign.region
    assert texts[2] == "АНАЛИТИЧЕСКАЯ СПРАВКА" and "за ноябрь 2026" in texts[3]
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == 10  # nine numbered sections (Word numbers them) and the appendix
    captions = [t for t in texts if t.startswith("Таблица ")]
    assert [c.split(" – ")[0] for c in captions] == [
        f"Таблица {n}" for n in range(1, len(captions) + 1)
    ]
    assert len(doc.tables) == len(captions) + 1  # and the signature block
    assert len(doc.inline_shapes) == 2
    assert any(t.startswith("Рисунок 2 – ") for t in texts)
    missing = campaign.municipality("D10").name
    assert any(t.startswith(f"{missing}: отчёт за ноябрь 2026 не представлен") for t in texts)
    assert any("со слабыми показателями" in t and "рекомендуется включить" in t for t in texts)
    statuses = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert statuses[0] == ["Статус", "Муниципальных образований", "Доля, %"]
    assert sum(int(r[1]) for r in statuses[1:]) == len(campaign.municipalities)
    from .lo import require

    require()
    out = tmp_path / "pdf"  # LibreOffice Writer (installed by .ci/run) renders it
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
        capture_output=True,
        timeout=180,
        check=True,
    )
    pdf = (out / "Справка_2026-11.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type/Page") >= 2


def test_report_command(demo: dict, tmp_path: Path) -> None:
    from .clirun import run_cli

    done = run_cli("report", "--period", "2026-11", "--out", str(demo["out"]))
    assert done.returncode == 0, done.stderr
    assert "Аналитическая справка записана" in done.stdout
    empty = run_cli("report", "--period", "2026-11", "--out", str(tmp_path))
    assert empty.returncode == 2 and "нет результатов сбора" in empty.stderr


def test_working_days_skip_the_weekend() -> None:
    from datetime import date

    assert working_days_after(date(2026, 12, 4), 1) == date(2026, 12, 7)  # Friday → Monday
    assert working_days_after(date(2026, 12, 1), 5) == date(2026, 12, 8)


def test_one_vocabulary_for_a_municipality(demo: dict, campaign: Campaign) -> None:
    """The municipality whose only file was unreadable (D11 in April) reads «на доработку»
    in «Сводка», «Источники» and «Мониторинг МОУО»; a current file carries its
    municipality's status, never a bare «принят»."""
    april = demo["results"]["2026-04"]
    wb = openpyxl.load_workbook(april.outputs["regional"], read_only=True)
    d11 = campaign.municipality("D11").name
    summary = {r[1]: r for r in wb["Сводка"].iter_rows(min_row=2, values_only=True) if r[1]}
    assert "на доработку" in summary[d11]
    sources = list(wb["Источники"].iter_rows(min_row=2, values_only=True))
    mine = [r for r in sources if d11 in r]
    assert mine and all("не прочитан: на доработку" in r for r in mine)
    assert not any(r[4] == "принят" for r in sources)
    statuses = {st.name: st.status.ru for st in april.consolidation.statuses}
    for r in sources:
        if str(r[4]).startswith("текущая версия: "):
            municipality = next(v for v in r if v in statuses)
            assert r[4] == f"текущая версия: {statuses[municipality]}"
    mouo = {r[0]: r for r in wb["Мониторинг МОУО"].iter_rows(min_row=2, values_only=True)}
    assert mouo[d11][1] == "на доработку"

"""Drive headless LibreOffice through UNO (run with Debian's /usr/bin/python3).

Usage: python3 uno_driver.py JOBS.json RESULT.json [--default-profile] [--locale=ru-RU]

--default-profile starts LibreOffice as a new user has it (no recalculation on
load of .xlsx/.ods unless the file asks for it); otherwise every load recalculates.

JOBS.json is a list of jobs:
  {"open": path,
   "cells": [[sheet, "B4", value, kind], ...]   kind: string | number | date | clear
   "save": [[path, filter(, password)], ...]     filter: xlsx | ods | xls
   "read": [[sheet, "A1:R80"], ...],
   "recalc": true,                                 false: read what opening showed
   "pdf": path,                                    export as PDF (what a print shows)
   "heights": [[sheet, row0], ...]}                [height, optimal height] in 1/100 mm
The result holds, per job, the strings shown in the read ranges and every
cell of the document that shows an error (#REF!, #NAME?, Err:5xx ...).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "ods": "calc8", "xls": "MS Excel 97"}
XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


LOCALE = """<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale"
 oor:op="fuse"><value>{}</value></prop></item>
"""


def start(profile: Path, default_profile: bool = False, locale: str = ""):
    (profile / "user").mkdir(parents=True, exist_ok=True)
    if not default_profile:
        xcu = XCU
        if locale:  # the locale of numbers (decimal comma in ru-RU)
            xcu = xcu.replace("</oor:items>", LOCALE.format(locale) + "</oor:items>")
        (profile / "user" / "registrymodifications.xcu").write_text(xcu, encoding="utf-8")
    pipe = f"shkmd{os.getpid()}"
    proc = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"-env:UserInstallation={profile.as_uri()}",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(240):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.25)
    else:
        proc.kill()
        raise RuntimeError("LibreOffice did not start")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    return proc, desktop


def serial(iso: str) -> float:
    return float((dt.date.fromisoformat(iso) - dt.date(1899, 12, 30)).days)


def shown(value) -> str:
    """A cell value as text: whole numbers without «.0»."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def errors(doc) -> list[str]:
    """Every formula cell whose result is an error (#REF!, #NAME?, Err:5xx ...)."""
    error_flag = uno.getConstantByName("com.sun.star.sheet.FormulaResult.ERROR")
    found = []
    sheets = doc.getSheets()
    for name in sheets.getElementNames():
        ranges = sheets.getByName(name).queryFormulaCells(error_flag)
        for address in ranges.getRangeAddresses():
            for r in range(address.StartRow, address.EndRow + 1):
                for c in range(address.StartColumn, address.EndColumn + 1):
                    cell = sheets.getByName(name).getCellByPosition(c, r)
                    found.append(f"{name}!R{r + 1}C{c + 1}: {cell.getString()}")
    return found


def position(addr: str) -> tuple[int, int]:
    letters = "".join(ch for ch in addr if ch.isalpha())
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return int(addr[len(letters) :]) - 1, col - 1


def runs(cells):
    """Cells grouped into runs of adjacent columns of one row (one UNO call per run).

    Strings are set as text, numbers and dates as values — as typed by a user.
    """
    typed = {}
    for sheet, addr, value, kind in cells:
        row, col = position(addr)
        if kind == "string":
            typed[(sheet, row, col)] = str(value)
        elif kind == "number":
            typed[(sheet, row, col)] = float(value)
        elif kind == "date":
            typed[(sheet, row, col)] = serial(value)
        elif kind == "clear":
            typed[(sheet, row, col)] = None
        else:
            raise ValueError(kind)
    current = None
    for (sheet, row, col), value in sorted(typed.items()):
        if value is None:
            if current:
                yield current
                current = None
            yield sheet, row, col, None
            continue
        if (
            current
            and current[0] == sheet
            and current[1] == row
            and current[2] + len(current[3]) == col
        ):
            current[3].append(value)
            continue
        if current:
            yield current
        current = (sheet, row, col, [value])
    if current:
        yield current


def buttons(doc) -> list[list[str]]:
    """[sheet, label, macro URL] of every form button bound to a script."""
    found = []
    sheets = doc.getSheets()
    for name in sheets.getElementNames():
        forms = sheets.getByName(name).getDrawPage().getForms()
        for f in range(forms.getCount()):
            form = forms.getByIndex(f)
            for i in range(form.getCount()):
                control = form.getByIndex(i)
                label = getattr(control, "Label", "")
                for event in form.getScriptEvents(i):
                    found.append([name, label, event.ScriptCode])
    return found


def heights(doc, job) -> list[list[int]]:
    """[row height as saved, the height LibreOffice finds optimal for its content]."""
    out = []
    for sheet, row in job.get("heights", []):
        rows = doc.getSheets().getByName(sheet).getRows().getByIndex(row)
        saved = rows.Height
        rows.OptimalHeight = True
        out.append([saved, rows.Height])
    return out


def run_job(desktop, job) -> dict:
    started = time.perf_counter()
    url = Path(job["open"]).resolve().as_uri()
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
    sheets = doc.getSheets()
    opened = time.perf_counter()
    if not job.get("recalc", True):  # what the user sees on opening, nothing typed
        out = {"read": {}, "errors": errors(doc), "heights": heights(doc, job)}
        for sheet, rng in job.get("read", []):
            area = sheets.getByName(sheet).getCellRangeByName(rng)
            out["read"][f"{sheet}!{rng}"] = [[shown(v) for v in r] for r in area.getDataArray()]
        if job.get("pdf"):
            args = (prop("FilterName", "calc_pdf_Export"), prop("Overwrite", True))
            doc.storeToURL(Path(job["pdf"]).resolve().as_uri(), args)
        doc.close(True)
        return out
    doc.enableAutomaticCalculation(False)  # recalculated once below, as after typing
    doc.lockControllers()
    doc.addActionLock()
    cache: dict = {}
    protected: list = []
    for sheet, row, col, values in runs(job.get("cells", [])):
        if sheet not in cache:
            cache[sheet] = sheets.getByName(sheet)
            if cache[sheet].isProtected():  # setDataArray honours protection, typing
                cache[sheet].unprotect("")  # into unlocked cells does not need it
                protected.append(cache[sheet])
        if values is None:  # a cell to clear
            cache[sheet].getCellByPosition(col, row).setString("")
            continue
        area = cache[sheet].getCellRangeByPosition(col, row, col + len(values) - 1, row)
        area.setDataArray((tuple(values),))
    for sheet in protected:
        sheet.protect("")
    doc.removeActionLock()
    doc.unlockControllers()
    typed = time.perf_counter()
    doc.calculateAll()
    doc.enableAutomaticCalculation(True)
    out: dict = {
        "read": {},
        "errors": errors(doc),
        "timing": {"open": opened - started, "type": typed - opened},
    }
    out["timing"]["recalc"] = time.perf_counter() - typed
    if job.get("modules"):
        libs = doc.BasicLibraries
        out["modules"] = {}
        for lib in libs.getElementNames():
            if not libs.isLibraryLoaded(lib):
                libs.loadLibrary(lib)
            out["modules"][lib] = sorted(libs.getByName(lib).getElementNames())
        out["buttons"] = buttons(doc)
    for sheet, rng in job.get("read", []):
        area = sheets.getByName(sheet).getCellRangeByName(rng)
        out["read"][f"{sheet}!{rng}"] = [[shown(v) for v in row] for row in area.getDataArray()]
    for path, flt, *password in job.get("save", []):
        args = [prop("FilterName", FILTERS[flt]), prop("Overwrite", True)]
        if password:  # an encrypted file, as "Save with password" writes it
            args.append(prop("Password", password[0]))
        doc.storeToURL(Path(path).resolve().as_uri(), tuple(args))
    if job.get("pdf"):
        args = (prop("FilterName", "calc_pdf_Export"), prop("Overwrite", True))
        doc.storeToURL(Path(job["pdf"]).resolve().as_uri(), args)
    doc.close(True)
    return out


def main() -> int:
    jobs = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as tmp:
        locale = next((a.split("=", 1)[1] for a in sys.argv[3:] if a.startswith("--locale=")), "")
        proc, desktop = start(Path(tmp), "--default-profile" in sys.argv[3:], locale)
        try:
            results = [run_job(desktop, job) for job in jobs]
        finally:
            with contextlib.suppress(Exception):
                desktop.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    Path(sys.argv[2]).write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Russian for the few fixed strings of typer/click help and errors."""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import re
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

RU: dict[str, str] = {
    "Usage:": "Использование:",
    "Show this message and exit.": "Показать эту справку и выйти.",
    "Arguments": "Аргументы",
    "Options": "Параметры",
    "Commands": "Команды",
    "Error": "Ошибка",
    "Aborted.": "Прервано.",
    "[default: {}]": "[по умолчанию: {}]",
    "[required]": "[обязательно]",
    "Missing argument": "Не указан аргумент",
    "Missing option": "Не указан параметр",
    "Missing parameter": "Не указан параметр",
    "Invalid value": "Недопустимое значение",
    "No such option: {name}": "Нет такого параметра: {name}",
    "No such command {name!r}.": "Нет такой команды {name!r}.",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "Справка: [blue]'{command_path} {help_option}'[/]",
    "Try {command!r} for help.": "Справка: {command!r}",
    "Got unexpected extra argument ({args})": "Лишний аргумент ({args})",
    "Install completion for the current shell.": "Установить автодополнение для оболочки.",
    "Show completion for the current shell, to copy it or customize the installation.": "Показать автодополнение для оболочки.",
    "Path {0} {name} does not exist.": "Путь {0} «{name}» не существует.",
    "File": "Файл",
    "Directory": "Папка",
    "Path": "Путь",
}

_MODULES = (
    "typer._click.core",
    "typer._click.decorators",
    "typer._click.formatting",
    "typer._click.exceptions",
    "typer._click.types",
    "typer.core",
    "typer.rich_utils",
    "typer.main",
    "click.core",
    "click.decorators",
    "click.formatting",
    "click.exceptions",
    "click.types",
)
_CONSTANTS = {
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
    "REQUIRED_LONG_STRING": "[required]",
    "DEFAULT_STRING": "[default: {}]",
}


def translate(message: str) -> str:
    return RU.get(message, message)


#: typer ≥ 0.25 builds its usage errors with f-strings (no gettext): their English
#: patterns -> Russian. Applied to the whole message an error prints.
ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), ru)
    for pattern, ru in (
        (r"No such option: (\S+)", r"Нет такого параметра: \1"),
        (r"\(Possible options: (.*)\)", r"(возможно, имелось в виду: \1)"),
        (r"Missing argument '([^']*)'\.", r"Не указан аргумент «\1»."),
        (r"Missing option '([^']*)'\.", r"Не указан параметр «\1»."),
        (r"Missing parameter: (\S+)", r"Не указан параметр «\1»"),
        (r"Missing command\.", "Не указана команда."),
        (r"Invalid value for '([^']*)': ", r"Недопустимое значение «\1»: "),
        (r"Invalid value: ", "Недопустимое значение: "),
        (r"Got unexpected extra argument\(s\) \((.*)\)", r"Лишние аргументы: \1"),
        (r"'([^']*)' is not one of (.*)\.", r"«\1» — допустимы только: \2."),
        (r"Value '([^']*)' is not a valid (\w+)\.", r"«\1» — не подходящее значение (\2)."),
        (
            r"(?:File|Directory|Path) '([^']*)' does not exist\.",
            r"Нет такого файла или папки: «\1».",
        ),
        (r"(?:File|Path) '([^']*)' is a directory\.", r"«\1» — это папка, а нужен файл."),
        (r"(?:File|Directory|Path) '([^']*)' is not readable\.", r"Нет доступа на чтение: «\1»."),
    )
)


def translate_error(message: str) -> str:
    """A typer/click usage error in Russian (patterns not known stay as they are)."""
    for pattern, ru in ERRORS:
        message = pattern.sub(ru, message)
    return message


def install() -> None:
    """Make typer/click print their fixed strings in Russian (best effort).

    Modules already imported are patched now; the others (typer's rich help, click)
    when something imports them — a plain ``shkmd-xl check`` never loads rich's help
    renderer, and importing it only to translate it cost a third of the command's time.
    """
    for name in _MODULES:
        module = sys.modules.get(name)
        if module is not None:
            _translate_module(module)
    if not any(isinstance(f, _TranslateOnImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _TranslateOnImport())
    _patch_vendored_click()


def _translate_module(module: ModuleType) -> None:
    tr: Callable[[str], str] = translate
    if hasattr(module, "_"):
        module._ = tr  # type: ignore[attr-defined]
    if module.__name__.endswith("rich_utils"):
        for const, english in _CONSTANTS.items():
            if hasattr(module, const):
                setattr(module, const, translate(english))
        show = getattr(module, "rich_format_error", None)
        if show is not None and not getattr(show, "_ru", False):

            def rich_format_error(error: Any, _show: Any = show) -> Any:
                english = error.format_message
                error.format_message = lambda: translate_error(english())
                return _show(error)

            rich_format_error._ru = True  # type: ignore[attr-defined]
            module.rich_format_error = rich_format_error  # type: ignore[attr-defined]


class _TranslateOnImport(importlib.abc.MetaPathFinder):
    """Translate one of ``_MODULES`` right after it is first imported."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in _MODULES:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _TranslatingLoader(spec.loader)
        return spec


class _TranslatingLoader(importlib.abc.Loader):
    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._inner.exec_module(module)
        _translate_module(module)


def _patch_vendored_click() -> None:
    """typer ≥ 0.25 vendors click without gettext: patch its two English defaults."""
    try:
        core = importlib.import_module("typer._click.core")
        formatting = importlib.import_module("typer._click.formatting")
    except ImportError:
        return
    write_usage = formatting.HelpFormatter.write_usage

    def ru_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> Any:
        return write_usage(self, prog, args, RU["Usage:"] + " " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = ru_usage
    for cls in vars(core).values():
        if isinstance(cls, type) and "get_help_option" in vars(cls):
            target: Any = cls
            original = target.get_help_option

            def get_help_option(self: Any, ctx: Any, _orig: Any = original) -> Any:
                opt = _orig(self, ctx)
                if opt is not None:
                    opt.help = RU["Show this message and exit."]
                return opt

            target.get_help_option = get_help_option

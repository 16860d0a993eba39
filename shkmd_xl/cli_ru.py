"""Russian for the few fixed strings of typer/click help and errors."""

from __future__ import annotations

import importlib
from collections.abc import Callable
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


def install() -> None:
    """Make typer/click print their fixed strings in Russian (best effort)."""
    tr: Callable[[str], str] = translate
    for name in _MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "_"):
            module._ = tr  # type: ignore[attr-defined]
        if name.endswith("rich_utils"):
            for const, english in _CONSTANTS.items():
                if hasattr(module, const):
                    setattr(module, const, translate(english))
    _patch_vendored_click()


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

"""Layout of the regional console and of the municipal check buttons (one description).

The workbook builder places cells and buttons from here; the xlwings entry
points read settings and write results at the same places.
"""

from __future__ import annotations

from dataclasses import dataclass

CONSOLE_SHEET = "Пульт"
CONF_SHEET = "xlwings.conf"
REMARKS_SHEET = "Замечания"


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    cell: str  # A1 address of the value on «Пульт»
    name: str  # workbook-level defined name
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "inbox",
        "Папка входящих",
        "B3",
        "shkmd_inbox",
        "Папка, куда сохранены письма (.eml, .msg), архивы и файлы муниципалитетов.",
    ),
    Setting("period", "Отчётный период", "B4", "shkmd_period", "Выберите период из списка."),
    Setting(
        "out",
        "Папка результатов",
        "B5",
        "shkmd_out",
        "Здесь появятся свод, архив, база и замечания.",
    ),
    Setting(
        "campaign",
        "Файл кампании",
        "B6",
        "shkmd_campaign",
        "Необязательно: файл кампании (.xlsx). Пусто — демонстрационная кампания.",
    ),
    Setting(
        "file",
        "Файл для проверки",
        "B7",
        "shkmd_file",
        "Для кнопки «Проверить один файл»: путь к книге муниципалитета.",
    ),
    Setting(
        "reason",
        "Причина решения",
        "B8",
        "shkmd_reason",
        "Для кнопок «Принять» и «Вернуть на доработку»: причина (необязательно); "
        "выделите строку муниципалитета в таблице статусов и нажмите кнопку.",
    ),
)
MESSAGE_CELL = "B9"  # Russian status / error message of the last action
SUMMARY_CELL = "B10"  # DHIS2-style summary of the last collect
STATUS_HEADER_ROW = 12  # 1-based row of the status table header
STATUS_COLUMNS = (
    "Код",
    "Муниципальное образование",
    "Статус",
    "Получен",
    "Ошибок",
    "Предупреждений",
    "Файл замечаний",
)


@dataclass(frozen=True)
class Button:
    caption: str
    macro: str  # public Sub of macros/*.bas
    cell: str  # where the button's top-left corner sits


REGION_BUTTONS: tuple[Button, ...] = (
    Button("Собрать и проверить", "CollectAndCheck", "D3"),
    Button("Проверить один файл", "CheckOneFile", "D5"),
    Button("Создать шаблоны", "MakeTemplates", "D7"),
    Button("Открыть сводный отчёт", "OpenReport", "F3"),
    Button("Открыть папку замечаний", "OpenFeedbackFolder", "F5"),
    Button("Аналитическая справка", "MakeBrief", "F7"),
    Button("Принять", "AcceptSelected", "H3"),
    Button("Вернуть на доработку", "ReturnSelected", "H5"),
    Button("Получить почту", "FetchMail", "J3"),
    Button("Отправить письма", "SendLetters", "J5"),
)
MUNICIPAL_BUTTONS: tuple[Button, ...] = (
    Button("Проверить", "CheckWorkbook", "D3"),
    Button("Очистить замечания", "ClearRemarks", "D6"),
)
#: xlwings settings a user may need, with their explanation (sheet «xlwings.conf»).
#: INTERPRETER_WIN is written only with a real path (see template.console): an empty
#: value in the workbook would hide the user's own xlwings settings.
INTERPRETER_HELP = (
    "Полный путь к pythonw.exe, в который установлен shkmd_xl. Записан при сборке книги "
    "(build-workbooks): pythonw.exe той же папки Scripts, из которой она запущена. "
    "Переустановили Python в другую папку — исправьте путь здесь."
)
CONF_KEYS: tuple[tuple[str, str, str], ...] = (
    ("SHOW CONSOLE", "False", "True — показывать окно консоли Python (для диагностики)."),
)

"""Student results as the region's data: the assessments (ЕГЭ, ОГЭ, ВПР, РДР) with their
subjects, grades, scales and thresholds, and the rules the figures apply to results.

Seed 000 §1.5: the integral indicator of a school's educational result is built from
ЕГЭ, ОГЭ and РДР «приведенные к сопоставимому виду»; every number no project document
gives (weights, bounds, margins, noise) is a default the region sets itself.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: The document the integral indicator comes from (seed 000).
METHOD_INTEGRAL = "Региональная методика работы с ОО Московской области, п. 1.5"
#: How a rule no project document gives is shown beside its verdicts.
REGION_RULE = "правило региона: в документах проекта не задано"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Assessment(_Model):
    """An assessment procedure whose results schools report or the region imports."""

    code: str = Field(min_length=1, max_length=12)
    name: str = Field(min_length=1)
    subjects: list[str] = Field(min_length=1)
    grades: list[int] = Field(min_length=1)
    #: «средний балл» or «средняя отметка»: what the mean column of this assessment holds
    mean_kind: str = "средний балл"
    scale_min: float = 0
    scale_max: float = 100
    #: what «не преодолели минимальный порог» means for this assessment (as the share is
    #: counted by the school or the data-processing centre)
    min_threshold: str = ""
    #: what a «высокий результат» is
    high_threshold: str = ""
    #: weight of the assessment in the integral indicator (0: not in it)
    weight: float = Field(default=1.0, ge=0)
    #: the spread (standard deviation) of one student's result on the scale: the noise of a
    #: school's mean is it / √participants (confirmed positive change)
    student_sd: float = Field(default=15.0, gt=0)

    @field_validator("grades")
    @classmethod
    def _grades(cls, value: list[int]) -> list[int]:
        for g in value:
            if not 1 <= g <= 11:
                raise ValueError(f"класс {g} вне 1–11")
        return value

    @property
    def span(self) -> float:
        return max(self.scale_max - self.scale_min, 1e-9)


def default_assessments() -> list[Assessment]:
    """ЕГЭ, ОГЭ, ВПР and РДР with the subjects most regions report (a region edits them)."""
    return [
        Assessment(
            code="ЕГЭ",
            name="Единый государственный экзамен",
            subjects=[
                "Русский язык",
                "Математика (профильный уровень)",
                "Физика",
                "Химия",
                "Информатика",
                "Биология",
                "История",
                "География",
                "Обществознание",
                "Литература",
                "Иностранный язык",
            ],
            grades=[11],
            mean_kind="средний балл",
            scale_min=0,
            scale_max=100,
            min_threshold="ниже минимального балла Рособрнадзора по предмету",
            high_threshold="81–100 баллов",
            weight=1,
            student_sd=15,
        ),
        Assessment(
            code="ОГЭ",
            name="Основной государственный экзамен",
            subjects=[
                "Русский язык",
                "Математика",
                "Физика",
                "Химия",
                "Информатика",
                "Биология",
                "История",
                "География",
                "Обществознание",
                "Литература",
                "Иностранный язык",
            ],
            grades=[9],
            mean_kind="средняя отметка",
            scale_min=2,
            scale_max=5,
            min_threshold="отметка «2»",
            high_threshold="отметка «5»",
            weight=1,
            student_sd=0.7,
        ),
        Assessment(
            code="ВПР",
            name="Всероссийские проверочные работы",
            subjects=[
                "Русский язык",
                "Математика",
                "Окружающий мир",
                "История",
                "Биология",
                "География",
                "Обществознание",
                "Физика",
                "Химия",
                "Иностранный язык",
            ],
            grades=[4, 5, 6, 7, 8, 10, 11],
            mean_kind="средняя отметка",
            scale_min=2,
            scale_max=5,
            min_threshold="отметка «2»",
            high_threshold="отметка «5»",
            # seed 000 §1.5: ВПР serve to judge the reliability of results, not the indicator
            weight=0,
            student_sd=0.7,
        ),
        Assessment(
            code="РДР",
            name="Региональные диагностические работы",
            subjects=["Русский язык", "Математика", "Естественно-научная грамотность"],
            grades=[5, 6, 7, 8, 9, 10, 11],
            mean_kind="средний процент выполнения",
            scale_min=0,
            scale_max=100,
            min_threshold="ниже порога «базовый уровень» работы",
            high_threshold="«высокий уровень» работы",
            weight=1,
            student_sd=18,
        ),
    ]


class ResultsRules(_Model):
    """When results are due and how the figures judge them (the region's settings)."""

    #: monitoring months whose report carries «Результаты обучения» (seed 003: stage II,
    #: the results of the state exams, in June)
    months: list[str] = Field(default_factory=lambda: ["Июнь"])
    #: schools with low results: the lowest this % of project schools by the integral
    #: indicator, or (when ``low_integral`` is set) those below that value
    low_share: float = Field(default=25.0, ge=0, le=100)
    low_integral: float | None = None
    #: zone of low quality (school × subject): the school's mean below the region's by more
    #: than this % of the assessment's scale …
    zone_margin: float = Field(default=10.0, ge=0)
    #: … or more than this % of its participants below the minimum threshold
    zone_fail_share: float = Field(default=15.0, ge=0, le=100)
    #: a mean that moved by more than this % of the scale against the school's previous
    #: year (rule RS07: check the numbers)
    jump: float = Field(default=25.0, gt=0)
    #: more participants in one row than this is implausible for one school's grade
    max_participants: int = Field(default=400, ge=1)
    #: effective mode by results: integral indicator at least this (0: the region's mean) …
    effective_min_integral: float = 0.0
    #: … and at most this % of participants below the minimum threshold
    effective_max_fail: float = Field(default=10.0, ge=0, le=100)
    #: source of the effective-mode rule (empty: the region's own rule)
    effective_source: str = ""
    #: effective mode also needs the survey condition of «Пороги» (effective_mode_rule)
    effective_survey: bool = False
    #: confirmed positive change: the integral rose by more than this many standard errors
    #: of the change (1,96: a rise a measurement's noise gives in fewer than 1 case of 40)
    confirm_z: float = Field(default=1.96, ge=0)
    #: source of the positive-change rule (empty: the region's own rule)
    positive_source: str = ""
    #: the assessments of the state final attestation: «все выпускники преодолели
    #: минимальный порог» (seed 004) is judged on their results
    graduate_assessments: str = "ЕГЭ, ОГЭ"
    #: national means the region may enter: «ЕГЭ/Русский язык/11 = 68,2; …»
    national_means: str = ""
    #: header names of an export of the data-processing centre (``results import``), by
    #: field; several names through «;», compared without case, «ё» and spaces
    import_school: str = "ОО; Код ОО; Наименование ОО; Школа; ОУ; Образовательная организация"
    import_assessment: str = "Процедура; Оценочная процедура; Вид оценки; Экзамен"
    import_subject: str = "Предмет; Учебный предмет"
    import_grade: str = "Класс; Параллель"
    import_participants: str = (
        "Участников; Количество участников; Кол-во участников; Число участников"
    )
    import_mean: str = "Средний балл; Средняя отметка; Средний тестовый балл; Средний результат"
    import_fail_share: str = (
        "Не преодолели минимальный порог, %; Доля не преодолевших минимальный порог; "
        "Доля не преодолевших порог, %; Доля «2», %"
    )
    import_high_share: str = (
        "Высокие результаты, %; Доля высоких результатов; Доля высоких результатов, %"
    )

    def import_headers(self) -> dict[str, list[str]]:
        """Field -> the header names that mean it in an export."""
        return {
            key.removeprefix("import_"): [h.strip() for h in value.split(";") if h.strip()]
            for key, value in self.model_dump().items()
            if key.startswith("import_")
        }

    @field_validator("effective_survey", mode="before")
    @classmethod
    def _yes_no(cls, value: object) -> object:
        text = str(value if value is not None else "").strip().casefold()
        if text in ("", "нет", "false", "0"):
            return False
        if text in ("да", "true", "1"):
            return True
        raise ValueError(f"«{value}» — пишите «да» или «нет»")

    @field_validator("national_means")
    @classmethod
    def _national(cls, value: str) -> str:
        parse_national(value)
        return value

    def national(self) -> dict[tuple[str, str, int], float]:
        return parse_national(self.national_means)

    def source(self, which: str) -> str:
        """«по документу …» or «правило региона: …» for ``effective`` / ``positive``."""
        text = {"effective": self.effective_source, "positive": self.positive_source}.get(which, "")
        return f"по документу: {text}" if text else REGION_RULE


def parse_national(text: str) -> dict[tuple[str, str, int], float]:
    """«ЕГЭ/Русский язык/11 = 68,2; ОГЭ/Математика/9 = 3,6» -> {(ЕГЭ, Русский язык, 11): 68.2}."""
    out: dict[tuple[str, str, int], float] = {}
    for part in filter(str.strip, text.split(";")):
        key, sep, value = part.partition("=")
        bits = [b.strip() for b in key.split("/")]
        try:
            if not sep or len(bits) != 3:
                raise ValueError
            out[(bits[0], bits[1], int(bits[2]))] = float(value.strip().replace(",", "."))
        except ValueError:
            raise ValueError(
                f"«{part.strip()}» не понято: пишите «процедура/предмет/класс = число», "
                "например «ЕГЭ/Русский язык/11 = 68,2»; пары — через «;»"
            ) from None
    return out


class ResultsSettings(_Model):
    """The assessments and the rules over their results."""

    assessments: list[Assessment] = Field(default_factory=default_assessments, min_length=1)
    rules: ResultsRules = Field(default_factory=ResultsRules)

    def assessment(self, code: str) -> Assessment | None:
        for a in self.assessments:
            if a.code == code:
                return a
        return None

    @property
    def subjects(self) -> list[str]:
        """Every subject of every assessment, once, in order (the form's dropdown)."""
        seen: dict[str, None] = {}
        for a in self.assessments:
            for s in a.subjects:
                seen.setdefault(s, None)
        return list(seen)

    @property
    def grades(self) -> list[int]:
        return sorted({g for a in self.assessments for g in a.grades})


#: Parameters of «Правила результатов» by their Russian names.
RULE_NAMES: dict[str, str] = {
    "months": "Месяцы сбора результатов",
    "low_share": "ОО с низкими результатами: доля ОО с наименьшим показателем, %",
    "low_integral": "ОО с низкими результатами: интегральный показатель ниже",
    "zone_margin": "Зона низкого качества: ниже регионального среднего более чем на, % шкалы",
    "zone_fail_share": "Зона низкого качества: не преодолели порог более, %",
    "jump": "Резкое изменение среднего за год, % шкалы",
    "max_participants": "Наибольшее правдоподобное число участников в строке",
    "effective_min_integral": "Эффективный режим: интегральный показатель не ниже",
    "effective_max_fail": "Эффективный режим: не преодолели порог не более, %",
    "effective_source": "Эффективный режим: документ-источник правила",
    "effective_survey": "Эффективный режим: учитывать также условие анкет (да/нет)",
    "confirm_z": "Подтверждённая динамика: рост больше стольких стандартных ошибок",
    "positive_source": "Подтверждённая динамика: документ-источник правила",
    "graduate_assessments": "Процедуры ГИА (все выпускники преодолели порог)",
    "national_means": "Средние по России (процедура/предмет/класс = число; …)",
    "import_school": "Импорт: заголовки столбца ОО",
    "import_assessment": "Импорт: заголовки столбца процедуры",
    "import_subject": "Импорт: заголовки столбца предмета",
    "import_grade": "Импорт: заголовки столбца класса",
    "import_participants": "Импорт: заголовки столбца участников",
    "import_mean": "Импорт: заголовки столбца среднего",
    "import_fail_share": "Импорт: заголовки доли не преодолевших порог",
    "import_high_share": "Импорт: заголовки доли высоких результатов",
}
#: What each parameter means; every default is the region's to set.
TO_SET = " (значение по умолчанию: в документах проекта его нет — задайте своё)"
RULE_DESCRIPTIONS: dict[str, str] = {
    "months": "Месяцы мониторинга, в отчёт которых входит лист «Результаты обучения» "
    "(через запятую; методика: этап II — итоги ГИА, июнь)",
    "low_share": "Доля ОО проекта с наименьшим интегральным показателем, которые считаются "
    "ОО с низкими результатами (методика, п. 1.5: критерий отбора — интегральный показатель; "
    "границу методика не задаёт)" + TO_SET,
    "low_integral": "Если задано — граница интегрального показателя вместо доли ОО" + TO_SET,
    "zone_margin": "Предмет ОО — зона низкого качества, если средний результат ОО ниже "
    "регионального более чем на эту долю шкалы процедуры" + TO_SET,
    "zone_fail_share": "… или если доля не преодолевших минимальный порог больше этого" + TO_SET,
    "jump": "Изменение среднего результата ОО по предмету за год больше этой доли шкалы — "
    "предупреждение «проверьте данные»" + TO_SET,
    "max_participants": "Больше участников в одной строке (ОО × процедура × предмет × класс) "
    "не бывает — предупреждение" + TO_SET,
    "effective_min_integral": "ОО в эффективном режиме по результатам: интегральный "
    "показатель не ниже (0 — средний уровень региона)" + TO_SET,
    "effective_max_fail": "… и доля участников ниже минимального порога не больше" + TO_SET,
    "effective_source": "Документ, из которого взято правило эффективного режима (пусто — "
    "правило региона)",
    "effective_survey": "«да» — ОО в эффективном режиме, только если выполнено и условие "
    "показателей мониторинга ОО (лист «Пороги», effective_mode_rule); «нет» — только по "
    "результатам обучения" + TO_SET,
    "confirm_z": "Положительная динамика подтверждена, если рост интегрального показателя "
    "больше стольких стандартных ошибок, рассчитанных по числу участников (1,96 — рост, "
    "который случайный разброс даёт реже 1 раза из 40)" + TO_SET,
    "positive_source": "Документ, из которого взято правило подтверждённой динамики (пусто — "
    "правило региона)",
    "graduate_assessments": "Процедуры, по которым судят, что все выпускники преодолели "
    "минимальный порог (дорожная карта АСОУ: цель «100 % выпускников»); через запятую",
    "national_means": "Средние результаты по России, если регион их знает, например "
    "«ЕГЭ/Русский язык/11 = 68,2; ОГЭ/Математика/9 = 3,6»",
    **{
        f"import_{key}": "Как называется этот столбец в выгрузке РЦОИ (shkmd-xl results import): "
        "несколько названий — через «;»; регистр и «ё» не важны"
        for key in (
            "school",
            "assessment",
            "subject",
            "grade",
            "participants",
            "mean",
            "fail_share",
            "high_share",
        )
    },
}

"""Synthetic registries of realistic size for the benchmarks."""

from __future__ import annotations

import random

from shkmd_xl.campaign import Campaign, Municipality, School, default_campaign


def region_campaign(
    n_municipalities: int, schools_per_municipality: tuple[int, int] = (1, 15), seed: int = 0
) -> Campaign:
    """The default campaign with a generated registry of the given size."""
    rnd = random.Random(seed)
    base = default_campaign()
    municipalities, schools = [], []
    for i in range(1, n_municipalities + 1):
        code = f"B{i:03d}"
        municipalities.append(
            Municipality(
                code=code,
                name=f"Муниципальный округ № {i} (синтетика)",
                coordinator="Иванова Мария Петровна",
                position="Специалист",
                emails=[f"mo{i}@bench.example.ru"],
                phone="+7 000 000-00-00",
            )
        )
        for j in range(1, rnd.randint(*schools_per_municipality) + 1):
            schools.append(
                School(
                    code=f"{code}-{j:02d}",
                    name=f"МБОУ СОШ № {j} округа {i}",
                    short_name=f"СОШ № {j} округа {i}",
                    municipality=code,
                )
            )
    return base.model_copy(update={"municipalities": municipalities, "schools": schools})

"""«Кластеры ОО»: a stated, reproducible method with known answers; zones of low quality."""

from __future__ import annotations

import sys

from shkmd_xl.figures.clusters import School, cluster_schools


def _schools() -> list[School]:
    """Two clear profiles: five strong schools and five weak ones; one weak on S09 only."""
    strong = [
        School("МО 1", f"Сильная {i}", {"S03": 85 + i, "S05": 80 - i, "S09": 75 + i})
        for i in range(5)
    ]
    weak = [
        School("МО 2", f"Слабая {i}", {"S03": 45 + i, "S05": 40 + i, "S09": 35 - i})
        for i in range(5)
    ]
    return strong + weak


def test_two_profiles_give_two_clusters_and_the_same_on_a_rerun() -> None:
    first = cluster_schools(_schools(), ["S03", "S05", "S09"])
    again = cluster_schools(_schools(), ["S03", "S05", "S09"])
    assert not isinstance(first, str) and not isinstance(again, str)
    assert first.k == 2 and first.silhouette > 0.7
    groups = {s.name: s.cluster for s in first.schools}
    assert len({groups[f"Сильная {i}"] for i in range(5)}) == 1
    assert len({groups[f"Слабая {i}"] for i in range(5)}) == 1
    assert groups["Сильная 0"] != groups["Слабая 0"]
    assert groups == {s.name: s.cluster for s in again.schools}  # fixed seed
    weak = next(c for c in first.clusters if c.number == groups["Слабая 0"])
    assert weak.size == 5 and weak.profile == "ниже среднего: S03; S05; S09"
    assert weak.means["S03"] == 47.0
    named = cluster_schools(_schools(), ["S03", "S05"], {"S03": "Средний результат", "S05": "X"})
    assert not isinstance(named, str)
    assert {c.profile for c in named.clusters} == {
        "выше среднего: средний результат; X",
        "ниже среднего: средний результат; X",
    }


def test_weak_structure_is_said_in_words() -> None:
    """Below the campaign's silhouette bound the schools «do not form distinct groups»;
    above it the grouping is stated with its quality — no jargon either way."""
    strong = cluster_schools(_schools(), ["S03", "S05", "S09"], bound=0.25)
    assert not isinstance(strong, str) and strong.distinct
    assert "группы различимы" in strong.quality()
    weak = cluster_schools(_schools(), ["S03", "S05", "S09"], bound=0.99)
    assert not isinstance(weak, str) and not weak.distinct
    assert "не образуют различимых групп" in weak.quality()
    from shkmd_xl.figures.clusters import method_text

    words = " ".join(method_text(["S03"]))
    for jargon in ("scikit", "z-оцен", "генератор", "seed"):
        assert jargon not in words


def test_zones_of_low_quality_are_more_than_one_sd_below_the_mean() -> None:
    result = cluster_schools(_schools(), ["S03", "S05", "S09"])
    assert not isinstance(result, str)
    zones = {s.name: s.zones for s in result.schools}
    assert zones["Сильная 0"] == []
    assert "S09" in zones["Слабая 4"]  # 31 %: far below the regional mean of 55 %


def test_too_few_or_identical_schools_say_why() -> None:
    assert "не меньше 4 ОО" in str(cluster_schools(_schools()[:3], ["S03"]))
    same = [School("МО", f"ОО {i}", {"S03": 70.0}) for i in range(6)]
    assert "одинаковые" in str(cluster_schools(same, ["S03"]))


def test_check_never_loads_scikit_learn(tmp_path, templates, campaign) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    code = (
        "import sys; from shkmd_xl.pipeline import check; "
        f"check(r'{templates['SOLN']}'); print('sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr

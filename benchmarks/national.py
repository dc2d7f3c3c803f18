"""A synthetic country for tests and benchmarks at national scale: never real, never in data/.

About 38,000 bodies in 31 provinces and about 2,800 districts, 3 years, ~2.4 million rows (~500 MB of CSV).
Province sizes are uneven (a few hundred to 4,600 bodies), as China's are; districts hold 5 to 40 bodies.
Each body-year is the seed report's figures (benchmarks/synthetic.py: scaled by a town size and a yearly
drift, the dispute funnel drawn so that a part never exceeds its whole, 1 % of counts tenfold) plus a few
items of its own (unlinked, in their own measure words), with realistic gaps: a body leaves out 0–40 % of
the indicators, some bodies miss a year, a few report only the last one. Names are marked as synthetic
(样本省01, 样本省01区001, 样本镇001 — town names repeat across districts, as real ones do) and the source
says `synthetic (test data, not real)`. Rows are written as they are drawn, so memory stays small.

    from national import make_national_data                 # with benchmarks/ on sys.path
    data_dir = make_national_data(tmp_path, n_bodies=1000)  # a smaller country with the same shape

    .venv/bin/python benchmarks/national.py /tmp/country              # the full country (~1 min)
"""

import argparse
import csv
import random
import shutil
from pathlib import Path

from synthetic import FUNNEL, PLANTED_SHARE, REPO, SOURCE, _expr, _funnel, _measures, _number, _seed_rows

from fazhi_analysis.data.layout import OBSERVATION_COLUMNS as FIELDS

N_BODIES, N_PROVINCES, N_DISTRICTS, YEARS = 38_000, 31, 2_800, (2023, 2024, 2025)
MAX_PROVINCE_BODIES = 4_600
OMIT_SHARES = (0.0, 0.1, 0.2, 0.3, 0.4)  # the share of indicators a body leaves out, drawn per body
MISSES_A_YEAR = 0.06  # bodies with no report in one of the years
LAST_YEAR_ONLY = 0.02  # bodies that report only the latest year (new, or merged)
OWN_ITEMS = (  # items a body reports in its own words, never linked to the catalogue
    ("legal_education", "measures", "法律讲座", "场", 6),
    ("legal_services", "measures", "咨询答疑群众", "名", 300),
    ("study", "first_responsible", "理论学习", "次", 20),
    ("first_responsible", "first_responsible", "法治专题会议", "次", 4),
    ("legal_education", "measures", "特殊群体普法活动", "场", 3),
    ("legal_services", "measures", "法律明白人", "名", 40),
    ("disputes", "measures", "走访排查", "次", 60),
    ("enforcement", "measures", "联合执法检查", "次", 12),
)


def province_name(i: int) -> str:
    return f"样本省{i + 1:02d}"


def district_name(province: int, i: int) -> str:
    return f"样本省{province + 1:02d}区{i + 1:03d}"


def town_name(i: int) -> str:
    return f"样本镇{i + 1:03d}"


def _split(total: int, parts: int, rng: random.Random, low: int, high: int) -> list[int]:
    """`total` as `parts` uneven whole numbers between `low` and `high` (as far as the total allows)."""
    weights = [rng.lognormvariate(0, 0.8) for _ in range(parts)]
    sizes = [max(low, min(high, round(total * w / sum(weights)))) for w in weights]
    i = 0
    while sum(sizes) != total:  # settle the rounding on whoever has room
        step = 1 if sum(sizes) < total else -1
        if low <= sizes[i % parts] + step <= high:
            sizes[i % parts] += step
        i += 1
    return sizes


def layout(n_bodies: int = N_BODIES, n_provinces: int = N_PROVINCES, n_districts: int = N_DISTRICTS,
           seed: int = 0) -> list[tuple[str, str, int]]:
    """(province, district, bodies in it) for the whole country."""
    rng = random.Random(seed)
    per_province = _split(n_bodies, n_provinces, rng, max(1, n_bodies // (n_provinces * 4)),
                          min(MAX_PROVINCE_BODIES, n_bodies))
    out = []
    for p, size in enumerate(per_province):
        n = max(1, round(n_districts * size / n_bodies))
        for d, bodies in enumerate(_split(size, n, rng, 1, max(40, size // n * 3))):
            out.append((province_name(p), district_name(p, d), bodies))
    return out


def national_rows(n_bodies: int = N_BODIES, n_provinces: int = N_PROVINCES, n_districts: int = N_DISTRICTS,
                  years: tuple[int, ...] = YEARS, seed: int = 0):
    """Every row of the synthetic country, body by body, as dicts of the observation columns."""
    rng = random.Random(seed + 1)
    template = [r for r in _seed_rows() if r["indicator"]]
    measures = _measures()
    blank = dict.fromkeys(FIELDS, "")
    for province, district, n in layout(n_bodies, n_provinces, n_districts, seed):
        for t in range(n):
            size, growth = rng.lognormvariate(0, 0.5), rng.uniform(-0.1, 0.2)
            omit = rng.choice(OMIT_SHARES)
            omitted = {r["indicator"] for r in template if rng.random() < omit and r["indicator"] not in FUNNEL}
            own = [item for item in OWN_ITEMS if rng.random() < 0.55]
            draw, missing = rng.random(), rng.choice(years)
            reported = years[-1:] if draw < LAST_YEAR_ONLY else (
                tuple(y for y in years if y != missing) if draw < LAST_YEAR_ONLY + MISSES_A_YEAR else years)
            for y, year in enumerate(years):
                if year not in reported:
                    continue
                factor = size * (1 + growth) ** y
                base = {**blank, "province": province, "district": district, "body": town_name(t),
                        "year": str(year), "source": SOURCE}
                yield from _linked(rng, template, omitted, factor, measures, base)
                for topic, part, label, measure, typical in own:
                    value = float(max(1, round(typical * factor * rng.lognormvariate(0, 0.3))))
                    yield {**base, "part": part, "topic": topic, "label": label, "value": _number(value),
                           "measure": measure, "expr": _expr(value, "", measure)}


def _linked(rng, template, omitted, factor, measures, base):
    values = _funnel(rng, factor)
    for r in template:
        key = r["indicator"]
        if key in omitted:
            continue
        qualifier = r["qualifier"]
        if key in values:
            value = values[key]
            qualifier = "" if key.endswith("_count") else "达"
        elif key.endswith("_pct"):
            value = 100.0 if rng.random() < 0.7 else round(rng.uniform(90, 100), 2)
        elif key == "major_accidents_count":
            value = 0.0 if rng.random() < 0.95 else 1.0
        else:
            value = float(max(1, round(float(r["value"]) * factor * rng.lognormvariate(0, 0.25))))
            if rng.random() < PLANTED_SHARE:
                value *= 10
        measure = r["measure"] or ("" if key == "major_accidents_count" and not value else measures[key])
        expr = "未发生" if key == "major_accidents_count" and not value else _expr(value, qualifier, measure)
        yield {**base, "part": r["part"], "heading": r["heading"], "topic": r["topic"], "label": r["label"],
               "indicator": key, "value": _number(value), "measure": measure, "qualifier": qualifier, "expr": expr}


def make_national_data(root: Path, n_bodies: int = N_BODIES, n_provinces: int = N_PROVINCES,
                       n_districts: int = N_DISTRICTS, years: tuple[int, ...] = YEARS, seed: int = 0) -> Path:
    """A data directory `root/data` with the project's catalogue and the synthetic country. Refuses to
    write into the project's own data/."""
    data = Path(root).resolve() / "data"
    if data == (REPO / "data").resolve():
        raise ValueError("synthetic data is never written into the project's data/")
    data.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "data" / "catalogue.csv", data / "catalogue.csv")
    with (data / "observations.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(national_rows(n_bodies, n_provinces, n_districts, tuple(years), seed))
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the data goes to ROOT/data (never the project's data/)")
    parser.add_argument("--bodies", type=int, default=N_BODIES)
    parser.add_argument("--provinces", type=int, default=N_PROVINCES)
    parser.add_argument("--districts", type=int, default=N_DISTRICTS)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(make_national_data(args.root, args.bodies, args.provinces, args.districts, YEARS, args.seed))


if __name__ == "__main__":
    main()

"""Synthetic reporting bodies for tests and benchmarks at a city's scale: never real, never in data/.

Each synthetic body is the seed report (重庆市南岸区峡口镇 2023) with its counts scaled by a town-size
factor and a yearly drift, some indicators left out (real towns do not all report the same things), and a
few values multiplied tenfold so that the overview has something to flag. Most bodies also state what a
district 司法局 asks about and the seed lacks (行政复议, 行政诉讼, 出庭应诉率, 规范性文件, 法律顾问: DISTRICT_ITEMS),
each in a clause of its own. Every row is marked: province
样本市, district 样本区01 …, body 样本镇0001 …, source `synthetic (test data, not real)`. The catalogue is
copied from data/ unchanged, so the same validation applies.

    from synthetic import make_synthetic_data          # with benchmarks/ on sys.path
    data_dir = make_synthetic_data(tmp_path, n_bodies=60, n_districts=4, years=(2023, 2024))

    .venv/bin/python benchmarks/synthetic.py /tmp/city --bodies 200 --districts 8 --years 2023-2024
"""

import argparse
import csv
import random
import shutil
from pathlib import Path

from fazhi_analysis.data.layout import OBSERVATION_COLUMNS as FIELDS

REPO = Path(__file__).resolve().parents[1]
SEED_BODY = ("重庆市", "南岸区", "峡口镇")
PROVINCE = "样本市"
SOURCE = "synthetic (test data, not real)"
OMIT_SHARE = 0.2  # the share of indicators a body leaves out of its report
PLANTED_SHARE = 0.01  # the share of counts written ten times too large, as a slipped unit would be

# (indicator, the town's wording, topic, a typical count, measure word): figures the seed lacks, stated by a
# share of the bodies, with a clause each; 行政复议 received ≥ closed ≥ corrected, as in a real year
DISTRICT_ITEMS = (
    ("admin_review_cases_count", "收到行政复议申请", "supervision", 3, "件"),
    ("admin_review_closed_count", "办结行政复议案件", "supervision", 2, "件"),
    ("admin_review_corrected_count", "行政复议纠错", "supervision", 1, "件"),
    ("admin_litigation_cases_count", "行政诉讼案件", "supervision", 4, "件"),
    ("leader_court_appearance_rate_pct", "行政机关负责人出庭应诉率", "supervision", 100, "%"),
    ("normative_documents_issued_count", "制定行政规范性文件", "decision", 2, "件"),
    ("town_legal_advisers_count", "聘请法律顾问", "decision", 2, "名"),
)
DISTRICT_ITEMS_SHARE = 0.7  # the share of bodies that state them

# the dispute funnel and its rates are drawn together so that part ≤ whole always holds
FUNNEL = ("disputes_received_count", "disputes_mediated_count", "disputes_resolved_count",
          "mediation_rate_pct", "mediation_success_rate_pct")


def district_name(i: int) -> str:
    return f"样本区{i + 1:02d}"


def body_name(i: int) -> str:
    return f"样本镇{i + 1:04d}"


def _seed_rows() -> list[dict[str, str]]:
    with (REPO / "data" / "observations.csv").open(encoding="utf-8-sig", newline="") as handle:
        return [r for r in csv.DictReader(handle) if (r["province"], r["district"], r["body"]) == SEED_BODY]


def _measures() -> dict[str, str]:
    """Each indicator's usual measure word (the first the catalogue lists)."""
    with (REPO / "data" / "catalogue.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {r["key"]: r["measure"].split("|")[0] for r in csv.DictReader(handle)}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def _expr(value: float, qualifier: str, measure: str) -> str:
    from fazhi_analysis.data.qualifiers import written

    return written(_number(value), qualifier or None, measure)


def synthetic_rows(n_bodies: int, n_districts: int, years: tuple[int, ...], seed: int = 0) -> list[dict[str, str]]:
    """The rows of `n_bodies` bodies spread evenly over `n_districts` districts, for each of `years`."""
    rng = random.Random(seed)
    template = [r for r in _seed_rows() if r["indicator"]]  # the seed's linked figures, in its own words
    measures = _measures()
    rows = []
    for i in range(n_bodies):
        district = district_name(i * n_districts // n_bodies)
        size = rng.lognormvariate(0, 0.5)  # towns differ by a factor, not by an amount
        growth = rng.uniform(-0.1, 0.2)
        omitted = {r["indicator"] for r in template if rng.random() < OMIT_SHARE and r["indicator"] not in FUNNEL}
        for y, year in enumerate(years):
            factor = size * (1 + growth) ** y
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
                rows.append({"province": PROVINCE, "district": district, "body": body_name(i), "year": str(year),
                             "part": r["part"], "heading": r["heading"], "topic": r["topic"], "label": r["label"],
                             "indicator": key, "value": _number(value), "measure": measure,
                             "qualifier": qualifier, "expr": expr, "source": SOURCE})
    return rows + _district_item_rows(n_bodies, n_districts, years, seed)


def _district_item_rows(n_bodies: int, n_districts: int, years: tuple[int, ...], seed: int) -> list[dict[str, str]]:
    """DISTRICT_ITEMS for a share of the bodies, from a random stream of their own (the seed's rows above
    stay what they were)."""
    rng = random.Random(seed + 1)
    rows = []
    for i in range(n_bodies):
        if rng.random() >= DISTRICT_ITEMS_SHARE:
            continue
        district = district_name(i * n_districts // n_bodies)
        for year in years:
            received = rng.randint(0, 8)
            closed = rng.randint(0, received)
            drawn = {"admin_review_cases_count": received, "admin_review_closed_count": closed,
                     "admin_review_corrected_count": rng.randint(0, closed)}
            for key, label, topic, typical, measure in DISTRICT_ITEMS:
                if key in drawn:
                    value = drawn[key]
                elif measure == "%":
                    value = 100 if rng.random() < 0.8 else rng.choice((80, 90, 95))
                else:
                    value = max(0, round(typical * rng.lognormvariate(0, 0.5)))
                expr = f"{value}{measure}"
                rows.append({"province": PROVINCE, "district": district, "body": body_name(i), "year": str(year),
                             "part": "measures", "heading": "", "topic": topic, "label": label, "indicator": key,
                             "value": str(value), "measure": measure, "qualifier": "", "expr": expr,
                             "source": SOURCE, "statement": f"{year}年{label}{expr}"})
    return rows


def _funnel(rng: random.Random, factor: float) -> dict[str, float]:
    received = float(max(5, round(242 * factor * rng.lognormvariate(0, 0.2))))
    mediated = float(round(received * rng.uniform(0.9, 1.0)))
    resolved = float(round(mediated * rng.uniform(0.9, 1.0)))
    return {"disputes_received_count": received, "disputes_mediated_count": mediated,
            "disputes_resolved_count": resolved, "mediation_rate_pct": round(100 * mediated / received, 2),
            "mediation_success_rate_pct": round(100 * resolved / mediated, 2) if mediated else 0.0}


def make_synthetic_data(root: Path, n_bodies: int, n_districts: int, years: tuple[int, ...] = (2023, 2024),
                        seed: int = 0) -> Path:
    """A data directory `root/data` with the project's catalogue and synthetic observations only.
    Refuses to write into the project's own data/."""
    data = Path(root).resolve() / "data"
    if data == (REPO / "data").resolve():
        raise ValueError("synthetic data is never written into the project's data/")
    data.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "data" / "catalogue.csv", data / "catalogue.csv")
    with (data / "observations.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(synthetic_rows(n_bodies, n_districts, tuple(years), seed))
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the data goes to ROOT/data (never the project's data/)")
    parser.add_argument("--bodies", type=int, default=60)
    parser.add_argument("--districts", type=int, default=4)
    parser.add_argument("--years", default="2023-2024", help="e.g. 2023-2025")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    first, _, last = args.years.partition("-")
    years = tuple(range(int(first), int(last or first) + 1))
    print(make_synthetic_data(args.root, args.bodies, args.districts, years, args.seed))


if __name__ == "__main__":
    main()

"""At scale, on synthetic data (benchmarks/synthetic.py, national.py; never data/): the store and the CSV give
the same pages at 20,000 rows and for a province, the index stays under 1 MB at 1,000 bodies × 3 years, and
is split by province and district past 2,000 bodies. In process, but each builds or renders a city's worth
of pages, so they run with `make test`; the rules themselves are tested small in tests/unit."""

import re
from pathlib import Path

import pytest
from national import make_national_data
from synthetic import make_synthetic_data

from fazhi_analysis.batch import index_page
from fazhi_analysis.batch.index_page import INDEX_DIR, render_index, split_index, write_index
from fazhi_analysis.batch.plan import ItemResult, Selection, plan_batch
from fazhi_analysis.data import store
from fazhi_analysis.pages.annual import AnnualPage
from fazhi_analysis.pages.overview import OverviewPage

MB = 1_000_000


@pytest.fixture(scope="module")
def city20k(tmp_path_factory) -> Path:
    """300 bodies in 8 districts × 3 years: about 20,000 rows."""
    return make_synthetic_data(tmp_path_factory.mktemp("city20k"), 300, 8, (2023, 2024, 2025))


def _annual(body: str, year: int, data: Path) -> str:
    p = AnnualPage.load(year, body, str(data))
    return "".join(str(b) for b in (p.cover(), p.summary(), p.part("measures"), p.peers(), p.part("first_responsible"),
                                    p.shortcomings(), p.next_year(), p.other(), p.notes()))


def _overview(group: str, year: int, data: Path) -> str:
    p = OverviewPage.load(year, group, str(data))
    return "".join(str(b) for b in (p.heading(), p.coverage(), p.comparisons(), p.flags_table(), p.trends()))


def test_store_and_csv_give_identical_pages_at_20000_rows(city20k, monkeypatch):
    rows = sum(1 for _ in (city20k / "observations.csv").open(encoding="utf-8")) - 1
    assert 19_000 < rows < 22_000
    pages = [(_annual, "样本镇0003", 2024), (_annual, "样本镇0299", 2025), (_annual, "样本镇0200", 2023),
             (_overview, "样本区02", 2024), (_overview, "样本镇0001,样本镇0299", 2025)]
    _same_pages(pages, city20k, monkeypatch)
    assert (city20k / store.STORE_DIR / store.MANIFEST).is_file()


def test_store_and_csv_give_identical_province_pages(tmp_path, monkeypatch):
    """The province (city) page reads its province up to its year; on a smaller city, as it takes seconds."""
    data = make_synthetic_data(tmp_path, 40, 4, (2023, 2024))
    _same_pages([(_overview, "样本市", 2024)], data, monkeypatch)


def _same_pages(pages, data: Path, monkeypatch) -> None:
    built = {}
    for mode in ("never", "always"):
        monkeypatch.setenv(store.STORE_ENV, mode)
        built[mode] = [build(name, year, data) for build, name, year in pages]
    for (_, name, year), csv_page, store_page in zip(pages, built["never"], built["always"], strict=True):
        assert len(csv_page) > 3_000 and csv_page == store_page, f"{name} {year}: store and CSV pages differ"


def test_index_follows_the_tree_and_stays_under_1_mb_at_1000_bodies_3_years(tmp_path):
    data = make_synthetic_data(tmp_path, 1000, 8, (2023, 2024, 2025))
    out = tmp_path / "out"
    everything, _ = plan_batch(data, out, Selection())
    assert len(everything) == 3000 + 3 * 9
    for item in everything:  # as if every page were built
        item.job.html_path.parent.mkdir(parents=True, exist_ok=True)
        item.job.html_path.write_text("<html></html>", encoding="utf-8")
    html = render_index(everything, [ItemResult(i, "built", 1.0) for i in everything], out)
    assert len(html.encode()) < 1 * MB
    assert all(f'<a href="#d{i}">样本区{i:02d}</a>' in html for i in range(1, 9))
    assert html.count("各镇街比较") >= 1 and "<script" not in html and "src=" not in html
    link = re.search(r'href="(样本区01-样本镇0001/2024/[^"]+)"', html)
    assert link and (out / link[1]).is_file()


def test_the_index_is_split_by_province_and_district_past_2000_bodies(tmp_path, monkeypatch):
    data = make_national_data(tmp_path, n_bodies=300, n_provinces=3, n_districts=20, years=(2024, 2025))
    out = tmp_path / "out"
    everything, _ = plan_batch(data, out, Selection())
    monkeypatch.setattr(index_page, "SPLIT_FROM_BODIES", 250)  # as 2,000 would, on a smaller country
    write_index(everything, [], out)
    n_districts = len({(i.job.body.province, i.job.body.district) for i in everything if hasattr(i.job, "body")})
    assert (out / "index.html").is_file() and len(list((out / INDEX_DIR).rglob("*.html"))) == 3 + n_districts
    built = [i for i in everything if i.job.html_path.parent.name == "2025"][:50]
    for item in built:
        item.job.html_path.parent.mkdir(parents=True, exist_ok=True)
        item.job.html_path.write_text("<html></html>", encoding="utf-8")
    pages = split_index(everything, [ItemResult(i, "built", 1.0) for i in built], out)
    top = pages[out.resolve() / "index.html"]
    assert top.count('href="index/') == 3 and "样本省01" in top and "样本镇" not in top
    assert len(pages) == 1 + 3 + len({(i.job.body.province, i.job.body.district) for i in everything
                                      if hasattr(i.job, "body")})
    assert max(len(html.encode()) for html in pages.values()) < 0.3 * MB
    district_page = out.resolve() / INDEX_DIR / "样本省01" / "样本省01区001.html"
    import re

    hrefs = re.findall(r'href="([^"#]+)"', pages[district_page])
    assert len(hrefs) >= 2  # up to the province's page, and the built reports
    for href in hrefs:
        target = (district_page.parent / href).resolve()
        assert target.exists() or target in pages, href

"""The body page's short 说明 on where the body stands among its district's bodies (analysis/peers.py):
a sentence, a table of the figures that have enough peers, and plainly which ones do not."""

from ..analysis.peers import MIN_PEERS, Standing, peer_standing, position_zh
from ..data.bodies import Body
from ..data.dataset import Dataset
from ..data.formatting import with_measure
from ..data.vocabulary import same_place
from . import narrative
from .html_block import HtmlBlock, join
from .tables import Table


def peers_block(dataset: Dataset, body: Body, year: int) -> HtmlBlock:
    standings = peer_standing(dataset, body, year)
    cat = dataset.catalogue
    n_others = sum(1 for b in dataset.bodies if b.province == body.province and b.district == body.district
                   and b != body and year in dataset.years_of(b))
    compared = [s for s in standings if s.median is not None]
    alone = [cat[s.indicator].name_zh for s in standings if s.median is None]
    text = narrative.render("peers", body=body, year=year, n_others=n_others, same=same_place(body.district),
                            n_compared=len(compared),
                            n_ranked=sum(s.rank is not None for s in compared),
                            n_size=sum(s.size for s in compared), alone=alone, min_bodies=MIN_PEERS + 1,
                            examples=[_example(cat[s.indicator].name_zh, s, body) for s in compared
                                      if s.rank is not None and not s.tied][:2])
    if not compared:
        return text
    rows = [[cat[s.indicator].name_zh, s.expr or with_measure(s.value, s.measure), str(s.n_bodies),
             with_measure(s.median, s.measure), position_zh(s), s.reason_zh] for s in compared]
    table = Table(f"表：{year}年{body.name}在{body.district}镇街中的位次",
                  ["指标", f"{body.name}", f"{same_place(body.district)}报告的镇街数",
                   f"{same_place(body.district)}中位数", "位次", "说明"], rows, {2, 3},
                  note="位次按数值从高到低排列，数值相同者位次相同；位次只反映数字大小，不代表工作好坏。")
    return join(text, table)


def _example(name_zh: str, s: Standing, body: Body) -> str:
    """'排查受理矛盾纠纷在样本区01报告此项的15个镇街中居第3位（中位数242件）'"""
    median = with_measure(s.median, s.measure)
    return f"{name_zh}在{body.district}报告此项的{s.n_bodies}个镇街中居第{s.rank}位（中位数{median}）"

"""A realistic small draft in the content model: the seed's wording (重庆市南岸区峡口镇's real 2023 report), two
gaps to fill and two suggestions to check. Shared by tests/unit/test_draft_docx.py (the .docx) and
tests/integration/test_draft_docx_libreoffice.py (the same file laid out by LibreOffice)."""

import datetime

from fazhi_analysis.draft import (
    Closing,
    Draft,
    Heading1,
    Heading2,
    Paragraph,
    Placeholder,
    Suggestion,
    SuggestionKind,
)

OFFICE = "重庆市南岸区峡口镇人民政府"
TITLE = f"{OFFICE}\n关于2023年法治政府建设情况的报告"
PT_PER_MM = 72 / 25.4
BODY_SIZE_PT = 16


def sample_draft() -> Draft:
    """A realistic small draft: the seed's wording, two gaps to fill and two suggestions to check."""
    return Draft(
        title=TITLE,
        blocks=[
            Paragraph(["2023年，峡口镇在区委、区政府的领导下，坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻"
                       "党的二十大精神和习近平法治思想，紧紧围绕“全面推进依法治镇，加快建设法治峡口”的主线，扎实推进法治"
                       "政府建设。现将2023年度法治政府建设工作情况报告如下："]),
            Heading1("一、2023年推进法治政府建设的主要举措和成效"),
            Heading2("（一）健全决策机制，保障决策科学合法"),
            Paragraph(["一是完善行政决策制度。修订《中共重庆市南岸区峡口镇委员会议事规则》《重庆市南岸区峡口镇党政联席会"
                       "议事规则》，明确了议事原则、议事范围、会议主持、参会人员范围、议事程序、议事纪律等。全年提交党政联席"
                       "会审议的重大事项",
                       Placeholder("审议件数"), "件，均经合法性审查。"]),
            Heading2("（二）强化制约监督，促进权力规范运行"),
            Paragraph(["一是推进依法行政。持续开展环境保护、安全生产等重点领域行政执法，2023年共计作出行政处罚处理决定54次，"
                       "依法拆除辖区全部约2.7万方工矿企业无证厂房，安全生产、环境保护等重点领域全年未发生重大事故。"]),
            Paragraph(["二是加强政务公开。2023年对外公开政府工作报告、财政预决算、涉农资金、民生工程等涉及群众切身利益的"
                       "政府相关信息51条，更好地满足群众的信息需求。"]),
            Heading2("（三）加强纠纷化解，维护社会和谐稳定"),
            Paragraph(["组建人民调解委员会8个，发展人民调解员49名，建设调解室8个。2023年排查受理薪资纠纷、安置房纠纷、"
                       "征地拆迁纠纷、工程爆破纠纷等矛盾纠纷242件，调解242件，调解成功238件，",
                       Suggestion("调解成功率为98.35%"), "。"]),
            Heading2("（四）推进法治宣传，提升群众守法意识"),
            Paragraph(["2023年举办召开院坝会3次，举办法治讲座4期，制作普法专栏22期，制发普法工作简报10期，开展集中普法"
                       "宣传12次，印发法律法规宣传资料15000余份。"]),
            Heading1("二、2023年党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况"),
            Paragraph(["2023年，镇党委、政府召开党委会、党政联席会、法治政府建设专题会议等共10余次，研究部署法治政府"
                       "建设工作。组织镇政府工作人员参加重庆市南岸区法治理论知识考试，通过率100%。"]),
            Heading1("三、2023年推进法治政府建设存在的不足和原因"),
            Paragraph(["一是领导干部运用法治思维和法治方式开展工作的能力有待提升。二是法治宣传形式有待创新。",
                       Placeholder("原因分析")]),
            Heading1("四、2024年推进法治政府建设的工作思路目标举措"),
            Paragraph(["创新法治宣传方式，拓展线上法治宣传，",
                       Suggestion("全年开展集中普法宣传不少于12次", SuggestionKind.TARGET), "。"]),
            Heading1("五、其他需要报告的情况"),
            Paragraph(["无。"]),
        ],
        closing=Closing(OFFICE, datetime.date(2024, 1, 15)),
    )

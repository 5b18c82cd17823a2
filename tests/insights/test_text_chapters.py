"""Chapters: topical boundaries at real segment starts, short titles, summaries and points."""

from __future__ import annotations

from academy.insights.text.chapters import MAX_TITLE_CHARS, find_chapters
from academy.insights.types import Segment

# Three topics, told one after the other with no "第二部分" to give the change away.
INSURANCE = [
    "重疾险是确诊合同约定的重大疾病以后一次性给付保额的保险",
    "重疾险的保额一般建议覆盖三到五年的家庭收入",
    "买重疾险的时候要做健康告知 客户要如实告知既往病史",
    "重疾险有等待期 等待期内确诊重大疾病保险公司一般不赔",
    "医疗险是报销型的 和重疾险的给付方式不一样",
    "百万医疗险有免赔额 免赔额以上的医疗费用按比例报销",
    "重疾险和医疗险搭配 才能同时解决收入损失和医疗费用",
    "犹豫期内客户可以无条件退保 这一点要主动告诉投保人",
]
TAX = [
    "专项附加扣除一共有七项 包括子女教育和继续教育",
    "住房贷款利息和住房租金这两项扣除不能同时享受",
    "赡养老人的专项附加扣除 独生子女每月可以扣除三千元",
    "专项附加扣除可以在个人所得税APP上填报",
    "年度汇算的时候也可以补充填报专项附加扣除 申请退税",
    "大病医疗的扣除要在年度汇算的时候填报 保留好医药费票据",
    "填报专项附加扣除一定要如实填写 虚假填报会被税务机关核查",
    "个人所得税的综合所得包括工资薪金和劳务报酬",
]
AML = [
    "可疑交易报告没有固定的金额标准 要靠一线员工的专业判断",
    "拆分交易是典型的可疑交易特征 客户故意把现金分成几笔存入",
    "资金快进快出的账户很可能被当成了洗钱的过渡账户",
    "发现可疑交易要及时上报合规部门 不要当面质问客户",
    "提交可疑交易报告之后不能向客户泄露 这是反洗钱的保密要求",
    "受益所有人是真正控制公司并享受收益的自然人",
    "对公客户开户要穿透识别受益所有人 核实股权结构",
    "客户身份资料和交易记录要按规定的期限保存 以备反洗钱检查",
]


def timed(texts: list[str], seconds: float = 7.0) -> list[Segment]:
    return [Segment(i * seconds, (i + 1) * seconds - 0.4, text) for i, text in enumerate(texts)]


def test_chapters_start_at_real_segment_starts():
    segments = timed(INSURANCE + TAX + AML)
    chapters = find_chapters(segments)
    starts = {segment.start for segment in segments}
    assert chapters[0].start == 0
    assert all(chapter.start in starts for chapter in chapters)
    assert [c.start for c in chapters] == sorted(c.start for c in chapters)


def test_chapters_follow_the_change_of_topic():
    segments = timed(INSURANCE + TAX + AML)
    chapters = find_chapters(segments, min_chapters=3, max_chapters=3)
    assert len(chapters) == 3
    changes = [segments[len(INSURANCE)].start, segments[len(INSURANCE) + len(TAX)].start]
    found = [chapter.start for chapter in chapters[1:]]
    for change, start in zip(changes, found, strict=True):
        assert abs(change - start) <= 7.0  # within one segment


def test_chapter_titles_name_their_topic():
    chapters = find_chapters(timed(INSURANCE + TAX + AML), min_chapters=3, max_chapters=3)
    assert "险" in chapters[0].title
    assert "扣除" in chapters[1].title or "汇算" in chapters[1].title
    assert "交易" in chapters[2].title or "受益所有人" in chapters[2].title


def test_chapters_have_short_titles_summaries_and_points():
    for chapter in find_chapters(timed(INSURANCE + TAX + AML)):
        assert 0 < len(chapter.title) <= MAX_TITLE_CHARS
        assert chapter.summary.endswith("。")
        assert 2 <= len(chapter.points) <= 4
        assert all(len(point) <= 24 for point in chapter.points)


def test_chapter_count_stays_within_the_limits():
    long_lecture = timed((INSURANCE + TAX + AML) * 4, seconds=9.0)
    chapters = find_chapters(long_lecture, min_chapters=3, max_chapters=5)
    assert 3 <= len(chapters) <= 5


def test_a_lecture_under_a_minute_gets_fewer_chapters():
    short = timed(INSURANCE[:4], seconds=6.0)
    chapters = find_chapters(short)
    assert len(chapters) == 1
    assert chapters[0].start == 0


def test_no_segments_no_chapters():
    assert find_chapters([]) == []

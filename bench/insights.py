"""How well the text derivations do on labelled lectures, against plain jieba, and how fast.

For each lecture of a set: key phrases against the 20 an editor picked (verbatim hits) and how
many of our top 20 are filler by an independent judge (is_filler below); chapter starts against
the marked ones (within 1 segment or 15 s), summary checks (sentence count, fragments, order),
and the time each derivation takes. Key phrases are made as the product makes them
(derive.derive_keywords: the cleaning step, extraction, then the output filter that drops
foreign fragments and keeps the acronyms a lecture repeats), so the bench measures what users
see. The corpus for a lecture is the OTHER lectures of its set
(leave-one-out) plus the demo lecture scripts, never the lecture itself.

The sets (bench/data/README.md): tuning (bench/data/*.json, what the key-phrase model is fitted
on), held-out (bench/data/heldout), unseen (bench/data/unseen) and unseen2 (bench/data/unseen2),
all written blind and never fitted on. Without a folder every set is scored and a line per set
closes the report.

Usage: python bench/insights.py [DATA_DIR] [-v]
       python bench/insights.py --fit    fit keywords.FEATURE_WEIGHTS on the tuning set, print them
       python bench/insights.py --cv     the tuning set scored leave-one-lecture-out
       python bench/insights.py --agreement   a second editor's 20 against the first's, and ours
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from academy.demo.lectures import LECTURES  # noqa: E402
from academy.insights.derive import derive_keywords  # noqa: E402
from academy.insights.text import chapters as chapters_module  # noqa: E402
from academy.insights.text.chapters import find_chapters  # noqa: E402
from academy.insights.text.clean import clean_segments  # noqa: E402
from academy.insights.text.corpus import Corpus  # noqa: E402
from academy.insights.text.keywords import (  # noqa: E402
    FEATURE_WEIGHTS,
    candidate_features,
)
from academy.insights.text.mindmap import build_mind_map, render_svg  # noqa: E402
from academy.insights.text.questions import make_questions  # noqa: E402
from academy.insights.text.sentences import (  # noqa: E402
    TERMINALS,
    needs_predecessor,
    transcript_text,
)
from academy.insights.text.summary import MIN_SUMMARY_CHARS, summarize  # noqa: E402
from academy.insights.text.words import to_simplified, warm_up  # noqa: E402
from academy.insights.types import Segment  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
SETS = {
    "tuning": DATA,
    "held-out": DATA / "heldout",
    "unseen": DATA / "unseen",
    "unseen2": DATA / "unseen2",
}
#: a predicted chapter start counts when it is this close to a marked one
MATCH_SEGMENTS = 1
MATCH_SECONDS = 15.0


@dataclass
class Lecture:
    """A labelled lecture from bench/data."""

    slug: str
    title: str
    segments: list[Segment]
    key_phrases: list[str]
    chapter_starts: list[int]

    @property
    def text(self) -> str:
        """The transcript, a line per segment."""
        return transcript_text(self.segments)

    @property
    def cleaned_text(self) -> str:
        """The transcript as the derivations read it (text/clean.py), a line per segment."""
        return transcript_text(clean_segments(self.segments))

    def key_phrases_found(self, corpus: Corpus | None) -> list[str]:
        """Our key phrases, as the product shows them (no glossary: the lectures have none)."""
        return derive_keywords(self.segments, [], corpus)


# The filler judge: independent of the extractor (its own tagger, jieba.posseg with the HMM, and
# its own word lists), it says which returned phrases are no key phrase whatever the lecture:
# - counts and ordinals: a measure word (q), a numeral with a measure word (三个, 一堂课, 两套),
#   an ordinal (第三周, 第一节), or a phrase opening with a measure word that the text puts after
#   这/那/一/几 (张图 of 这张图);
# - pronouns (jieba r) and placeholder names (张三, 李四, 王五, 小王, 老李);
# - times relative to now (上节, 本周: jieba t opening with 上下本这今明昨去每);
# - discourse words and classroom talk (DISCOURSE), conjunctions, interjections, and the
#   particles 的 地 了 着 过;
# - a generic noun alone (GENERIC_NOUNS: 维度, 方面, 问题 ...).
# Two shapes editors pick are not filler although their words are: a coordination, 和/与/及
# between two words of two characters or more (倾听和记录, 账户和鉴别信息: the editors of these
# sets chose four), and a class word after a code (C3类信息).
JUDGE_MEASURES = "个只条张份笔项套本件种类步批道层句段页篇门轮届间座台场位家节堂周次回遍趟"
JUDGE_NUMERALS = "0123456789零〇一二两三四五六七八九十百千万几"
JUDGE_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏"
)
JUDGE_COUNT = re.compile(rf"^(第[{JUDGE_NUMERALS}]|[{JUDGE_NUMERALS}]+[{JUDGE_MEASURES}])")
JUDGE_PLACEHOLDER = re.compile(
    rf"([{JUDGE_SURNAMES}][一二三四五六七八九十]|[小老][{JUDGE_SURNAMES}])(?![\u4e00-\u9fff])"
)
_DISCOURSE_WORDS = (
    "意味着 也就是说 就是说 所以说 比如说 比方说 换句话说 总的来说 一般来讲 一般来说 简单来说 像是 "
    "其实 然后 那么 因此 所以 但是 而且 另外 首先 其次 最后 接下来 刚才 今天 现在 "
    "大家 各位 同学 同学们 同事们 我们 你们 咱们 这堂课 这节课 一堂课 这一讲 上节课 下节课 "
    "举个例子 打个比方 讲一下 说一下 看一下 注意一下"
)
DISCOURSE = _DISCOURSE_WORDS.split()
_GENERIC_WORDS = (
    "维度 方面 问题 情况 部分 东西 事情 时候 角度 层面 环节 内容 要点 地方 意思 样子 方式 "
    "办法 原因 结果 作用 过程 关系 程度 重点 案例 例子 话题 概念"
)
GENERIC_NOUNS = frozenset(_GENERIC_WORDS.split())


def is_filler(phrase: str, text: str) -> bool:
    """Whether a returned phrase is filler by the judge described above (text: the lecture)."""
    simple = to_simplified(phrase)
    if simple in GENERIC_NOUNS or any(word in simple for word in DISCOURSE):
        return True
    if JUDGE_PLACEHOLDER.search(simple):
        return True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba.posseg

        tagged = [(pair.word, pair.flag) for pair in jieba.posseg.cut(simple)]
    for index, (word, flag) in enumerate(tagged):
        if _coordination(tagged, index) or _code_class(tagged, index):
            continue
        if flag in ("q", "mq", "c", "y", "e", "o") or flag.startswith("r"):
            return True
        if flag.startswith("u") and word in "的地了着过":
            return True  # a particle inside (得 of 资本利得 is jieba cutting a word it lacks)
        if JUDGE_COUNT.match(word):
            return True
        if flag == "t" and word[0] in "上下本这今明昨去每":
            return True
    if simple[0] in JUDGE_MEASURES:
        flat = to_simplified(text)
        starts = [m.start() for m in re.finditer(re.escape(simple), flat)]
        pointed = sum(1 for i in starts if i > 0 and flat[i - 1] in "这那一几哪每该某各两三")
        return pointed * 2 >= len(starts)
    return False


def _coordination(tagged: list[tuple[str, str]], index: int) -> bool:
    """和/与/及 between two words of two characters or more that are no filler themselves."""
    word, flag = tagged[index]
    if flag != "c" or word not in ("和", "与", "及") or not 0 < index < len(tagged) - 1:
        return False
    sides = (tagged[index - 1], tagged[index + 1])
    return all(len(w) > 1 and f[:1] not in "rcqmuyeo" for w, f in sides)


def _code_class(tagged: list[tuple[str, str]], index: int) -> bool:
    """A measure word right after a code of Latin letters and digits (类 of C3类信息)."""
    return index > 0 and tagged[index][1] == "q" and tagged[index - 1][0].isascii()


@dataclass
class Result:
    """What one lecture scored."""

    slug: str
    hits: int
    predicted: int
    baseline_hits: int
    filler: list[str]
    chapters: tuple[int, int, int]
    chapters_no_cues: tuple[int, int, int]
    summary_sentences: int
    fragments: int
    in_order: bool
    timings: dict[str, float] = field(default_factory=dict)


def load(folder: Path) -> list[Lecture]:
    """The labelled lectures of a folder (*.json as in bench/data)."""
    lectures = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        lectures.append(
            Lecture(
                data["slug"],
                data["title"],
                [Segment(s["start"], s["end"], s["text"]) for s in data["segments"]],
                data["key_phrases"],
                data["chapter_starts"],
            )
        )
    return lectures


def demo_texts() -> list[str]:
    """The demo lecture scripts (spoken narration), as extra corpus documents."""
    return ["\n".join(s["narration"] for s in lecture["slides"]) for lecture in LECTURES.values()]


def jieba_baseline(text: str) -> list[str]:
    """Plain jieba TF-IDF: jieba.analyse.extract_tags(text, topK=20)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba.analyse

        return jieba.analyse.extract_tags(text, topK=20)


def boundary_matches(lecture: Lecture, predicted: list[int]) -> tuple[int, int, int]:
    """(matched, predicted, marked) chapter starts, the lecture's opening left out."""
    marked = [i for i in lecture.chapter_starts if i > 0]
    guesses = [i for i in predicted if i > 0]
    free = list(marked)
    matched = 0
    for guess in guesses:
        for mark in free:
            near = abs(guess - mark) <= MATCH_SEGMENTS
            close = abs(lecture.segments[guess].start - lecture.segments[mark].start)
            if near or close <= MATCH_SECONDS:
                free.remove(mark)
                matched += 1
                break
    return matched, len(guesses), len(marked)


def start_indices(lecture: Lecture, starts: list[float]) -> list[int]:
    """Chapter start times as indices of the segments they start."""
    by_time = {segment.start: i for i, segment in enumerate(lecture.segments)}
    return [by_time[start] for start in starts]


def summary_checks(lecture: Lecture, summary: str) -> tuple[int, int, bool]:
    """(sentences, fragments, order kept) of a summary."""
    # The summary's own sentence ends; split_sentences would also cut long ones at commas.
    sentences = re.findall(r"[^。！？!?]+[。！？!?]+", summary)
    fragments = 0
    for sentence in sentences:
        body = sentence.rstrip(TERMINALS)
        dangling = needs_predecessor(sentence) and sentence is sentences[0]
        if len(body) < MIN_SUMMARY_CHARS or dangling or sentence[-1] not in TERMINALS:
            fragments += 1
    flat = lecture.text.replace("\n", "").replace(" ", "")
    positions = []
    for sentence in sentences:
        probe = sentence.rstrip(TERMINALS).replace("，", "")[-8:]
        positions.append(flat.replace("，", "").find(probe))
    in_order = all(a <= b for a, b in zip(positions, positions[1:], strict=False))
    return len(sentences), fragments, in_order


def timed(timings: dict[str, float], name: str, call):
    """call(), its time noted under name."""
    began = time.perf_counter()
    value = call()
    timings[name] = time.perf_counter() - began
    return value


def run(lecture: Lecture, others: list[str], verbose: bool) -> Result:
    """Every derivation on one lecture, scored and timed; the corpus is the other texts."""
    timings: dict[str, float] = {}
    corpus = timed(timings, "corpus", lambda: Corpus.from_texts(others))
    keywords = timed(timings, "keywords", lambda: lecture.key_phrases_found(corpus))
    summary = timed(timings, "summary", lambda: summarize(lecture.segments, keywords=keywords))
    chapters = timed(
        timings, "chapters", lambda: find_chapters(lecture.segments, keywords=keywords)
    )
    timed(
        timings,
        "questions",
        lambda: make_questions(lecture.segments, keywords=keywords, seed=1),
    )
    timed(timings, "mindmap", lambda: render_svg(build_mind_map(lecture.title, chapters)))
    predicted = start_indices(lecture, [chapter.start for chapter in chapters])
    saved = chapters_module.CUE_WEIGHT
    chapters_module.CUE_WEIGHT = 0.0
    try:
        plain = find_chapters(lecture.segments, keywords=keywords)
    finally:
        chapters_module.CUE_WEIGHT = saved
    plain_predicted = start_indices(lecture, [chapter.start for chapter in plain])
    gold = set(lecture.key_phrases)
    baseline = jieba_baseline(lecture.text)
    sentences, fragments, in_order = summary_checks(lecture, summary)
    filler = [k for k in keywords if is_filler(k, lecture.text)]
    if verbose:
        print(f"\n== {lecture.slug}")
        print("  ours  :", " ".join(("*" if k in gold else "") + k for k in keywords))
        print("  filler:", " ".join(filler) or "none")
        print("  jieba :", " ".join(("*" if k in gold else "") + k for k in baseline))
        print("  missed:", " ".join(k for k in lecture.key_phrases if k not in keywords))
        print("  starts:", predicted, "marked", lecture.chapter_starts)
        for chapter in chapters:
            print(f"    {chapter.start:6.1f}s {chapter.title} | {' / '.join(chapter.points)}")
        print("  summary:", summary)
    return Result(
        lecture.slug,
        sum(1 for k in keywords if k in gold),
        len(keywords),
        sum(1 for k in baseline if k in gold),
        filler,
        boundary_matches(lecture, predicted),
        boundary_matches(lecture, plain_predicted),
        sentences,
        fragments,
        in_order,
        timings,
    )


def f1(matched: int, predicted: int, marked: int) -> tuple[float, float, float]:
    """Precision, recall and F1."""
    precision = matched / predicted if predicted else 0.0
    recall = matched / marked if marked else 0.0
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, score


def score_set(folder: Path, demo: list[str], verbose: bool = False) -> list[Result]:
    """Score every lecture of a folder and print its table and overall figures."""
    lectures = load(folder)
    results = [
        run(lecture, [o.text for o in lectures if o is not lecture] + demo, verbose)
        for lecture in lectures
    ]
    print(f"\n### {folder}")
    header = (
        f"{'lecture':30} {'ours/20':>7} {'jieba/20':>8} {'filler':>6} {'kw F1':>5} "
        f"{'ch P':>5} {'ch R':>5} {'ch F1':>5} {'sum':>3} {'frag':>4} {'order':>5} "
        f"{'kw ms':>6} {'sum ms':>6} {'ch ms':>6} {'q ms':>5} {'svg ms':>6}"
    )
    print(header)
    for r in results:
        kw = f1(r.hits, r.predicted, 20)
        ch = f1(*r.chapters)
        t = {name: seconds * 1000 for name, seconds in r.timings.items()}
        print(
            f"{r.slug:30} {r.hits:>7} {r.baseline_hits:>8} {len(r.filler):>6} {kw[2]:5.2f} "
            f"{ch[0]:5.2f} {ch[1]:5.2f} {ch[2]:5.2f} {r.summary_sentences:>3} {r.fragments:>4} "
            f"{'yes' if r.in_order else 'NO':>5} {t['keywords']:6.0f} {t['summary']:6.0f} "
            f"{t['chapters']:6.0f} {t['questions']:5.0f} {t['mindmap']:6.0f}"
        )
    hits = [r.hits for r in results]
    baseline = [r.baseline_hits for r in results]
    chapter_totals = [sum(r.chapters[i] for r in results) for i in range(3)]
    plain_totals = [sum(r.chapters_no_cues[i] for r in results) for i in range(3)]
    keyword_totals = (sum(hits), sum(r.predicted for r in results), 20 * len(results))
    print()
    print(
        f"key phrases: ours {statistics.mean(hits):.1f}/20 per lecture (min {min(hits)}), "
        f"jieba TF-IDF {statistics.mean(baseline):.1f}/20; "
        "P {:.2f} R {:.2f} F1 {:.2f}; ".format(*f1(*keyword_totals))
        + f"filler in our top 20: {sum(len(r.filler) for r in results)}"
    )
    print(
        "chapter starts (opening left out): P {:.2f} R {:.2f} F1 {:.2f}".format(
            *f1(*chapter_totals)
        )
    )
    print(
        "  without spoken cues (cohesion only): P {:.2f} R {:.2f} F1 {:.2f}".format(
            *f1(*plain_totals)
        )
    )
    fragments = sum(r.fragments for r in results)
    print(
        f"summaries: {statistics.mean(r.summary_sentences for r in results):.1f} sentences, "
        f"{fragments} fragments, order kept in {sum(r.in_order for r in results)}/{len(results)}"
    )
    totals = [sum(v for k, v in r.timings.items() if k != "corpus") for r in results]
    print(
        f"time per lecture (all derivations, warm): mean {statistics.mean(totals) * 1000:.0f} ms, "
        f"max {max(totals) * 1000:.0f} ms; corpus of {len(lectures) - 1 + len(demo)} texts built "
        f"in {statistics.mean(r.timings['corpus'] for r in results) * 1000:.0f} ms"
    )
    return results


def set_line(name: str, results: list[Result]) -> str:
    """One line of the closing table: key phrases, filler and time of a set."""
    hits = [r.hits for r in results]
    keyword_ms = [r.timings["keywords"] * 1000 for r in results]
    filler = sum(len(r.filler) for r in results)
    return (
        f"{name:9} {len(results):>8} {statistics.mean(hits):>9.1f} {min(hits):>4} "
        f"{statistics.mean(r.baseline_hits for r in results):>9.1f} {filler:>14} "
        f"{statistics.mean(keyword_ms):>8.0f} {max(keyword_ms):>7.0f}"
    )


def main(folder: Path | None = None, verbose: bool = False) -> None:
    """Score one folder, or every set, and close with a line per set."""
    began = time.perf_counter()
    warm_up()
    print(f"jieba + tables loaded in {time.perf_counter() - began:.2f} s")
    demo = demo_texts()
    chosen = {folder.name: folder} if folder else {n: f for n, f in SETS.items() if f.exists()}
    scored = {name: score_set(path, demo, verbose) for name, path in chosen.items()}
    print(
        f"\n{'set':9} {'lectures':>8} {'ours/20':>9} {'min':>4} {'jieba/20':>9} "
        f"{'filler in top20':>14} {'kw ms':>8} {'max ms':>7}"
    )
    for name, results in scored.items():
        print(set_line(name, results))


def fit(lectures: list[Lecture], l2: float = 10.0, show: bool = True) -> tuple[float, dict]:
    """Fit keywords.FEATURE_WEIGHTS on lectures (L2-regularised logistic regression, Newton
    steps; a candidate is positive when an editor picked it); print them when show."""
    import numpy as np

    demo = demo_texts()
    names = list(FEATURE_WEIGHTS)
    rows, labels = [], []
    for lecture in lectures:
        corpus = Corpus.from_texts([o.text for o in lectures if o is not lecture] + demo)
        gold = {to_simplified(k) for k in lecture.key_phrases}
        for simple, features in candidate_features(lecture.cleaned_text, corpus).items():
            rows.append([features[name] for name in names])
            labels.append(1.0 if simple in gold else 0.0)
    x, y = np.array(rows), np.array(labels)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-6] = 1.0  # a feature constant on the tuning set stays at weight 0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    weights = np.zeros(z.shape[1])
    penalty = l2 * np.eye(z.shape[1])
    penalty[-1, -1] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(z @ weights, -30, 30)))
        gradient = z.T @ (p - y) + penalty @ weights
        hessian = (z * (p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hessian, gradient)
        step *= min(1.0, 2.0 / np.abs(step).max())  # damped: far from the optimum Newton overshoots
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    raw = weights[:-1] / scale
    bias = weights[-1] - float(raw @ mean)
    if show:
        print(
            f"# {int(y.sum())} editor phrases among {len(y)} candidates, {len(lectures)} lectures"
        )
        print(f"FEATURE_BIAS = {bias:.3f}")
        print("FEATURE_WEIGHTS = {")
        for name, value in zip(names, raw, strict=True):
            print(f'    "{name}": {value:.3f},')
        print("}")
    return bias, dict(zip(names, (float(v) for v in raw), strict=True))


def agreement() -> None:
    """How often two editors pick the same phrase, beside how often we match each: the second
    editor (bench/data/second-editor/phrases.json) chose 20 phrases for every held-out and
    unseen lecture from its transcript alone, without the first editor's list or any
    extractor's output."""
    second = json.loads((DATA / "second-editor" / "phrases.json").read_text(encoding="utf-8"))
    demo = demo_texts()
    print(f"{'set':9} {'editors agree':>13} {'ours~editor':>11} {'ours~second':>11}")
    for name, folder in SETS.items():
        lectures = [
            lecture for lecture in load(folder) if f"{folder.name}/{lecture.slug}" in second
        ]
        rows = []
        for lecture in lectures:
            other = set(second[f"{folder.name}/{lecture.slug}"])
            corpus = Corpus.from_texts([o.text for o in lectures if o is not lecture] + demo)
            ours = lecture.key_phrases_found(corpus)
            first = set(lecture.key_phrases)
            rows.append(
                (len(first & other), sum(k in first for k in ours), sum(k in other for k in ours))
            )
        if rows:
            means = [statistics.mean(column) for column in zip(*rows, strict=True)]
            print(f"{name:9} {means[0]:>13.1f} {means[1]:>11.1f} {means[2]:>11.1f}")


def cross_validate() -> None:
    """Key phrases of each tuning lecture with weights fitted on the other tuning lectures:
    the tuning set's out-of-sample figure (the plain run scores it with weights fitted on it)."""
    from academy.insights.text import keywords

    lectures = load(DATA)
    demo = demo_texts()
    saved = keywords.FEATURE_BIAS, dict(keywords.FEATURE_WEIGHTS)
    hits = []
    try:
        for lecture in lectures:
            others = [o for o in lectures if o is not lecture]
            keywords.FEATURE_BIAS, weights = fit(others, show=False)
            keywords.FEATURE_WEIGHTS.update(weights)
            corpus = Corpus.from_texts([o.text for o in others] + demo)
            found = lecture.key_phrases_found(corpus)
            hits.append(sum(1 for k in found if k in set(lecture.key_phrases)))
            print(f"{lecture.slug:30} {hits[-1]:>3}/20")
    finally:
        keywords.FEATURE_BIAS, weights = saved
        keywords.FEATURE_WEIGHTS.update(weights)
    print(f"tuning, leave one lecture out: {statistics.mean(hits):.1f}/20 (min {min(hits)})")


if __name__ == "__main__":
    if "--fit" in sys.argv[1:]:
        warm_up()
        fit(load(DATA))
    elif "--cv" in sys.argv[1:]:
        warm_up()
        cross_validate()
    elif "--agreement" in sys.argv[1:]:
        warm_up()
        agreement()
    else:
        arguments = [a for a in sys.argv[1:] if not a.startswith("-")]
        main(Path(arguments[0]) if arguments else None, verbose="-v" in sys.argv[1:])

"""English counts hours, lessons, courses and results in the singular for one, the plural else."""

import pytest

from academy.templating import hours_plural


@pytest.mark.parametrize(
    ("centihours", "count"), [(100, 1), (200, 2), (0, 0), (50, 2), (150, 2), (1, 2), (-100, 1)]
)
def test_a_fraction_of_an_hour_counts_as_plural(centihours, count):
    assert hours_plural(centihours) == count


def test_one_hour_and_one_lesson_are_singular_in_english(anon, make):
    course = make.course(credits={"afp-cfp": 100}, lessons=[60_000])
    html = anon.get(f"/courses/{course.id}?lang=en").get_data(as_text=True)
    assert "earn 1 credit hour (AFP-CFP)" in html and "1 lesson," in html
    assert "1 credit hours" not in html and "1 lessons" not in html


def test_fractions_and_several_are_plural_in_english(anon, make):
    course = make.course(credits={"afp-cfp": 150}, lessons=[60_000, 60_000])
    html = anon.get(f"/courses/{course.id}?lang=en").get_data(as_text=True)
    assert "earn 1.5 credit hours (AFP-CFP)" in html and "2 lessons," in html


def test_chinese_is_unchanged(anon, make):
    course = make.course(credits={"afp-cfp": 100}, lessons=[60_000])
    html = anon.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "完成本课程可获得 1 学时（AFP-CFP）" in html and "共 1 节课" in html

"""The studio's course page reads every lesson's latest job at once, not lesson by lesson."""

from academy.catalog import services as catalog
from academy.extensions import db
from academy.insights.models import ProcessingJob
from tests.queries import page_statements


def _course(instructor, make, lessons: int, statuses=("failed", "done")):
    """A course of the instructor's whose every lesson ran a job for each status, in turn."""
    category = make.course().category
    course = catalog.create_course(
        instructor.instructor_profile.id,
        {
            "title": f"{lessons} 讲的课程",
            "subtitle": "",
            "description": "",
            "category_id": category.id,
            "price_fen": 0,
            "glossary": "",
            "transcript_script": "simplified",
        },
    )
    for n in range(lessons):
        lesson = catalog.add_lesson(course, f"第 {n + 1} 讲")
        db.session.add_all(ProcessingJob(lesson_id=lesson.id, status=s) for s in statuses)
    db.session.commit()
    return course


def test_more_lessons_do_not_mean_more_queries(teacher, instructor, make):
    few = _course(instructor, make, 2)
    many = _course(instructor, make, 6)
    few_count = len(page_statements(teacher, f"/studio/courses/{few.id}"))
    assert len(page_statements(teacher, f"/studio/courses/{many.id}")) == few_count


def test_each_lesson_shows_its_latest_job(teacher, instructor, make):
    course = _course(instructor, make, 2, statuses=("done", "failed"))
    html = teacher.get(f"/studio/courses/{course.id}").get_data(as_text=True)
    assert html.count(">失败</span>") == 2 and ">已处理</span>" not in html

"""xAPI 1.0.3 statements as plain functions: values in, a statement dict out. No Flask, no database.

The vocabulary is ADL's verbs and the xAPI Video Profile's activity type and extensions
(https://w3id.org/xapi/video), used where the profile has a template (initialized, completed
on a video). `progressed` and `answered` are ADL verbs the profile lacks. Every id is a
uuid5 of the record it comes from, so the same record always makes the same statement and a
resend is a no-op in the LRS.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

#: the xAPI version statements are written to (1.0.x statements carry "1.0.0")
VERSION = "1.0.0"
#: the header value an LRS is told (X-Experience-API-Version)
PROTOCOL_VERSION = "1.0.3"

VERBS = {
    "initialized": "http://adlnet.gov/expapi/verbs/initialized",
    "progressed": "http://adlnet.gov/expapi/verbs/progressed",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
}
#: the verbs' display names, as the profiles write them (strict validators want exactly these)
VERB_NAMES = {name: {"en-US": name} for name in VERBS}

VIDEO = "https://w3id.org/xapi/video/activity-type/video"
COURSE = "http://adlnet.gov/expapi/activities/course"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
#: the category that says a statement follows the Video Profile's template
VIDEO_PROFILE = {
    "objectType": "Activity",
    "id": "https://w3id.org/xapi/video",
    "definition": {"type": "http://adlnet.gov/expapi/activities/profile"},
}

EXT_TIME = "https://w3id.org/xapi/video/extensions/time"
EXT_PROGRESS = "https://w3id.org/xapi/video/extensions/progress"
EXT_LENGTH = "https://w3id.org/xapi/video/extensions/length"
EXT_SESSION = "https://w3id.org/xapi/video/extensions/session-id"

#: the language of course and lesson titles
LANGUAGE = "zh-CN"
#: a plain "continue" popup has no prompt of its own
CONFIRM_NAME = {"en-US": "Attention check", "zh-CN": "学习确认"}


@dataclass(frozen=True)
class Site:
    """Where the records come from: the base of every IRI and of the learners' accounts."""

    base: str

    @classmethod
    def at(cls, url: str) -> Site:
        return cls(url.rstrip("/"))

    def iri(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def uuid(self, path: str) -> str:
        """A name-based uuid: the same record on the same site is always the same id."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, self.iri(path)))


@dataclass(frozen=True)
class CourseRef:
    id: int
    title: str


@dataclass(frozen=True)
class LessonRef:
    id: int
    title: str
    duration_ms: int
    course: CourseRef


@dataclass(frozen=True)
class PopupRef:
    id: int
    #: 'confirm' or 'question'
    kind: str
    prompt: str


def timestamp(moment: datetime) -> str:
    """A stored time (naive UTC) as xAPI writes it."""
    return moment.isoformat(timespec="milliseconds") + "Z"


def seconds(ms: int) -> float:
    return ms / 1000


def progress(verified_ms: int, duration_ms: int) -> float:
    """The share of the video verified as watched, 0 to 1 (the Video Profile's `progress`)."""
    if duration_ms <= 0:
        return 1.0
    return round(min(1.0, verified_ms / duration_ms), 4)


def iso_duration(ms: int) -> str:
    """Milliseconds as an ISO 8601 duration (xAPI's result.duration), e.g. PT3.25S."""
    return f"PT{ms // 1000}.{ms % 1000:03d}S".replace(".000S", "S")


def actor(site: Site, user_id: int) -> dict:
    """The learner as an account on this site, named by id: no name or e-mail leaves."""
    return {"objectType": "Agent", "account": {"homePage": site.base, "name": str(user_id)}}


def verb(name: str) -> dict:
    return {"id": VERBS[name], "display": VERB_NAMES[name]}


def course_activity(site: Site, course: CourseRef) -> dict:
    return {
        "objectType": "Activity",
        "id": site.iri(f"courses/{course.id}"),
        "definition": {"type": COURSE, "name": {LANGUAGE: course.title}},
    }


def lesson_activity(site: Site, lesson: LessonRef) -> dict:
    return {
        "objectType": "Activity",
        "id": site.iri(f"learn/lessons/{lesson.id}"),
        "definition": {"type": VIDEO, "name": {LANGUAGE: lesson.title}},
    }


def popup_activity(site: Site, lesson: LessonRef, popup: PopupRef) -> dict:
    question = popup.kind == "question"
    return {
        "objectType": "Activity",
        "id": site.iri(f"learn/lessons/{lesson.id}/popups/{popup.id}"),
        "definition": {
            "type": INTERACTION,
            "name": {LANGUAGE: popup.prompt} if question and popup.prompt else CONFIRM_NAME,
            # the choices are shuffled again after each wrong answer: not a fixed definition
            "interactionType": "choice" if question else "other",
        },
    }


@dataclass(frozen=True)
class WatchRecord:
    """One row of the audit log (watch_events), as its statement needs it."""

    event_id: int
    user_id: int
    at: datetime
    lesson: LessonRef
    session_id: int


def _video_context(site: Site, record: WatchRecord, *, profile: bool) -> dict:
    lesson = record.lesson
    activities: dict = {"parent": [course_activity(site, lesson.course)]}
    if profile:
        activities["category"] = [VIDEO_PROFILE]
    extensions = {
        EXT_LENGTH: seconds(lesson.duration_ms),
        EXT_SESSION: site.uuid(f"xapi/watch-sessions/{record.session_id}"),
    }
    return {"language": LANGUAGE, "contextActivities": activities, "extensions": extensions}


def _watched(record: WatchRecord, verified_ms: int) -> dict:
    """The Video Profile's result extensions: where verified progress stands."""
    return {
        EXT_TIME: seconds(verified_ms),
        EXT_PROGRESS: progress(verified_ms, record.lesson.duration_ms),
    }


def _statement(site: Site, source: str, user_id: int, at: datetime, name: str, obj: dict, **rest):
    return {
        "id": site.uuid(source),
        "actor": actor(site, user_id),
        "verb": verb(name),
        "object": obj,
        **rest,
        "timestamp": timestamp(at),
        "version": VERSION,
    }


def _of_watch(site: Site, record: WatchRecord, name: str, obj: dict, **rest) -> dict:
    source = f"xapi/watch-events/{record.event_id}"
    return _statement(site, source, record.user_id, record.at, name, obj, **rest)


def initialized(site: Site, record: WatchRecord) -> dict:
    """A watch session started (the Video Profile's `initialized`)."""
    return _of_watch(
        site,
        record,
        "initialized",
        lesson_activity(site, record.lesson),
        context=_video_context(site, record, profile=True),
    )


def progressed(site: Site, record: WatchRecord, verified_ms: int) -> dict:
    """A heartbeat moved verified progress forward: how far the learner has now watched."""
    return _of_watch(
        site,
        record,
        "progressed",
        lesson_activity(site, record.lesson),
        result={"extensions": _watched(record, verified_ms)},
        context=_video_context(site, record, profile=False),
    )


def answered(
    site: Site,
    record: WatchRecord,
    popup: PopupRef,
    *,
    success: bool,
    latency_ms: int | None = None,
) -> dict:
    """A popup was confirmed, or its question answered (right or wrong)."""
    result: dict = {"success": success}
    if latency_ms is not None:
        result["duration"] = iso_duration(latency_ms)
    context = _video_context(site, record, profile=False)
    context["contextActivities"] = {
        "parent": [lesson_activity(site, record.lesson)],
        "grouping": [course_activity(site, record.lesson.course)],
    }
    return _of_watch(
        site,
        record,
        "answered",
        popup_activity(site, record.lesson, popup),
        result=result,
        context=context,
    )


def lesson_completed(site: Site, record: WatchRecord, verified_ms: int) -> dict:
    """Every second verified and every popup confirmed (the Video Profile's `completed`)."""
    return _of_watch(
        site,
        record,
        "completed",
        lesson_activity(site, record.lesson),
        result={"completion": True, "extensions": _watched(record, verified_ms)},
        context=_video_context(site, record, profile=True),
    )


def course_completed(
    site: Site,
    *,
    completion_id: int,
    user_id: int,
    at: datetime,
    course: CourseRef,
    hours: dict[str, float],
) -> dict:
    """Every lesson of a course complete; `hours`: the credit hours awarded, by type code."""
    result: dict = {"completion": True}
    if hours:
        result["extensions"] = {credit_hours_extension(site): hours}
    return _statement(
        site,
        f"xapi/course-completions/{completion_id}",
        user_id,
        at,
        "completed",
        course_activity(site, course),
        result=result,
        context={"language": LANGUAGE},
    )


def credit_hours_extension(site: Site) -> str:
    """Our own extension: the hours a completion awarded, {credit type code: hours}."""
    return site.iri("xapi/extensions/credit-hours")

"""What other domains and the views call in learning: enrolment, watching, progress,
completion, the player settings and the audit log.

The work is split by concern: settings.py (the admin's player rules), enrolment.py (access to
courses), progress.py (verified progress), sessions.py (starting a session, its beats and
popup confirmations, in one transaction each), popups.py (drawing, issuing, confirming),
completion.py (lesson and course completion, the award), audit.py (the watch_events log).
rules.py holds the rules themselves as pure functions. Callers import this module as
`learning` and keep working whichever file a function moves to.
"""

from academy.learning.audit import log_refusal, viewing_log
from academy.learning.completion import (
    complete_where_finished,
    completions_by_course,
    course_completion,
    is_course_complete,
)
from academy.learning.enrolment import (
    enrol_free,
    enrolled_course_ids,
    find_enrolment,
    grant_membership_claim,
    grant_purchase,
    list_enrolments,
    not_enrolled,
    revoke_enrolments,
)
from academy.learning.popups import fit_to_duration
from academy.learning.progress import find_progress, learners_started, progress_by_lesson
from academy.learning.sessions import (
    BeatReply,
    beat,
    confirm_popup,
    forget_addresses,
    start_watch,
)
from academy.learning.settings import (
    SETTING_BOUNDS,
    get_player_settings,
    update_player_settings,
)

__all__ = [
    "SETTING_BOUNDS",
    "BeatReply",
    "beat",
    "complete_where_finished",
    "completions_by_course",
    "confirm_popup",
    "course_completion",
    "enrol_free",
    "enrolled_course_ids",
    "find_enrolment",
    "find_progress",
    "forget_addresses",
    "fit_to_duration",
    "get_player_settings",
    "grant_membership_claim",
    "grant_purchase",
    "is_course_complete",
    "learners_started",
    "list_enrolments",
    "log_refusal",
    "not_enrolled",
    "progress_by_lesson",
    "revoke_enrolments",
    "start_watch",
    "update_player_settings",
    "viewing_log",
]

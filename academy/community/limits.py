"""The per-account limit on posting reviews, shared by the course page's form and the API."""

from __future__ import annotations

from academy.rate_limits import per_account

#: COMMENT_LIMIT (config.py), counted across the web form and the API together; POST only,
#: as the API's one view of a course's reviews also answers GET
review_posts = per_account("COMMENT_LIMIT", "review-posts", methods=["POST"])

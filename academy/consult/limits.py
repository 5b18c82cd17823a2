"""The per-account limit on asking and replying, shared by the pages and the API."""

from __future__ import annotations

from academy.rate_limits import per_account

#: CONSULT_LIMIT (config.py), counted across a learner's questions and replies, web and API
consult_posts = per_account("CONSULT_LIMIT", "consult-posts", methods=["POST"])

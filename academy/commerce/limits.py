"""One per-account rate limit shared by every learner write of commerce (cart, orders, claims)."""

from __future__ import annotations

from academy.rate_limits import per_account

#: decorator for the views: COMMERCE_WRITE_LIMIT (config.py), counted across all of them
commerce_writes = per_account("COMMERCE_WRITE_LIMIT", "commerce-writes")

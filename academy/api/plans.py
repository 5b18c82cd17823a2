"""/api/v1/plans: the VIP plans on sale."""

from __future__ import annotations

from flask import jsonify

from academy.api import bp
from academy.commerce import plans
from academy.credits import services as credits


@bp.get("/plans")
def list_plans():
    return jsonify(
        {
            "plans": [
                {
                    "id": plan.id,
                    "name": plan.name,
                    "price_fen": plan.price_fen,
                    "days": plan.days,
                    "discount_percent": plan.discount_percent,
                    "quota_hours": credits.centihours_to_hours(plan.quota_centihours),
                }
                for plan in plans.list_plans(on_sale_only=True)
            ]
        }
    )

"""Commerce: cart, orders, payments, VIP plans and memberships."""

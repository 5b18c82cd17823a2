"""Credit types, course hours and the append-only ledger."""

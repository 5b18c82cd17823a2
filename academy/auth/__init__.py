"""Accounts, roles and instructor profiles."""

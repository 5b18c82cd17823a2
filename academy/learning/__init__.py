"""Enrolment, the watch protocol and verified progress."""

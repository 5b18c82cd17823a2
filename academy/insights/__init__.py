"""Lecture intelligence: transcription and what is derived from it."""

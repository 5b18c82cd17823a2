"""Text derivations of a lecture transcript: key phrases, summary, chapters, questions, mind map.

Plain functions on plain values (academy.insights.types); no Flask, no database.
"""

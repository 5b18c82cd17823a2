"""Search: courses by their text and published transcripts, and each user's recent searches."""

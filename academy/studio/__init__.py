"""The instructor's studio: courses, lessons, uploads, and editing what the pipeline made."""

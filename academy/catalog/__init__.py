"""Categories, courses, lessons and their media."""

"""Consultation (课程咨询): a learner's questions about a course and the staff's replies."""

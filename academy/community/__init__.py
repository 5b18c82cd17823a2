"""Community: learners' reviews of courses (评价), their reports and moderation."""

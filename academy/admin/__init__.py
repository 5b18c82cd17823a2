"""Admin pages: player settings and the learners' viewing logs."""

"""Learning records in xAPI: statements made from the audit log, sent to a Learning Record Store."""

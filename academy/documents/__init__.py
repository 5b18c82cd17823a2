"""Course documents: PDF handouts whose first pages everyone may read, rendered once to images."""

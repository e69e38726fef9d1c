"""Use cases: the one place each job (scan, fill, check, review, export) is written. Never prints."""

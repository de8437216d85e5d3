"""The audit log: who changed what, when, and on whose behalf."""

"""Privacy: consent, export, erasure, retention, redaction."""

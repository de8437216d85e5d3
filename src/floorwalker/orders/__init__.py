"""Orders and the support work done on them: cancel, modify, return, exchange."""

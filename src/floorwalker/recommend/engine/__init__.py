"""The recommendation engine: arrays in, ranked items out; no database, no HTTP."""

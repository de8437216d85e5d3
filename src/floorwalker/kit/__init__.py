"""Domain-free helpers: database plumbing, money, time, ids, pagination, actors."""

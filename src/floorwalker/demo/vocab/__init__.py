"""Word lists the demo store is built from: catalog, copy, people, searches.

Plain data only (tuples and frozen dataclasses), so the generator's output depends on the seed
and nothing else.
"""

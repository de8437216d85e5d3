"""Browsing and commerce events: views, searches, cart changes, purchases."""

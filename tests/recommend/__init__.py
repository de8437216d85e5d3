"""Tests of the recommend context."""

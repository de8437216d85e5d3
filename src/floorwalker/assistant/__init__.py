"""The shopping assistant: conversation loop, tools, models, guardrails, handoff."""

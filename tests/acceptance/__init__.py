"""Acceptance tests: whole commands end to end, over fixture repositories or the demo."""

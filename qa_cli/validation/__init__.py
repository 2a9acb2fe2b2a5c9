"""Checking audit files: diagnostics, the rule registry, checks and output formats."""

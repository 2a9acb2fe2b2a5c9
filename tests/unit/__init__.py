"""Unit tests: the library's functions, on small inputs; no CLI, no demo repository."""

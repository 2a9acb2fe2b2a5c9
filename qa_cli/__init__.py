"""qa: quality assurance audits for Children's Social Care, kept as YAML in a git repository."""

__version__ = "0.1.0"

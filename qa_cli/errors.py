"""The one exception users see: a message (and a hint) printed without a traceback."""

from __future__ import annotations


class QAError(Exception):
    """A user-facing error that stops a command; exit code 2 unless said otherwise."""

    def __init__(self, message: str, hint: str | None = None, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.exit_code = exit_code

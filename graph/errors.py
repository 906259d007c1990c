"""The one error type a user sees: a single line saying what happened and what to do."""


class TechregError(Exception):
    """An error with a one-line message for the user; the CLI prints it and exits non-zero."""

    exit_code = 1

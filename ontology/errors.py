"""The error types a user sees, at the bottom of the house so that every layer can raise
them: one line saying what happened and what to do, located at a file and line where the
input has one."""

from __future__ import annotations

from dataclasses import dataclass


class TechregError(Exception):
    """An error with a one-line message for the user; the CLI prints it and exits non-zero."""

    exit_code = 1


class UsageError(TechregError):
    """The command was called wrongly: a value out of range, an id that names no record.
    The CLI prints it with the usage hint and exits 2, as for an unknown option."""

    exit_code = 2


def unknown_id(value: str, known, what: str = "the id of any record") -> UsageError:
    """The error for an id that names nothing, with the closest known ids (if any are close)."""
    from difflib import get_close_matches

    closest = get_close_matches(value, sorted(set(known)), n=3, cutoff=0.6)
    hint = f"; closest: {', '.join(closest)}" if closest else ""
    return UsageError(f"'{value}' is not {what}{hint}")


@dataclass(frozen=True)
class Problem:
    """One problem of the input, located: file:line: record-id: message."""

    file: str
    line: int | None
    record: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.record}: {self.message}" if self.record else f"{where}: {self.message}"


class InvalidData(TechregError):
    """The data has problems; str() is the first, .problems has them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")

"""Citing a record: `techreg cite ID --format bibtex|ris|csl-json`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from graph import db as dbmod
from ontology.errors import UsageError


def cite(
    record: Annotated[str, typer.Argument(help="A record id, e.g. skype-belgium-interception")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="bibtex, ris or csl-json")] = "bibtex",
    accessed: Annotated[str | None, typer.Option(help="Access date (default: today)")] = None,
) -> None:
    """Cite a record and its sources as BibTeX, RIS or CSL-JSON."""
    from graph import cite as citations

    if fmt not in citations.FORMATS:
        raise UsageError(f"unknown format {fmt!r}; use {', '.join(citations.FORMATS)}")
    with dbmod.connect() as db:
        citable = citations.for_entity(db, record, accessed)
    if citable is None:
        raise UsageError(f"no record {record!r} in the graph")
    sys.stdout.write(citations.render(citable, fmt))

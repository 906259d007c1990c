"""What the commands print: the two consoles and the shared ways of showing results."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.table import Table

from ontology.errors import TechregError

out = Console()
err = Console(stderr=True)


def progress():
    """A transient progress bar on stderr."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, transient=True)


def print_summary(summary) -> None:
    """A load or unload summary: what was created, updated and deleted, and how fast."""
    table = Table("", "created", "updated", "deleted", title="load summary")
    table.add_row("nodes", str(summary.nodes_created), str(summary.nodes_updated),
                  str(summary.nodes_deleted))
    table.add_row("relationships", str(summary.relationships_created),
                  str(summary.relationships_updated), str(summary.relationships_deleted))
    out.print(table)
    out.print(f"{summary.triples} triples, {summary.unknown_terms} terms outside the ontology, "
              f"{summary.seconds:.2f} s ({summary.triples_per_second:,.0f} triples/s)"
              + ("" if summary.changed else "; nothing changed"), soft_wrap=True)


def print_result(columns: list[str], rows: list[list], fmt: str) -> None:
    """Rows as a table (record ids instead of IRIs), CSV or JSON on stdout."""
    import csv
    import json

    if fmt == "json":
        out.print_json(json.dumps([dict(zip(columns, row, strict=True)) for row in rows],
                                  default=str))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "table":
        from ontology import ID

        table = Table(*columns)
        for row in rows:  # record ids read better than full IRIs in a table
            table.add_row(*("" if v is None else str(v).removeprefix(str(ID)) for v in row))
        out.print(table)
        out.print(f"{len(rows)} rows")
    else:
        raise TechregError(f"unknown format {fmt!r}; use table, csv or json")


def rows_out(rows: list[dict], as_json: bool) -> None:
    """Rows of dicts as one JSON line, or as a table ("no results" when there are none)."""
    import json

    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, default=str) + "\n")
        return
    if not rows:
        out.print("no results")
        return
    print_result(list(rows[0]), [list(r.values()) for r in rows], "table")

"""`techreg doctor`: one line per thing the set-up needs, with what to do when it fails."""

from __future__ import annotations

import typer

from .output import out


def doctor() -> None:
    """Check Python, Java, Maven, the Neo4j jars, the local server (folder, port, pid file,
    password file), whether Neo4j answers, disk space and Chromium; exit 1 if any fails."""
    from graph.doctor import run_checks

    checks = run_checks()
    for check in checks:
        out.print(str(check), highlight=False, soft_wrap=True, markup=False)
    failed = [c.name for c in checks if c.failed]
    if failed:
        out.print(f"{len(failed)} check(s) failed: {', '.join(failed)}", highlight=False)
        raise typer.Exit(1)
    out.print("all checks passed", highlight=False)

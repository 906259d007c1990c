"""The benchmark harness: `python -m bench.run [--sizes 10000,100000,1000000] [--repeat 3]`.

Each step runs in its own process (bench/steps.py), timed from outside, with that
process's peak memory read from the kernel (wait4). Medians of the repetitions are
reported, and for research queries the median and p95 of their run times. The peer,
Neo4j Labs' rdflib-neo4j, loads the same N-Triples file into the same Neo4j when its
virtualenv exists (`make bench` creates .venv-peer). Prints a Markdown report.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from .generate import write

ROOT = Path(__file__).resolve().parent.parent
PEER_PYTHON = ROOT / ".venv-peer" / "bin" / "python"


def run_step(step: str, path: Path, python: str = sys.executable,
             module: str = "bench.steps", env: dict | None = None) -> dict:
    """Run one step in a child process; its time and its own peak memory (MB)."""
    started = time.perf_counter()
    process = subprocess.run([python, "-m", module, step, str(path)], cwd=ROOT,
                             capture_output=True, text=True, env=env)
    if process.returncode != 0:
        raise RuntimeError(f"{step} failed: {process.stderr.strip()[-500:]}")
    result = json.loads(process.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    result["stderr"] = process.stderr
    return result


def median_of(step: str, path: Path, repeat: int, before: str | None = None, **kw) -> dict:
    results = []
    for _ in range(repeat):
        if before:
            run_step(before, path)
        results.append(run_step(step, path, **kw))
    return {"seconds": statistics.median(r["seconds"] for r in results),
            "peak_mb": max(r["peak_mb"] for r in results), "count": results[-1]["count"],
            "children_peak_mb": max(r.get("children_peak_mb", 0) for r in results),
            "stderr": results[-1]["stderr"]}


def bulk_env() -> dict | None:
    """The environment of a --bulk step: the local server of the settings, without
    NEO4J_URI when that names the same server (the smoke run's); None when there is no
    local server to stop and import into."""
    import os

    from graph.server import LocalServer

    server = LocalServer.from_settings()
    uri = os.environ.get("NEO4J_URI")
    if not server.state() or uri and uri.replace("neo4j://", "bolt://") != server.uri:
        return None
    return {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}


def changed_copy(path: Path, fraction: float = 0.01) -> Path:
    """The same file with the labels of about `fraction` of the records changed."""
    every = max(1, round(1 / fraction))
    out = path.with_name(path.stem + "-changed" + path.suffix)
    with open(path) as src, open(out, "w") as dst:
        for index, line in enumerate(src):
            if "rdf-schema#label" in line and index % every == 0:
                line = line.replace('" .', ' (renamed)" .', 1)
            dst.write(line)
    return out


def query_times(repeat: int) -> dict[str, tuple[float, float]]:
    """Median and p95 milliseconds of each research question on the loaded graph."""
    from graph import queries
    from graph.db import connect

    times = {}
    with connect() as db:
        for name, question in queries.library().items():
            queries.run_cypher(db, question)  # warm: the first run plans the query
            samples = []
            for _ in range(max(repeat, 10)):
                started = time.perf_counter()
                queries.run_cypher(db, question)
                samples.append((time.perf_counter() - started) * 1000)
            samples.sort()
            times[name] = (statistics.median(samples),
                           samples[min(len(samples) - 1, int(0.95 * len(samples)))])
    return times


def bench_curated(repeat: int) -> dict:
    """Research questions on the curated data (loaded from data/)."""
    run_step("wipe", ROOT)
    run_step("load_curated", ROOT)
    return {"queries": query_times(repeat)}


STEP_GROUPS = ("parse", "load", "reload", "bulk", "export", "oxigraph", "analytics", "queries",
               "peer")


def bench_size(size: int, folder: Path, repeat: int, peer: bool,
               groups: tuple[str, ...] = STEP_GROUPS) -> dict:
    nt = folder / f"bench-{size}.nt"
    ttl = folder / f"bench-{size}.ttl"
    triples = write(size, nt)
    if size <= 2_000_000:
        write(size, ttl)
    report = {"size": size, "triples": triples, "file_mb": nt.stat().st_size / 2**20}
    if "parse" in groups:
        report["parse pyoxigraph (N-Triples)"] = median_of("parse_pyoxigraph", nt, repeat)
        report["parse rdflib (N-Triples)"] = median_of("parse_rdflib", nt, 1 if size > 200_000
                                                       else repeat)
        report["well-formedness check"] = median_of("check", nt, repeat)
    env = bulk_env()
    if "bulk" in groups and env is not None:
        # First, so that the transactional steps and the peer run on the same server after it.
        report["bulk load (--bulk)"] = median_of("bulk_load", nt, 1 if size > 2_000_000
                                                 else repeat, before="wipe", env=env)
        report["bulk load (--bulk)"]["phases"] = json.loads(
            report["bulk load (--bulk)"]["stderr"].strip().splitlines()[-1])["phases"]
        report["reload after --bulk (changes)"] = median_of("changes", nt, 1)
        with swapped(nt, changed_copy(nt)):  # a 1 % update of the bulk-loaded graph
            report["reload after --bulk, 1% changed"] = median_of("changes", nt, 1)
    if "load" in groups:
        report["load into empty Neo4j"] = median_of("load", nt, repeat, before="wipe")
    if "reload" in groups and "load" in groups:
        _reloads(report, nt, repeat)
    if "load" in groups or env is not None and "bulk" in groups:
        if "load" in groups:
            run_step("load", nt)
        _exports(report, nt, repeat, groups)
        if "analytics" in groups:
            analytics = median_of("analytics", nt, 1)
            report["analytics"] = json.loads(
                analytics["stderr"].strip().splitlines()[-1])["analytics"]
        if "queries" in groups:
            report["queries"] = query_times(repeat)
    if peer and PEER_PYTHON.exists() and "peer" in groups:
        report["peer rdflib-neo4j load"] = median_of("load", nt, 1 if size > 200_000 else repeat,
                                                     before="wipe", python=str(PEER_PYTHON),
                                                     module="bench.peer")
    return report


@contextmanager
def swapped(nt: Path, changed: Path):
    """The changed file under the original's name, so its source graph is the same."""
    original = nt.with_name(nt.name + ".original")
    nt.replace(original)
    changed.rename(nt)
    try:
        yield
    finally:
        nt.rename(changed)
        original.replace(nt)


def _reloads(report: dict, nt: Path, repeat: int) -> None:
    report["reload unchanged"] = median_of("load", nt, repeat)
    changed = changed_copy(nt)
    results = []
    for _ in range(repeat):
        run_step("load", nt)
        with swapped(nt, changed):
            results.append(run_step("load", nt))
    report["reload after 1% changed"] = {
        "seconds": statistics.median(r["seconds"] for r in results),
        "peak_mb": max(r["peak_mb"] for r in results), "count": results[-1]["count"]}


def _exports(report: dict, nt: Path, repeat: int, groups: tuple[str, ...]) -> None:
    if "export" in groups:
        report["export N-Triples"] = median_of("export_nt", nt, repeat)
        report["export Turtle"] = median_of("export_ttl", nt, repeat)
    if "oxigraph" in groups:
        report["export N-Quads to a file"] = median_of("export_nq_file", nt, 1)
        report["Oxigraph bulk load of the export"] = median_of("oxigraph_load", nt, 1)
        nt.with_name(nt.stem + "-export.nq").unlink(missing_ok=True)


def markdown(reports: list[dict]) -> str:
    lines = []
    for r in reports:
        lines += [f"### {r['triples']:,} triples ({r['file_mb']:.1f} MB of N-Triples)", "",
                  "| step | median s | triples/s | peak MB | children's peak MB |",
                  "|---|---|---|---|---|"]
        for key, value in r.items():
            if isinstance(value, dict) and "seconds" in value:
                rate = r["triples"] / value["seconds"] if value["seconds"] else 0
                lines.append(f"| {key} | {value['seconds']:.2f} | {rate:,.0f} | "
                             f"{value['peak_mb']:.0f} | {value.get('children_peak_mb', 0):.0f} |")
        if "bulk load (--bulk)" in r:
            lines += ["", "--bulk phases: " + ", ".join(
                f"{k} {v:.2f} s" for k, v in r["bulk load (--bulk)"]["phases"].items())]
        peer = r.get("peer rdflib-neo4j load")
        if peer and "load into empty Neo4j" in r:
            ours = r["load into empty Neo4j"]["seconds"]
            lines += ["", f"Ours / peer load time: {ours / peer['seconds']:.3f} "
                          f"({peer['seconds'] / ours:.1f}x faster)."]
            if "bulk load (--bulk)" in r:
                bulk = r["bulk load (--bulk)"]["seconds"]
                lines.append(f"--bulk / peer load time: {bulk / peer['seconds']:.3f} "
                             f"({peer['seconds'] / bulk:.1f}x faster).")
        if "analytics" in r:
            lines += ["", "Analytics: " + ", ".join(
                      f"{k} {v:.2f} s" if isinstance(v, float) else f"{k} {v:,}"
                      for k, v in r["analytics"].items())]
        if "queries" in r:
            lines += ["", "| research question | median ms | p95 ms |", "|---|---|---|"]
        for name, (median, p95) in sorted(r.get("queries", {}).items()):
            lines.append(f"| {name} | {median:.1f} | {p95:.1f} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=ROOT / "out" / "bench")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--steps", default=",".join(STEP_GROUPS),
                        help="the groups of steps to run (10M: --sizes 10000000 "
                             "--steps bulk,export,oxigraph)")
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    groups = tuple(args.steps.split(","))
    reports = [bench_size(int(s), args.folder, args.repeat, not args.no_peer, groups)
               for s in args.sizes.split(",")]
    curated = bench_curated(args.repeat) if "queries" in groups else {"queries": {}}
    print(markdown(reports))
    print("### Research questions on the curated data\n\n| research question | median ms | p95 ms |"
          "\n|---|---|---|")
    for name, (median, p95) in sorted(curated["queries"].items()):
        print(f"| {name} | {median:.1f} | {p95:.1f} |")
    reports.append({"curated": curated})
    if args.json:
        args.json.write_text(json.dumps(reports, indent=2, default=str))
    return reports


if __name__ == "__main__":
    main()

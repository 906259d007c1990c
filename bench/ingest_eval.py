"""Ingest evaluation: precision and recall of linking, and top-1 accuracy of dispute
identification, on the corpus in tests/fixtures/ingest/corpus (see bench/ingest_corpus.py).

    python -m bench.ingest_eval [--load] [-v] [--json] [--corpus FOLDER]

Runs against the Neo4j of the settings (the local server, or NEO4J_URI); `--load` first
loads data/ into it (replacing what is there). Nothing is written to the graph otherwise:
each document is analysed as `techreg ingest` would, without loading it.

A predicted link is correct when a gold mention of the same record overlaps it; each gold
mention is matched once. Targets: precision >= 0.95, recall >= 0.90, top-1 >= 0.90.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from bench.ingest_corpus import CORPUS

TARGETS = {"precision": 0.95, "recall": 0.90, "top1": 0.90}


def score(report, gold: dict) -> dict:
    """Matches of one document's links against its gold mentions."""
    golds = list(gold["mentions"])
    used: set[int] = set()
    correct, wrong = [], []
    for m in report.mentions:
        hit = next((i for i, g in enumerate(golds) if i not in used and g["entity"] == m.entity
                    and g["start"] < m.end and m.start < g["end"]), None)
        if hit is None:
            wrong.append(m)
        else:
            used.add(hit)
            correct.append(m)
    missed = [g for i, g in enumerate(golds) if i not in used]
    top = report.disputes[0].dispute if report.disputes else None
    return {"correct": len(correct), "predicted": len(report.mentions), "gold": len(golds),
            "wrong": [(m.text, m.start, m.entity, m.how) for m in wrong],
            "missed": [(g["text"], g["start"], g["entity"]) for g in missed],
            "top": top, "top_ok": top == gold["dispute"], "linked": report.dispute,
            "dispute": gold["dispute"]}


def evaluate(db, corpus: Path = CORPUS) -> dict:
    from loaders.ingest import GraphContext, analyse, read_document
    from loaders.ingest.mentions import Matcher
    from loaders.resolve import EntityIndex

    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    index, context = EntityIndex.from_db(db), GraphContext.from_db(db)
    matcher = Matcher(index)
    setup = time.perf_counter() - started
    results, filtered = {}, Counter()
    started = time.perf_counter()
    for name, g in sorted(gold.items()):
        report = analyse(read_document(corpus / name), index, matcher, context)
        results[name] = score(report, g)
        filtered.update(report.filtered)
    elapsed = time.perf_counter() - started
    correct = sum(r["correct"] for r in results.values())
    predicted = sum(r["predicted"] for r in results.values())
    total = sum(r["gold"] for r in results.values())
    return {
        "documents": len(results), "gold mentions": total, "predicted": predicted,
        "precision": correct / predicted if predicted else 0.0,
        "recall": correct / total if total else 0.0,
        "top1": sum(r["top_ok"] for r in results.values()) / len(results),
        "linked correctly": sum(r["linked"] == r["dispute"] for r in results.values()),
        "linked wrongly": sum(bool(r["linked"]) and r["linked"] != r["dispute"]
                              for r in results.values()),
        "filtered": dict(sorted(filtered.items())),
        "seconds": {"setup": round(setup, 2), "per document": round(elapsed / len(results), 3)},
        "documents detail": results,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--load", action="store_true", help="load data/ into the graph first")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each error")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--corpus", type=Path, default=CORPUS,
                        help="a corpus folder with gold.json (default: the evaluation corpus; "
                             "tests/fixtures/ingest/heldout is the held-out one)")
    args = parser.parse_args(argv)
    from graph import db as dbmod

    with dbmod.connect() as db:
        if args.load:
            from loaders.neo4j import load
            from loaders.records import build_dataset

            load(build_dataset(shacl=False), db, mode="replace")
        figures = evaluate(db, args.corpus)
    if args.json:
        print(json.dumps(figures, indent=1, default=str))
        return 0
    print(f"documents {figures['documents']}, gold mentions {figures['gold mentions']}, "
          f"links {figures['predicted']}")
    for key in ("precision", "recall", "top1"):
        mark = "ok" if figures[key] >= TARGETS[key] else "below target"
        print(f"{key:10} {figures[key]:.3f}  (target {TARGETS[key]:.2f}: {mark})")
    print(f"source linked to its dispute: {figures['linked correctly']} right, "
          f"{figures['linked wrongly']} wrong, of {figures['documents']}")
    print("filtered: " + ", ".join(f"{k} {v}" for k, v in figures["filtered"].items()))
    print(f"time: setup {figures['seconds']['setup']} s, "
          f"{figures['seconds']['per document']} s per document")
    if args.verbose:
        for name, r in figures["documents detail"].items():
            if r["wrong"] or r["missed"] or not r["top_ok"]:
                print(f"\n{name}: top {r['top']} (gold {r['dispute']}), linked {r['linked']}")
                for w in r["wrong"]:
                    print(f"  wrong  {w}")
                for m in r["missed"]:
                    print(f"  missed {m}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

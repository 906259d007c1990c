"""`techreg build` is byte-identical from one run to the next, whatever Python's hash seed:
anyone who commits a build, or diffs two releases, sees only what changed in the records.

The build runs in two processes with different PYTHONHASHSEED values, over the fixture
records (the curated data/ would take minutes; the path through the code is the same:
build_dataset, then write_outputs, as `techreg build` runs them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
BUILD = ("import sys; from pathlib import Path; "
         "from loaders.records import build_dataset, write_outputs; "
         "write_outputs(build_dataset([Path(sys.argv[1])]), Path(sys.argv[2]))")


def test_builds_with_different_hash_seeds_are_byte_identical(tmp_path):
    runs = {seed: subprocess.Popen(
        [sys.executable, "-c", BUILD, str(FIXTURES / "records" / "valid.yaml"),
         str(tmp_path / seed)], cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for seed in ("1", "2", "3")}
    for seed, process in runs.items():
        _, err = process.communicate(timeout=240)
        assert process.returncode == 0, (seed, err)
    names = sorted(p.name for p in (tmp_path / "1").iterdir())
    assert names == ["techreg.nq", "techreg.trig", "techreg.ttl"]
    for seed in ("2", "3"):
        assert sorted(p.name for p in (tmp_path / seed).iterdir()) == names
        for name in names:
            assert (tmp_path / "1" / name).read_bytes() == (tmp_path / seed / name).read_bytes(), \
                f"{name} differs between hash seeds 1 and {seed}"
    trig = (tmp_path / "1" / "techreg.trig").read_text()
    graphs = [line.split()[0] for line in trig.splitlines() if line.endswith("{")]
    assert len(graphs) >= 2 and graphs == sorted(graphs)  # named graphs in name order

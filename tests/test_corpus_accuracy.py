"""Accuracy on a generated corpus: every kind and text shape, every noise the generator
plants, every number exactly right (the benchmark generator doubles as a test oracle)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a generated corpus: `make test` runs it, `make test-fast` does not

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("reportlab")


def test_generated_corpus_parses_exactly(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gen_corpus.py"), "--reports", "60", "--seed", "11",
                    "--out", str(out), "--jobs", "1"], check=True, capture_output=True)
    results_file = tmp_path / "results.json"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "check_corpus.py"), str(out), "--jobs", "1",
                    "--json", str(results_file)], check=True, capture_output=True)
    results = json.loads(results_file.read_text(encoding="utf-8"))
    assert len(results) == 60
    kinds = {Path(r["file"]).suffix for r in results}
    assert kinds == {".txt", ".md", ".docx", ".html", ".pdf"}
    numbers = sum(r["numbers"] for r in results)
    wrong = [(r["file"], w) for r in results for w in r["wrong"]]
    assert numbers > 60 * 200 and wrong == []
    assert all(r["agency_ok"] and r["year_ok"] and r["format_ok"] and r["title_ok"] for r in results)
    assert all(all(r["sections_ok"].values()) for r in results)
    assert all(r["failed_checks"] == [] for r in results)

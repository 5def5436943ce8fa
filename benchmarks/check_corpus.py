"""Parse a generated corpus and compare every value with its truth.

    python benchmarks/check_corpus.py DIR [--sample K] [--jobs J] [--show N] [--json OUT]

DIR is the output of ``benchmarks/gen_corpus.py`` (``DIR/truth.jsonl`` and
``DIR/reports/``). Every file (or a deterministic sample of K files: the same K files
for the same corpus, whatever the machine) is parsed with
:func:`gongkai.parse.parse_file` and compared with its truth record.

Printed per file kind (and per text shape):

- files, parsed, rejected (a parse that raised);
- accuracy = numbers exactly right / numbers in the truth, over all files of the kind
  (a rejected file gets none right) and over the parsed ones; a blank cell is a value
  (``null``), so is every cell of a row the report does not print;
- agency, title, year and format right; prose parts equal (white space ignored); reports
  whose parse fails an arithmetic check (the generated reports pass every check, so
  a failed check points at a misread cell);

then accuracy by noise tag, the keys most often wrong, the first mismatches (file, key,
expected, got) and the first rejections with their message.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import Counter, defaultdict
from multiprocessing import Pool
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from gongkai.parse import parse_file  # noqa: E402

TABLES = ("active_disclosure", "requests", "review_litigation")
ROW_WIDTH = 7  # table B columns


def flatten(table: str, value: Any, prefix: str = "") -> dict[str, Any]:
    """Leaf values of a truth table, keyed 'table.row.column'."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(flatten(table, v, f"{prefix}.{k}" if prefix else k))
    else:
        out[f"{table}.{prefix}"] = value
    return out


def truth_leaves(rec: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for table in TABLES:
        t = rec[table]
        if table == "requests":
            cols = next(r for r in t.values() if r is not None).keys()
            for row, vals in t.items():
                for col in cols:
                    out[f"requests.{row}.{col}"] = None if vals is None else vals[col]
        else:
            out.update(flatten(table, t))
    return out


_MISSING = "<missing>"


def lookup(parsed: dict[str, Any], key: str) -> Any:
    table, *path = key.split(".")
    cur: Any = parsed.get(table, _MISSING)
    for p in path:
        if cur is None and table == "requests":
            return None  # a row not printed: each of its cells is null
        if not isinstance(cur, dict) or p not in cur:
            return _MISSING
        cur = cur[p]
    return cur


def same(expected: Any, got: Any) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)) and not isinstance(got, bool):
        return expected == got or abs(expected - got) <= 1e-9 * max(1.0, abs(expected))
    return expected == got


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def check_one(args: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    root, rec = args
    path = Path(root) / rec["file"]
    t0 = time.perf_counter()
    try:
        report = parse_file(path, content_root=Path(root)).to_dict()
    except Exception as e:  # noqa: BLE001 - every failure is a rejection to report
        return {"file": rec["file"], "error": f"{type(e).__name__}: {e}", "seconds": time.perf_counter() - t0}
    dt = time.perf_counter() - t0
    leaves = truth_leaves(rec)
    wrong = []
    for key, expected in leaves.items():
        got = lookup(report, key)
        if not same(expected, got):
            wrong.append((key, expected, got))
    sections_ok = {k: squash(report["sections"].get(k, "")) == squash(v) for k, v in rec.get("sections", {}).items()}
    return {
        "file": rec["file"],
        "numbers": len(leaves),
        "wrong": wrong,
        "agency_ok": squash(report["agency"]) == squash(rec["agency"]),
        "title_ok": squash(report["title"]) == squash(rec.get("title", report["title"])),
        "agency_got": report["agency"],
        "year_ok": report["year"] == rec["year"],
        "format_ok": report["format"] == rec["format"],
        "sections_ok": sections_ok,
        "failed_checks": [c["detail"] for c in report["checks"] if not c["passed"]],
        "warnings": report["warnings"],
        "seconds": dt,
    }


def sample(records: list[dict[str, Any]], k: int | None) -> list[dict[str, Any]]:
    if not k or k >= len(records):
        return records
    ranked = sorted(records, key=lambda r: hashlib.sha1(r["file"].encode("utf-8")).hexdigest())
    return sorted(ranked[:k], key=lambda r: r["file"])


class Tally:
    def __init__(self) -> None:
        self.files = self.parsed = self.rejected = 0
        self.numbers = self.right = self.numbers_parsed = 0
        self.agency = self.title = self.year = self.fmt = 0
        self.sections = self.sections_total = 0
        self.failed_checks = 0
        self.seconds = 0.0

    def add(self, rec: dict[str, Any], res: dict[str, Any]) -> None:
        self.files += 1
        n = len(truth_leaves(rec))
        self.numbers += n
        self.seconds += res["seconds"]
        if "error" in res:
            self.rejected += 1
            return
        self.parsed += 1
        self.numbers_parsed += n
        self.right += n - len(res["wrong"])
        self.agency += res["agency_ok"]
        self.title += res["title_ok"]
        self.year += res["year_ok"]
        self.fmt += res["format_ok"]
        self.sections += sum(res["sections_ok"].values())
        self.sections_total += len(res["sections_ok"])
        self.failed_checks += bool(res["failed_checks"])

    def row(self, name: str) -> str:
        acc = 100 * self.right / self.numbers if self.numbers else 0.0
        acc_p = 100 * self.right / self.numbers_parsed if self.numbers_parsed else 0.0
        prose = 100 * self.sections / self.sections_total if self.sections_total else 0.0
        ms = 1000 * self.seconds / self.files if self.files else 0.0
        return (f"{name:26} {self.files:6} {self.parsed:6} {self.rejected:6} {acc:8.2f}% {acc_p:8.2f}% "
                f"{self.agency:6} {self.title:5} {self.year:5} {self.fmt:5} {prose:6.1f}% {self.failed_checks:6} {ms:8.0f}")


HEADER = (f"{'kind':26} {'files':>6} {'parsed':>6} {'reject':>6} {'accuracy':>9} {'(parsed)':>9} "
          f"{'agency':>6} {'title':>5} {'year':>5} {'fmt':>5} {'prose':>7} {'badchk':>6} {'ms/file':>8}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", type=Path, help="corpus folder (truth.jsonl, reports/)")
    ap.add_argument("--sample", type=int, default=None, help="check a deterministic sample of K files")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes")
    ap.add_argument("--show", type=int, default=12, help="mismatches and rejections to list")
    ap.add_argument("--json", type=Path, default=None, help="write every file's result here")
    args = ap.parse_args(argv)
    records = [json.loads(line) for line in (args.dir / "truth.jsonl").read_text(encoding="utf-8").splitlines()
               if line.strip()]
    chosen = sample(records, args.sample)
    t0 = time.perf_counter()
    work = [(str(args.dir), r) for r in chosen]
    if args.jobs > 1:
        with Pool(args.jobs) as pool:
            results = pool.map(check_one, work, chunksize=4)
    else:
        results = [check_one(w) for w in work]
    elapsed = time.perf_counter() - t0

    by_kind: dict[str, Tally] = defaultdict(Tally)
    by_shape: dict[str, Tally] = defaultdict(Tally)
    by_noise: dict[str, Tally] = defaultdict(Tally)
    total = Tally()
    key_wrong: Counter[str] = Counter()
    files_wrong_by_key: dict[str, list[str]] = defaultdict(list)
    for rec, res in zip(chosen, results):
        by_kind[rec["kind"]].add(rec, res)
        by_shape[rec["shape"]].add(rec, res)
        for tag in rec["noise"] or ["(none)"]:
            by_noise[tag].add(rec, res)
        total.add(rec, res)
        for key, _, _ in res.get("wrong", []):
            generic = re.sub(r"^(requests)\.([a-z_]+)\..*$", r"\1.\2.*", key)
            key_wrong[generic] += 1
            if len(files_wrong_by_key[generic]) < 3 and rec["file"] not in files_wrong_by_key[generic]:
                files_wrong_by_key[generic].append(rec["file"])

    print(f"checked {len(chosen)} of {len(records)} files in {elapsed:.1f} s ({args.jobs} jobs); "
          f"{total.right} of {total.numbers} numbers right")
    print()
    print(HEADER)
    for kind in sorted(by_kind):
        print(by_kind[kind].row(kind))
    print(total.row("all"))
    print()
    print("by shape")
    print(HEADER.replace("kind ", "shape"))
    for shape in sorted(by_shape):
        print(by_shape[shape].row(shape))
    print()
    print("by noise tag (a file counts under each of its tags)")
    print(HEADER.replace("kind ", "noise"))
    for tag in sorted(by_noise):
        print(by_noise[tag].row(tag[:26]))
    if key_wrong:
        print()
        print("keys most often wrong (count, key, first files)")
        for key, n in key_wrong.most_common(args.show):
            print(f"  {n:6}  {key:45} {', '.join(files_wrong_by_key[key])}")
    shown = 0
    print()
    print("first mismatches (file: key expected -> got)")
    if not key_wrong and total.agency == total.parsed and total.title == total.parsed:
        print("  none")
    for rec, res in zip(chosen, results):
        if shown >= args.show:
            break
        problems = []
        if "error" not in res:
            if not res["agency_ok"]:
                problems.append(f"agency {rec['agency']!r} -> {res['agency_got']!r}")
            problems += [f"{k} {e!r} -> {g!r}" for k, e, g in res["wrong"][:6]]
            if len(res["wrong"]) > 6:
                problems.append(f"... {len(res['wrong']) - 6} more")
        if problems:
            shown += 1
            print(f"  {rec['file']} [{rec['shape']}; {', '.join(rec['noise']) or 'no noise'}]")
            for p in problems:
                print(f"      {p}")
    errors = [(rec, res) for rec, res in zip(chosen, results) if "error" in res]
    if errors:
        print()
        print("first rejections")
        for rec, res in errors[: args.show]:
            print(f"  {rec['file']} [{rec['shape']}]: {res['error']}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Acknowledged errors of the sources: ``content/acknowledged.yml``.

A report that breaks its own arithmetic is published as printed, with the break marked.
When a maintainer has looked at one and it is the source's own error (the agency printed a
wrong total), they say so here, with a note; the site still shows the failure, with the
note beside it, and ``--strict`` no longer fails on it::

    - file: reports/2023/jiaoyuju.txt     # the input, as on the quality pages
      rule: requests.row_total            # optional: only this check (default: every one)
      note: 原件表三总计印错，已与机关核实    # required: what was found

A rejected file can be acknowledged the same way (without ``rule``). An entry naming a
file or rule that has nothing to acknowledge is itself a problem for ``--strict`` (the
file was fixed or renamed: the entry is stale).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

FILE_NAME = "acknowledged.yml"


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    file: str
    note: str
    rule: str | None = None
    """None: every failed check of the file (or its rejection)."""

    def covers(self, rule: str | None) -> bool:
        return self.rule is None or self.rule == rule


def load(content_dir: Path) -> list[Acknowledgement]:
    path = content_dir / FILE_NAME
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise ConfigError(path, f"cannot read: {str(e).splitlines()[0]}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConfigError(path, "must be a list of entries, each with 'file' and 'note'")
    return [_entry(path, n, item) for n, item in enumerate(data, 1)]


def _entry(path: Path, n: int, item: Any) -> Acknowledgement:
    if not isinstance(item, dict):
        raise ConfigError(path, f"entry {n}: needs 'file' and 'note'")
    unknown = set(item) - {"file", "rule", "note"}
    if unknown:
        raise ConfigError(path, f"entry {n}: unknown keys {', '.join(sorted(map(str, unknown)))}; use file, rule, note")
    file, note, rule = item.get("file"), item.get("note"), item.get("rule")
    if not isinstance(file, str) or not file.strip():
        raise ConfigError(path, f"entry {n}: needs a 'file' (its path under the content folder, e.g. reports/x.pdf)")
    if not isinstance(note, str) or not note.strip():
        raise ConfigError(path, f"entry {n} ({file}): needs a 'note' saying what was found")
    if rule is not None and not isinstance(rule, str):
        raise ConfigError(path, f"entry {n} ({file}): 'rule' must be a rule id such as requests.row_total")
    return Acknowledgement(file.strip().replace("\\", "/"), " ".join(note.split()), rule)

"""Errors written for users: ``str(error)`` is one line naming the file and the way out."""

from __future__ import annotations

from pathlib import Path


class GongkaiError(Exception):
    """Base class of every error gongkai reports to a user instead of a traceback."""

    def __init__(self, path: Path | str | None, reason: str) -> None:
        self.path = str(path) if path is not None else None
        self.reason = reason
        super().__init__(f"{self.path}: {reason}" if self.path else reason)


class UnsupportedFile(GongkaiError):
    """The file's kind is not one gongkai reads (extension, or content not matching it)."""


class UnreadableFile(GongkaiError):
    """The file could not be opened or decoded: empty, damaged, encrypted, no text layer."""


class NotAReport(GongkaiError):
    """The file is readable but is not an annual government-information-disclosure report."""


class LayoutNotRecognised(GongkaiError):
    """The file is a report but its tables could not be found or are in an unsupported layout."""


class ConfigError(GongkaiError):
    """A settings or agencies file is invalid."""


class PreLayoutReport(LayoutNotRecognised):
    """A report for 2008–2018, before the fixed table layout: its figures are in prose and
    in tables of the agency's own design, which gongkai does not read into data."""

    def __init__(self, path: Path | str | None, agency: str, year: int, title: str = "") -> None:
        self.agency = agency
        self.year = year
        self.title = title
        super().__init__(path, f"{year} report of {agency} predates the fixed table layout "
                               "(国办公开办函〔2019〕60号, reports for 2019 on): its figures are not read into data")

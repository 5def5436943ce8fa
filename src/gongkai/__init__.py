"""gongkai (公开): a static transparency portal for government-information-disclosure annual reports."""

from .errors import GongkaiError
from .model import Report
from .parse import parse_file

__version__ = "0.1.0"

__all__ = ["GongkaiError", "Report", "parse_file", "__version__"]

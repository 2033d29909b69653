"""Handler tests import `handlers/` code the way Lambda does: with `handlers/` itself on sys.path."""

from __future__ import annotations

import sys
from pathlib import Path

HANDLERS = Path(__file__).resolve().parents[2] / "handlers"
if str(HANDLERS) not in sys.path:
    sys.path.insert(0, str(HANDLERS))

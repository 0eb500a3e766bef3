"""Write docs/gap-rules.md from graph/gap_rules.py (run by `make docs`; a test checks it)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.gap_rules_doc import render  # noqa: E402

if __name__ == "__main__":
    target = ROOT / "docs" / "gap-rules.md"
    target.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {target.relative_to(ROOT)}\n")

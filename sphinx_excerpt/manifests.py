"""Manifests: the lists of files the extension wrote into the output folder.

A build lists what it wrote (redirect pages, citation downloads) in a JSON file beside
them, so that a later build, an incremental one too, removes what no longer applies and
never a file it did not write.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path


def read_manifest(path: Path) -> Any:
    """What the last build listed at ``path`` (``None`` if nothing readable is there)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_manifest(path: Path, listed: list[str] | dict[str, str]) -> None:
    """List ``listed`` at ``path`` for the next build."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(listed, indent=0, sort_keys=True), encoding="utf-8")

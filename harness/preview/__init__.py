"""Browser preview of the project's Perspective views, bound live to a harness gateway (`genba serve`)."""
from __future__ import annotations

from .server import PreviewHost, PreviewServer

__all__ = ["PreviewHost", "PreviewServer"]

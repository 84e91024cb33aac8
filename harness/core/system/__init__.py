"""The `system` object scripts see: emulated areas, and a clear error for everything else."""
from __future__ import absolute_import, division, print_function

from .namespace import Namespace

__all__ = ["Namespace"]

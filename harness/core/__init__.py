"""The harness core: gateway emulation in the Python 2.7/3 common subset (also runs on Jython)."""
from __future__ import absolute_import, division, print_function

from .gateway import Gateway
from .quality import QualityCode
from .values import QualifiedValue

__all__ = ["Gateway", "QualifiedValue", "QualityCode"]

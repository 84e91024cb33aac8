"""Genba's harness: run an Ignition project's gateway scripts outside the gateway.

    from harness import Gateway
    gw = Gateway(project="project", clock="virtual")
"""
from __future__ import absolute_import, division, print_function

from .core import Gateway, QualifiedValue, QualityCode

__all__ = ["Gateway", "QualifiedValue", "QualityCode"]

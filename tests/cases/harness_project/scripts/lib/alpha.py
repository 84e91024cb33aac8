"""Refers to lib.beta at import time although beta sorts after it."""
from __future__ import absolute_import, division, print_function

GREETING = lib.beta.word() + "!"
LOADS = []
LOADS.append("alpha")


def shout(text):
    return lib.sub.gamma.upper(text) + lib.alpha.GREETING

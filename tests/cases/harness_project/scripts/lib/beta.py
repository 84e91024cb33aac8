"""A module other modules use by full path, without importing it."""
from __future__ import absolute_import, division, print_function


def word():
    return "hello"


def add(a, b):
    return a + b

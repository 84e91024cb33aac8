"""A module of a subpackage."""
from __future__ import absolute_import, division, print_function


def upper(text):
    return text.upper()


def log_state(path, value):
    system.util.getLogger("gamma").info("%s=%s" % (path, value))

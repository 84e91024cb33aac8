"""`genba`: the command line. Every module in harness/commands adds one subcommand.

Each command module defines `add_parser(subparsers)`, registering its subcommand with a help
text that shows an example and setting `func` (args -> exit code). Exit codes: 0 ok, 1 a check
failed, 2 usage. Errors the harness raises on purpose are printed as one line, not a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import commands
from .core.errors import HarnessError

__all__ = ["build_parser", "main"]


def build_parser():
    parser = argparse.ArgumentParser(
        prog="genba", description="Genba: MES gateway scripts for Ignition, run and tested outside the gateway.",
        epilog="Example: genba demo")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module("%s.%s" % (commands.__name__, module_info.name))
        module.add_parser(subparsers)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except HarnessError as error:
        print("genba %s: %s" % (args.command, error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""The `--db` option of the commands that work on the MES database, resolved in one place."""
from __future__ import annotations

import os

__all__ = ["DEFAULT_URL", "add_db_option", "database_url"]

DEFAULT_URL = "sqlite:///genba.db"


def add_db_option(parser):
    """Add `--db URL` (default: $GENBA_DB, else DEFAULT_URL) to an argparse parser."""
    parser.add_argument("--db", default=None,
                        help="database URL (sqlite:///file.db or postgresql://user@host:port/name); "
                             "default $GENBA_DB or %s" % DEFAULT_URL)


def database_url(args):
    """The URL the command uses: --db, else $GENBA_DB, else DEFAULT_URL."""
    return args.db or os.environ.get("GENBA_DB") or DEFAULT_URL

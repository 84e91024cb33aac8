"""Subcommands of `genba`, one module each (discovered by harness.cli)."""

"""The ``chainlens`` command: one entry point, one module per subcommand.

Each subcommand module in this package exposes ``register(subparsers)``,
which adds its parser and sets ``func`` to a callable taking the parsed
arguments and returning the exit status.  Errors from the engine are
printed with a caret under the place and give exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: Subcommand modules, in the order ``chainlens --help`` lists them.
COMMANDS = (
    "parse",
    "diff",
    "check",
    "grad",
    "health",
    "graph",
    "batch",
    "serve",
    "lsp",
    "demo",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chainlens",
        description="Derivatives with their chain-rule steps, backward passes, gradient health.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"chainlens.cli.{name}")
        except ModuleNotFoundError as exc:  # a command not built into this install
            if exc.name != f"chainlens.cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from chainlens.engine.core.source import ChainError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ChainError as exc:
        print(f"chainlens {args.command}: error: {exc.caret()}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `chainlens ... | head`
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

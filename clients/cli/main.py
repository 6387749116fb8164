"""The ``chainlens`` command: one entry point, one module per subcommand.

Each subcommand module in this package exposes ``register(subparsers)``,
which adds its parser and sets ``func`` to a callable taking the parsed
arguments and returning the exit status.

One exit-code contract for every command (:data:`EXIT_CODES`): 0 done and
nothing to report; 1 the command's answer is "no" (findings, not equal,
NaN/Inf found); 2 a usage or input error (bad flags, a missing or unreadable
file, text that does not parse: printed with a caret under the place).
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: The exit statuses every subcommand keeps (``chainlens --help`` prints them).
EXIT_CODES = {
    0: "ok",
    1: "findings, not equal, or NaN/Inf found",
    2: "usage or input error (bad flags, missing file, text that does not parse)",
}

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


#: Characters no option or option value of ours is spelt with, and most
#: expressions are: ``-x*exp(-x^2/2)`` is a claim, not an unknown option.
_MATH_CHARS = frozenset("()^*+{}[]\\| ")


#: Words people type for a command, that spelling alone would not find.
_MEANT = {"derivative": "diff", "differentiate": "diff", "d": "diff", "gradient": "grad",
          "lint": "health", "server": "serve", "draw": "graph", "plot": "graph"}

#: Words that name an option of a command, not a command: ``chainlens steps``
#: was "did you mean 'lsp'?", the closest spelling, not what was meant.
_OPTION_MEANT = {"steps": "diff --steps", "hessian": "diff --hessian",
                 "paths": "grad --paths", "layers": "graph --layers"}


class _Parser(argparse.ArgumentParser):
    """argparse reads any argument starting with ``-`` as an option, so a
    negated expression (``chainlens diff "-x^2"``, a claim ``"-tan(x)"``)
    was "unrecognized arguments" or "EXPR_OR_FILE is required".  Here an
    argument that names none of the command's options, or holds math
    characters after its first two, is an expression; ``--`` still works.
    (Subparsers are made with this class too: argparse uses the parent's.)"""

    def _parse_optional(self, arg_string):
        if (len(arg_string) > 1 and arg_string[0] == "-" and arg_string[1] != "-"
                and arg_string not in self._option_string_actions
                and (arg_string[:2] not in self._option_string_actions
                     or _MATH_CHARS & set(arg_string[2:]))):
            return None
        return super()._parse_optional(arg_string)

    def error(self, message):
        """argparse's message, plus "did you mean 'diff'?" for a mistyped
        command or choice (``chainlens dif``, ``--format unicod``)."""
        import difflib
        import re

        m = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if m:
            choices = re.findall(r"'([^']*)'", m.group(2))
            if m.group(1) in _OPTION_MEANT and "diff" in choices:  # the command list
                super().error(f"{message}; did you mean 'chainlens {_OPTION_MEANT[m.group(1)]}'?")
            close = [_MEANT[m.group(1)]] if m.group(1) in _MEANT and _MEANT[m.group(1)] in \
                choices else difflib.get_close_matches(m.group(1), choices, n=1, cutoff=0.5)
            if close:
                message += f"; did you mean '{close[0]}'?"
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="chainlens",
        description="Derivatives with their chain-rule steps, backward passes, gradient health.",
        epilog="exit status: " + "; ".join(f"{k} {v}" for k, v in EXIT_CODES.items()),
    )
    parser.add_argument("--version", action="version", version=f"chainlens {version()}")
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


def version() -> str:
    """The installed distribution's version (``0+unknown`` outside an install)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("chainlens")
    except PackageNotFoundError:
        return "0+unknown"


def main(argv: list[str] | None = None) -> int:
    from chainlens.engine.core.source import ChainError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ChainError as exc:
        print(f"chainlens {args.command}: error: {exc.caret()}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # a command's own "no such file" etc.: an input error
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
            return 2
        raise
    except BrokenPipeError:  # `chainlens ... | head`
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

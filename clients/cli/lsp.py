"""``chainlens lsp``: run the language server (stdio by default)."""

from __future__ import annotations

import argparse
import errno
import logging
import sys


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "lsp", help="run the language server (editors start this)",
        description="Run the chainlens language server over stdio, or TCP with --tcp.")
    parser.add_argument("--stdio", action="store_true", help="use stdio (the default)")
    parser.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")
    parser.add_argument("--log-file", help="write the server log here")
    parser.add_argument("--log-level", default="WARNING",
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    parser.set_defaults(func=run)


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not port.isdigit():
        raise argparse.ArgumentTypeError(f"--tcp wants HOST:PORT, got {text!r}")
    if not 0 <= int(port) <= 65535:
        raise argparse.ArgumentTypeError(f"--tcp: the port must be from 0 to 65535, not {port}")
    return host or "127.0.0.1", int(port)


def run(args) -> int:
    from chainlens.server.lsp.server import create_server

    address = None
    if args.tcp:  # checked before anything starts: a bad address is exit 2, never a traceback
        try:
            address = _address(args.tcp)
        except argparse.ArgumentTypeError as exc:
            print(f"chainlens lsp: {exc}", file=sys.stderr)
            return 2
    if args.log_file:
        try:
            handler = logging.FileHandler(args.log_file)
        except OSError as exc:  # a missing folder, a directory, no permission
            print(f"chainlens lsp: cannot write the log file {args.log_file}: "
                  f"{exc.strerror or exc}", file=sys.stderr)
            return 2
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logging.basicConfig(level=args.log_level, handlers=[handler])
    else:  # stderr: stdout is the protocol channel
        logging.basicConfig(level=args.log_level)
    server = create_server()
    try:
        if address is not None:
            try:
                server.start_tcp(*address)
            except OSError as exc:  # the port is taken, or the host is not this machine's
                taken = exc.errno == errno.EADDRINUSE
                why = "the port is taken (another chainlens lsp?); choose another" if taken \
                    else (exc.strerror or str(exc))
                print(f"chainlens lsp: cannot listen on {address[0]}:{address[1]}: {why}",
                      file=sys.stderr)
                return 1
        else:
            server.start_io()
    finally:
        server.store.shutdown()
    return 0

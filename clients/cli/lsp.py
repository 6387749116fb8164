"""``chainlens lsp``: run the language server (stdio by default)."""

from __future__ import annotations

import argparse
import logging


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
    return host or "127.0.0.1", int(port)


def run(args) -> int:
    from chainlens.server.lsp.server import create_server

    if args.log_file:
        logging.basicConfig(filename=args.log_file, level=args.log_level,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    else:  # stderr: stdout is the protocol channel
        logging.basicConfig(level=args.log_level)
    server = create_server()
    try:
        if args.tcp:
            try:
                host, port = _address(args.tcp)
            except argparse.ArgumentTypeError as exc:
                print(f"chainlens lsp: {exc}")
                return 2
            server.start_tcp(host, port)
        else:
            server.start_io()
    finally:
        server.store.shutdown()
    return 0

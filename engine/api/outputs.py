"""The one name of a program's outputs at every door.

An expression statement has no name in the text; the parser keys it ``_1``,
``_2``, … (names no person can write, so they never clash).  People call it
``f``: the CLI's text and JSON, the gRPC answers, the client and the
pictures all show ``f`` for a lone anonymous output and ``f1``, ``f2``, …
when there are several, and a versioned name ``a@3`` as ``a``.  The doors
call :func:`output_label`; requests may name an output either way
(:func:`output_key`).
"""

from __future__ import annotations

from collections.abc import Iterable

from chainlens.engine.language.program import display_name

__all__ = ["is_anonymous", "output_label", "output_labels", "output_key"]


def is_anonymous(name: str) -> bool:
    """``_1``, ``_2``…: the key of an expression statement."""
    return name.startswith("_") and name[1:].isdigit()


def output_label(name: str, outputs: Iterable[str] = ()) -> str:
    """What to show for output ``name`` among ``outputs``."""
    if not is_anonymous(name):
        return display_name(name)
    anonymous = [o for o in outputs if is_anonymous(o)]
    return "f" if len(anonymous) <= 1 else f"f{name[1:]}"


def output_labels(outputs: Iterable[str]) -> dict[str, str]:
    """``{key: label}`` for every output, in order."""
    outputs = list(outputs)
    return {o: output_label(o, outputs) for o in outputs}


def output_key(label: str, outputs: Iterable[str]) -> str:
    """The program's key for an output a request names by key or by label."""
    outputs = list(outputs)
    if label in outputs:
        return label
    for key, shown in output_labels(outputs).items():
        if shown == label:
            return key
    return label

"""Build the notes corpus copies from fetched snapshots (see sources.json).

The copies are third-party text and stay out of commits; this script makes
them again from ``/work/.mirror/<owner>+<name>/repo`` at the pinned commits.
A file goes to ``heldout/`` when the first byte of sha256("repo/path") is
divisible by 3 (decided from the path alone, before anyone reads the file);
a source with ``"split"`` goes whole to that folder (round 2's fresh
``heldout2/``, round 3's ``heldout3/``, round 4's ``heldout4/``).  ``"start_after"``: the cut
starts after the first line containing that text (a standalone chapter's own preamble is not
the note).  ``"preamble_whole_lines"``: leave out preamble lines whose braces do not balance.
Round 5 (opt-in, earlier copies unchanged): ``"preamble_also"`` names more defining commands
kept from the preamble (xargs' ``\newcommandx``, which the book's macros use), and
``"prefix_folder"`` names a copy by its folder too (``Chapter2/Section3.tex``,
``Chapter3/Section3.tex`` and two ``learn.md`` would otherwise share a name).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
MIRRORS = Path("/work/.mirror")
LINES = 250
CELLS = 60
_PREAMBLE = re.compile(r"^\\(newcommand|renewcommand|def|DeclareMathOperator)\b.*$")


def _balanced(line: str) -> bool:
    body = re.sub(r"\\[{}]", "", line.split("%", 1)[0])
    return body.count("{") == body.count("}")


def split_of(repo: str, path: str) -> str:
    return "heldout" if hashlib.sha256(f"{repo}/{path}".encode()).digest()[0] % 3 == 0 \
        else "dev"


def local_name(repo: str, path: str, prefix_folder: bool = False) -> str:
    owner = repo.split("/")[0].split("-")[0].lower()
    stem = re.sub(r"[^A-Za-z0-9.]+", "_", path.rsplit("/", 1)[-1])
    if prefix_folder and "/" in path:
        stem = re.sub(r"[^A-Za-z0-9]+", "_", path.rsplit("/", 2)[-2]) + "_" + stem
    if stem.lower() in ("index.md", "readme.md", "notes.md", "concepts.ipynb"):  # by folder
        stem = re.sub(r"[^A-Za-z0-9]+", "_", path.rsplit("/", 2)[-2]) + stem[stem.rfind("."):]
    return f"{owner}__{stem}"


def show(repo: str, commit: str, path: str) -> str:
    git = MIRRORS / repo.replace("/", "+") / "repo"
    return subprocess.run(["git", "-C", str(git), "show", f"{commit}:{path}"],
                          check=True, capture_output=True, text=True).stdout


def cut(text: str, path: str, preamble: str, start_after: str | None = None) -> str:
    if path.endswith(".ipynb"):
        data = json.loads(text)
        data["cells"] = data["cells"][:CELLS]
        for cell in data["cells"]:
            cell.pop("outputs", None) if cell.get("cell_type") == "code" else None
        return json.dumps(data, indent=1)
    lines = text.splitlines(keepends=True)
    if start_after:
        at = next((i for i, line in enumerate(lines) if start_after in line), -1)
        lines = lines[at + 1:]
    body = "".join(lines[:LINES])
    return preamble + body if preamble else body


def main() -> int:
    spec = json.loads((HERE / "sources.json").read_text())
    for source in spec["sources"]:
        repo, commit = source["repo"], source["commit"]
        preamble = ""
        if source.get("preamble"):
            lines = show(repo, commit, source["preamble"]).splitlines()
            # "whole_lines" (round 4): a definition spread over several lines, cut to
            # its first line, is not the macro; earlier rounds keep their copies as built
            whole = source.get("preamble_whole_lines", False)
            also = source.get("preamble_also", [])
            keep = re.compile(rf"^\\({'|'.join(also)})\b") if also else _PREAMBLE
            preamble = "".join(line + "\n" for line in lines
                               if (_PREAMBLE.match(line) or keep.match(line))
                               and (_balanced(line) or not whole))
        for path in source["paths"]:
            split = source.get("split") or split_of(repo, path)
            out = HERE / split / local_name(repo, path, source.get("prefix_folder", False))
            out.parent.mkdir(exist_ok=True)
            out.write_text(cut(show(repo, commit, path), path, preamble,
                               source.get("start_after")))
            meta = {"repo": repo, "path": path, "commit": commit,
                    "licence": source.get("licence"), "cut": spec["cut"],
                    "preamble": source.get("preamble"),
                    "start_after": source.get("start_after")}
            (out.parent / (out.name + ".source.json")).write_text(json.dumps(meta, indent=1))
            print(split, out.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())

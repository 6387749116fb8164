"""The slowest fuzz inputs and their CPU time per stage (issue #16).

The goal: no input of at most 10,000 characters takes more than 2 s of CPU
in any stage.  This re-runs the worst inputs a fuzz run found (from its
``--json`` summaries) and the regression corpus, each in a worker process
under the runner's bound, and prints one row per input: its size, the CPU
seconds of every stage, and the slowest.

    .venv/bin/python benchmarks/fuzz_worst.py                          # the corpus
    .venv/bin/python benchmarks/fuzz_worst.py /tmp/fuzz/sum0.json ...  # + a run's worst

Inputs are named ``seed:index`` (reproduced with tests.fuzz.inputs.generate)
or ``corpus:file``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fuzz import inputs, pipeline, run  # noqa: E402

GOAL = 2.0
STAGES = ("parse", "diff", "simplify", "print.text", "print.whole", "compile", "evaluate",
          "backprop", "health")


def _text(label: str, corpus: dict[str, str]) -> str:
    if label.startswith("corpus:"):
        return corpus[label.split(":", 1)[1]]
    seed, index = label.split(":")
    return inputs.generate(int(seed), int(index))[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("summaries", nargs="*", type=Path, help="fuzz run --json files")
    ap.add_argument("--top", type=int, default=10)
    args = ap.parse_args(argv)
    corpus = dict(run.corpus())
    labels = [f"corpus:{name}" for name in corpus]
    for path in args.summaries:
        data = json.loads(path.read_text())
        labels += [w[2] for w in data["worst"][: args.top]]
    pipeline.run("x^2")
    worker = run.Worker()
    rows = []
    try:
        for label in dict.fromkeys(labels):
            text = _text(label, corpus)
            answer = worker.ask(text, run.BOUND)
            if answer is None:
                rows.append((float("inf"), label, len(text), {}, "HANG"))
                worker = run.Worker()
                continue
            times, stopped, failure = answer
            worst = max(times.values(), default=0.0)
            rows.append((worst, label, len(text), times, failure or stopped or "ok"))
    finally:
        worker.stop()
    rows.sort(key=lambda r: r[0], reverse=True)
    print(f"{'input':44} {'chars':>6} " + " ".join(f"{s[:9]:>9}" for s in STAGES)
          + "   slowest stage")
    for worst, label, size, times, how in rows:
        cells = " ".join(f"{times.get(s, 0.0):9.3f}" for s in STAGES)
        stage = max(times, key=times.get) if times else "-"
        flag = "  OVER" if worst > GOAL else ""
        print(f"{label[:44]:44} {size:6d} {cells}   {stage} {worst:.3f} s{flag} ({how[:40]})")
    over = sum(1 for r in rows if r[0] > GOAL)
    print(f"\n{len(rows)} inputs; {over} with a stage over {GOAL} s of CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())

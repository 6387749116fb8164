"""Interning under threads (the language server's workers and the gRPC pool
build nodes at once): the same expression built by several threads at the
same moment is one node."""

import sys
import threading

from chainlens.engine.core.ir import add, call, mul, power
from chainlens.engine.core.nodes import num, sym


def build(tag: int, k: int):
    x = sym(f"t{tag}_{k}")
    return add(mul(num(3), power(x, num(2))), call("sin", x), num(k))


def test_threads_building_the_same_nodes_get_one_node():
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        for tag in range(20):
            results: list[list] = [[] for _ in range(4)]
            start = threading.Barrier(4)

            def work(slot, tag=tag, start=start, results=results):
                start.wait()
                results[slot] = [build(tag, k) for k in range(200)]

            threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            for other in results[1:]:
                assert all(a is b for a, b in zip(results[0], other, strict=True))
    finally:
        sys.setswitchinterval(old)

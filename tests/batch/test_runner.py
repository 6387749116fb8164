"""The batch runner's plumbing: reading jobs, ordering, resuming, output.

These pin the promises that do not depend on what a record says: input
order whatever order chunks finish in, every job exactly once across a
kill and a resume, CSV read as the same jobs as JSON Lines."""

from __future__ import annotations

import concurrent.futures as cf
import io
import json

import pytest
from chainlens.cli.batchrun import _skip_done, read_items, resume_state
from chainlens.cli.batchrun_backends import SerialBackend, run_chunk, stream_ordered


def _items(text: str, fmt: str = "jsonl", defaults=None):
    return list(read_items(io.StringIO(text), fmt, defaults))


# ---------------------------------------------------------------- reading

JSONL_CASES = [
    # (input line, expected job or the start of the error message)
    ('{"id": "a", "expr": "x^2"}', {"id": "a", "expr": "x^2"}),
    ('{"expr": "x^2"}', {"id": 1, "expr": "x^2"}),  # no id: the line number
    ('{"id": 7, "expr": "x"}', {"id": 7, "expr": "x"}),
    ("not json", "line 1: not JSON"),
    ('["a", "list"]', "line 1: a job is a JSON object"),
    ('{"id": "d", "at": ' + "[" * 100_000 + "]" * 100_000 + "}", "line 1: JSON nested too deeply"),
]


@pytest.mark.parametrize(("line", "expected"), JSONL_CASES)
def test_jsonl_line(line, expected):
    [(job, record)] = _items(line + "\n")
    if isinstance(expected, dict):
        assert (job, record) == (expected, None)
    else:
        assert job is None and record["error"]["message"].startswith(expected)
        assert record["error"]["line"] == 1 and record["ok"] is False


def test_blank_and_comment_lines_are_skipped_but_counted():
    items = _items('# header\n\n{"expr": "x"}\n')
    assert items == [({"id": 3, "expr": "x"}, None)]


def test_duplicate_id_is_an_error_record_not_a_second_run():
    items = _items('{"id": "a", "expr": "x"}\n{"id": "a", "expr": "y"}\n')
    assert items[0][0] == {"id": "a", "expr": "x"}
    assert items[1][0] is None
    error = items[1][1]["error"]
    assert items[1][1]["id"] == "a"
    assert error["message"] == ("duplicate id 'a', first seen at line 1; this job (line 2) "
                                "was not run")
    assert (error["line"], error["first_line"]) == (2, 1)


def test_command_line_defaults_fill_only_missing_keys():
    items = _items('{"id": 1, "expr": "x", "steps": false}\n',
                   defaults={"steps": True, "formats": ["latex"], "health": None})
    assert items[0][0] == {"id": 1, "expr": "x", "steps": False, "formats": ["latex"]}


CSV = (
    "id,expr,wrt,at,claim,formats,steps,health\n"
    'q1,sin(x^2),x,x=0.5,2*x*cos(x^2),"text,latex",true,no\n'
    'q2,x*y,"x, y","{""x"": [1, 2], ""y"": [3, 4]}",,,,\n'
    '3,"a = x\nL = a^2",,,,,0,\n'
)


def test_csv_rows_are_the_same_jobs_as_json_lines():
    jobs = [job for job, _ in _items(CSV, "csv")]
    assert jobs == [
        {"id": "q1", "expr": "sin(x^2)", "wrt": "x", "at": {"x": 0.5},
         "claim": "2*x*cos(x^2)", "formats": "text,latex", "steps": True, "health": False},
        {"id": "q2", "expr": "x*y", "wrt": "x, y", "at": {"x": [1, 2], "y": [3, 4]}},
        {"id": 3, "expr": "a = x\nL = a^2", "steps": False},
    ]


@pytest.mark.parametrize(("row", "message"), [
    ("q,x,x,x=half,,,,", "column 'at': 'x=half' is not name=number"),
    ("q,x,x,,,,maybe,", "column 'steps': 'maybe' is not true/false"),
    ('q,x,x,"{bad",,,,', "column 'at': not JSON"),
])
def test_bad_csv_cell_is_an_error_record(row, message):
    [(job, record)] = _items("id,expr,wrt,at,claim,formats,steps,health\n" + row + "\n", "csv")
    assert job is None and message in record["error"]["message"]


def test_a_csv_row_csv_cannot_read_fails_alone():
    from chainlens.engine.core.limits import MAX_SOURCE_CHARS

    huge = "x" * (MAX_SOURCE_CHARS + 2)
    items = _items(f"id,expr\na,{huge}\nb,sin(x)\n", "csv")
    assert items[0][0] is None and "field larger than field limit" in items[0][1]["error"][
        "message"]
    assert items[0][1]["error"]["line"] == 2
    assert items[1] == ({"id": "b", "expr": "sin(x)"}, None)


def test_a_program_as_long_as_a_source_may_be_fits_in_a_csv_cell():
    [(job, _)] = _items("id,expr\na," + "x+" * 100_000 + "x\n", "csv")
    assert len(job["expr"]) == 200_001


def test_a_csv_id_of_non_ascii_digits_stays_text():
    [(job, _)] = _items("id,expr\n²,x\n", "csv")
    assert job == {"id": "²", "expr": "x"}


# ---------------------------------------------------------------- ordering


def test_results_come_back_in_input_order_when_chunks_finish_in_reverse():
    """Futures resolve last-submitted first; the reorder buffer must still
    release chunk 0, 1, 2... in order."""
    futures: list[tuple[cf.Future, int]] = []

    def submit(chunk):
        f = cf.Future()
        futures.append((f, chunk))
        return f

    def wait_any(pending):
        for f, chunk in reversed(futures):
            if f in pending and not f.done():
                f.set_result([chunk])
                return {f}
        raise AssertionError("nothing pending")

    progress = []
    out = list(stream_ordered(submit, wait_any, iter(range(10)), window=4,
                              on_done=progress.append))
    assert out == [[i] for i in range(10)]
    assert sum(progress) == 10


def test_window_bounds_the_chunks_in_flight():
    in_flight = []

    def submit(chunk):
        f = cf.Future()
        f.set_result([chunk])
        in_flight.append(f)
        return f

    def wait_any(pending):
        assert len(pending) <= 3
        return set(pending)

    assert len(list(stream_ordered(submit, wait_any, iter(range(20)), 3))) == 20


def test_serial_backend_runs_every_chunk_in_order():
    chunks = [[(None, {"id": i, "ok": True})] for i in range(5)]
    out = list(SerialBackend().map(iter(chunks), 2, lambda n: None))
    assert [json.loads(r[0][0])["id"] for r in out] == list(range(5))


def test_run_chunk_encodes_ready_records_without_running_them():
    [(line, ok)] = run_chunk([(None, {"id": "x", "ok": False, "error": {"kind": "JobError"}})])
    assert line == '{"id":"x","error":{"kind":"JobError"},"ok":false}' and ok is False


# ---------------------------------------------------------------- resume


def test_resume_cuts_off_a_partial_last_line(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"id":"a","ok":true}\n{"id":"b","ok":true}\n{"id":"c","o')
    assert resume_state(out) == ["a", "b"]
    assert out.read_bytes() == b'{"id":"a","ok":true}\n{"id":"b","ok":true}\n'


def test_resume_of_a_missing_file_starts_from_nothing(tmp_path):
    assert resume_state(tmp_path / "none.jsonl") == []


def test_resume_refuses_a_file_that_is_not_records(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("hello\n")
    with pytest.raises(SystemExit, match="out.jsonl:1 is not a record"):
        resume_state(out)


def test_resume_skips_the_written_prefix_and_checks_it_is_the_same_input():
    items = _items("".join(f'{{"id": "j{i}", "expr": "x"}}\n' for i in range(5)))
    rest = list(_skip_done(iter(items), ["j0", "j1"]))
    assert [job["id"] for job, _ in rest] == ["j2", "j3", "j4"]
    with pytest.raises(SystemExit, match="not the same input"):
        list(_skip_done(iter(items), ["j0", "other"]))

"""Inputs found by review that used to end in a traceback: each now gets a
clear error (or an IEEE value with a NaN/Inf report), never a crash."""

import pytest
from chainlens.cli.main import main
from chainlens.engine.core.source import ChainError, EvaluationError
from chainlens.engine.numeric.kernel import evaluate
from chainlens.engine.symbolic.check import check_derivative


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse and read_source exit this way
        code = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_binary_file_is_refused_in_words(tmp_path, capsys):
    f = tmp_path / "bin.chain"
    f.write_bytes(b"\xff\xfe\x00junk")
    code, _, err = run(capsys, "parse", str(f))
    assert code and "not UTF-8" in str(code) + err


def test_directory_is_refused_in_words(tmp_path, capsys):
    d = tmp_path / "x.chain"
    d.mkdir()
    code, _, err = run(capsys, "grad", str(d))
    assert code and "directory" in str(code) + err


@pytest.mark.parametrize("expr", ["x/0", "0^(-1)*x", "1/0 + x"])
def test_division_by_zero_is_inf_with_its_origin_reported(expr, capsys):
    code, out, _ = run(capsys, "grad", expr, "--at", "x=0.5")
    assert code == 1
    assert "inf" in out and "NaN/Inf first produced" in out


def test_points_spelled_without_leading_zero(capsys):
    code, out, _ = run(capsys, "grad", "x^2", "--at", "x=.5")
    assert code == 0 and "1" in out  # d/dx x^2 at .5 is 1


def test_ragged_point_is_an_evaluation_error():
    with pytest.raises(EvaluationError, match="rectangular"):
        evaluate("x^2", at=[{"x": [[1, 2], [3]]}])


def test_check_with_constants_beyond_float_range_does_not_overflow():
    result = check_derivative("x^2 + 10^400", "2x")
    assert result.equal


def test_check_of_a_tensor_expression_is_refused_in_words():
    with pytest.raises(ChainError):
        check_derivative("sum(x)", "x @ W")

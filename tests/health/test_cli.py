"""``chainlens health`` as a linter: one line per finding, JSON, SARIF 2.1.0
for code scanning, and exit statuses CI can rely on."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from chainlens.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SIGMOID = ROOT / "examples" / "deep_sigmoid.chain"
RESIDUAL = ROOT / "examples" / "deep_residual.chain"
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info): "
                  r"(?P<msg>.+) \[(?P<kind>[a-z]+)\]$")


def run(capsys, *argv) -> tuple[int, str]:
    status = main(["health", *map(str, argv)])
    return status, capsys.readouterr().out


@pytest.fixture
def files(tmp_path):
    broken = tmp_path / "broken.chain"
    broken.write_text("a = (x +\n")
    tower = tmp_path / "tower.chain"
    tower.write_text("input x in [-1, 1]\n\nL = exp(exp(exp(x)))\n")
    shallow = tmp_path / "neuron.chain"
    shallow.write_text("z = w*x + b\na = sigmoid(z)\nL = (a - y)^2\n")
    return {"broken": broken, "tower": tower, "shallow": shallow}


@pytest.mark.parametrize(("names", "argv", "status"), [
    (["sigmoid"], [], 1),
    (["residual"], [], 0),
    (["shallow"], [], 0),
    (["broken"], [], 2),
    (["sigmoid", "broken"], [], 2),
    (["sigmoid"], ["--threshold", "error"], 1),
    (["tower"], ["--static"], 1),          # a static exploding risk is a warning
    (["tower"], ["--static", "--threshold", "error"], 0),
    (["sigmoid"], ["--vanishing", "1e-40", "--static"], 0),
])
def test_exit_status(capsys, files, names, argv, status):
    paths = {"sigmoid": SIGMOID, "residual": RESIDUAL, **files}
    assert run(capsys, *(paths[n] for n in names), *argv)[0] == status


def test_text_is_one_lint_line_per_finding(capsys, files):
    status, out = run(capsys, SIGMOID, files["broken"])
    lines = out.splitlines()
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    first, broken = parsed
    assert (first["file"], first["line"], first["col"]) == (str(SIGMOID), "10", "1")
    assert (first["sev"], first["kind"]) == ("error", "vanishing")
    assert first["msg"].startswith("50 sigmoid layers: |∂L/∂w₁| ≤ 0.25⁵⁰")
    assert (broken["file"], broken["line"], broken["kind"]) == (str(files["broken"]), "1",
                                                                "parse")


def test_verbose_text_shows_factors_fixes_and_layers(capsys):
    _, out = run(capsys, SIGMOID, "-v")
    assert "factor |sigmoid′(z_k)| ≤ 0.25 ×50" in out
    assert "fix: Add a residual connection: a = a + …" in out  # the one that clears it
    assert "first/last = " in out


def test_missing_file_is_an_error_line_not_a_traceback(capsys, tmp_path):
    status, out = run(capsys, tmp_path / "nope.chain")
    assert status == 2 and "no such file" in out


def test_json_carries_the_whole_report(capsys, files):
    status, out = run(capsys, SIGMOID, files["broken"], "--format", "json")
    doc = json.loads(out)
    ok, bad = doc["files"]
    (finding,) = ok["report"]["findings"]
    assert finding["kind"] == "vanishing" and finding["names"][0] == "w_1"
    assert finding["factors"][0]["op"] == "sigmoid" and finding["factors"][0]["count"] == 50
    assert [r["kind"] for r in finding["remedies"]] == ["residual"]  # the one that clears it
    assert len(ok["report"]["repeats"][0]["layers"]) == 50
    assert bad["error"]["kind"] == "ParseError" and bad["error"]["span"]["line"] == 1


# ---- SARIF --------------------------------------------------------------------------------

#: The parts of the SARIF 2.1.0 schema (OASIS) that GitHub code scanning reads,
#: with their required properties and enumerations.
SCHEMA = {
    "type": "object", "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["tool"],
            "properties": {
                "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                "tool": {"type": "object", "required": ["driver"], "properties": {
                    "driver": {"type": "object", "required": ["name"], "properties": {
                        "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}}}}}},
                "results": {"type": "array", "items": {"$ref": "#/$defs/result"}}}}}},
    "$defs": {
        "message": {"type": "object", "anyOf": [{"required": ["text"]}, {"required": ["id"]}]},
        "rule": {"type": "object", "required": ["id"], "properties": {
            "shortDescription": {"$ref": "#/$defs/message"},
            "defaultConfiguration": {"properties": {
                "level": {"enum": ["none", "note", "warning", "error"]}}}}},
        "region": {"type": "object", "properties": {
            "startLine": {"type": "integer", "minimum": 1},
            "startColumn": {"type": "integer", "minimum": 1},
            "endLine": {"type": "integer", "minimum": 1},
            "endColumn": {"type": "integer", "minimum": 1},
            "charOffset": {"type": "integer", "minimum": -1},
            "charLength": {"type": "integer", "minimum": 0}}},
        "location": {"type": "object", "properties": {
            "id": {"type": "integer", "minimum": -1},
            "message": {"$ref": "#/$defs/message"},
            "physicalLocation": {"type": "object", "required": ["artifactLocation"],
                                 "properties": {
                                     "artifactLocation": {"type": "object", "required": ["uri"]},
                                     "region": {"$ref": "#/$defs/region"}}}}},
        "result": {"type": "object", "required": ["message", "ruleId", "locations"],
                   "properties": {
                       "message": {"$ref": "#/$defs/message"},
                       "ruleIndex": {"type": "integer", "minimum": 0},
                       "level": {"enum": ["none", "note", "warning", "error"]},
                       "locations": {"type": "array", "minItems": 1,
                                     "items": {"$ref": "#/$defs/location"}},
                       "relatedLocations": {"type": "array",
                                            "items": {"$ref": "#/$defs/location"}},
                       "fixes": {"type": "array", "items": {"$ref": "#/$defs/fix"}}}},
        "fix": {"type": "object", "required": ["artifactChanges"], "properties": {
            "description": {"$ref": "#/$defs/message"},
            "artifactChanges": {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["artifactLocation", "replacements"],
                "properties": {"replacements": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "required": ["deletedRegion"], "properties": {
                        "deletedRegion": {"$ref": "#/$defs/region"},
                        "insertedContent": {"type": "object",
                                            "required": ["text"]}}}}}}}}},
    },
}


@pytest.fixture
def sarif(capsys, files):
    status, out = run(capsys, SIGMOID, files["tower"], files["broken"], "--format", "sarif")
    assert status == 2
    return json.loads(out)


def test_sarif_matches_the_schema(sarif):
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(sarif, SCHEMA)


def test_sarif_results_point_at_rules_and_places(sarif):
    (run_,) = sarif["runs"]
    rules = run_["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    by_rule = {r["ruleId"]: r for r in run_["results"]}
    assert set(by_rule) >= {"vanishing-gradient", "parse-error"}
    vanishing = by_rule["vanishing-gradient"]
    where = vanishing["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"].endswith("examples/deep_sigmoid.chain")
    assert (where["region"]["startLine"], where["region"]["startColumn"]) == (10, 1)
    related = {loc["message"]["text"] for loc in vanishing["relatedLocations"]}
    assert "|sigmoid′(z_k)| ≤ 0.25 (×50)" in related


def test_sarif_fixes_are_the_remedy_edits(sarif):
    source = SIGMOID.read_text()
    lines = source.splitlines()
    (vanishing,) = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "vanishing-gradient"]
    fixes = {f["description"]["text"]: f for f in vanishing["fixes"]}
    # only the re-checked fix (ReLU and the init scale leave the finding)
    assert list(fixes) == ["Add a residual connection: a = a + …"]
    residual = fixes["Add a residual connection: a = a + …"]
    (insert,) = residual["artifactChanges"][0]["replacements"]
    region = insert["deletedRegion"]
    line = lines[region["startLine"] - 1]
    assert line[region["startColumn"] - 1:] == "sigmoid(z_k)" and region["charLength"] == 0
    assert insert["insertedContent"]["text"] == "a + "


def test_the_installed_command_end_to_end():
    exe = Path(sys.executable).with_name("chainlens")
    done = subprocess.run([str(exe), "health", str(SIGMOID), str(RESIDUAL)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert len(done.stdout.splitlines()) == 1 and "[vanishing]" in done.stdout


def test_side_by_side_for_the_demo():
    from chainlens.cli.health import side_by_side

    rows = side_by_side([str(SIGMOID), str(RESIDUAL)]).splitlines()
    assert rows[0].split("│")[0].strip() == "deep_sigmoid.chain"
    assert rows[0].split("│")[1].strip() == "deep_residual.chain"
    assert rows[1].split("│")[0].strip() == "✗ vanishing"
    assert rows[1].split("│")[1].strip() == "✓ healthy"


@pytest.mark.parametrize("argv", [
    ["--seed", "-1"], ["--samples", "0"], ["--vanishing", "nan"], ["--vanishing", "-1"],
    ["--exploding", "-5"], ["--exploding", "inf"],
])
def test_flags_out_of_range_are_usage_errors(capsys, files, argv):
    with pytest.raises(SystemExit) as exit_:
        run(capsys, files["shallow"], *argv)
    assert exit_.value.code == 2
    assert f"argument {argv[0]}:" in capsys.readouterr().err

"""Small hostile inputs end in a clear one-line error, in bounded memory and time; a
folder run reports each file it could not read and still checks the rest.

The files are in ``files/`` and ``assemblies/``; FIFOs, deep nested-stack chains and
symbolic links are made at test time. Each CLI run is a subprocess held to 1 GB of
address space and a timeout: before the limits, the alias bomb alone reached 5.8 GB.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import tracemalloc
from pathlib import Path

import pytest

from lattice_cdk import InputError
from lattice_cdk.cfn import _read, load
from lattice_cdk.cfn._limits import MAX_DEPTH, MAX_NESTED_STACK_DEPTH

from ..helpers import run_lattice

HERE = Path(__file__).parent
FILES = HERE / "files"
ASSEMBLIES = HERE / "assemblies"
MEMORY = 1 << 30
TIMEOUT = 60


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def lattice(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess with 1 GB of address space and a timeout."""
    return run_lattice(*args, timeout=TIMEOUT, preexec_fn=_bounded)


def _one_line_error(result: subprocess.CompletedProcess[str], code: str, says: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"[{code}]" in lines[0]
    assert says in lines[0]


BAD_FILES = [
    ("alias_bomb.yaml", "malformed-template", "once its aliases are expanded"),
    ("self_alias.yaml", "malformed-template", "alias that refers to itself"),
    ("deep.json", "input-too-large", "more than 100 levels deep"),
    ("deep.yaml", "malformed-template", "more than 100 levels deep"),
    ("huge_int.json", "input-too-large", "integer of 5000 digits"),
    ("huge_int.yaml", "malformed-template", "integer of 5000 digits"),
    ("int_ids.yaml", "malformed-template", "reads as an integer"),
    ("null_ids.yaml", "malformed-template", "reads as null"),
    ("date_ids.yaml", "malformed-template", "reads as a date"),
    ("date_keys_nested.yaml", "malformed-template", "reads as a date"),
    ("bool_keys.yaml", "malformed-template", "reads as a boolean"),
    ("non_utf8.json", "malformed-template", "not UTF-8"),
    ("rain_module.yaml", "malformed-template", "'Bucket' has no 'Type' string"),
]


@pytest.mark.parametrize(("name", "code", "says"), BAD_FILES)
def test_a_hostile_file_is_one_clear_error(name: str, code: str, says: str) -> None:
    _one_line_error(lattice("check", FILES / name), code, says)


KEY_FILES = ["int_ids.yaml", "null_ids.yaml", "date_ids.yaml", "date_keys_nested.yaml"]


@pytest.mark.parametrize("name", KEY_FILES)
@pytest.mark.parametrize("verb", ["diff", "lock", "lock --verify", "report", "stack-policy"])
def test_a_key_yaml_reads_as_no_string_is_one_line_for_every_verb(
    name: str, verb: str, tmp_path: Path
) -> None:
    path = FILES / name
    lock = ("--lock-file", tmp_path / "l.json")
    args = {
        "diff": ("diff", path, path),
        "lock": ("lock", path, *lock),
        "lock --verify": ("lock", path, "--verify", *lock),
    }.get(verb, (verb, path))
    says = {n: s for n, _, s in BAD_FILES}[name]
    _one_line_error(lattice(*args), "malformed-template", says)


@pytest.mark.parametrize("verb", ["diff", "lock"])
def test_the_alias_bomb_stays_small_for_diff_and_lock(verb: str, tmp_path: Path) -> None:
    bomb = FILES / "alias_bomb.yaml"
    args = [bomb, bomb] if verb == "diff" else [bomb, "--lock-file", tmp_path / "l.json"]
    _one_line_error(lattice(verb, *args), "malformed-template", "aliases are expanded")
    assert not (tmp_path / "l.json").exists()


def test_loading_the_alias_bomb_allocates_little() -> None:
    tracemalloc.start()
    try:
        with pytest.raises(InputError):
            load(FILES / "alias_bomb.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 << 20


@pytest.mark.parametrize(
    ("name", "code", "says"),
    [
        ("dev_zero", "outside-input", "'/dev/zero' resolves to /dev/zero, outside"),
        ("etc_passwd", "outside-input", "'/etc/passwd' resolves to /etc/passwd, outside"),
        ("escape", "outside-input", "'../../x.json' resolves to"),
        ("display_name", "malformed-template", "'displayName' 5, which is not a string"),
        ("self_nested", "nested-stack-cycle", "Parent.template.json -> Parent.template.json"),
    ],
)
def test_a_hostile_assembly_is_one_clear_error(name: str, code: str, says: str) -> None:
    _one_line_error(lattice("check", ASSEMBLIES / name), code, says)


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def test_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = _fifo(tmp_path / "t.json")
    _one_line_error(lattice("check", fifo), "not-a-file", "is a FIFO (named pipe)")
    assembly = tmp_path / "cdk.out"
    assembly.mkdir()
    _fifo(assembly / "S.template.json")
    (assembly / "manifest.json").write_text(
        json.dumps(
            {
                "version": "48.0.0",
                "artifacts": {
                    "S": {
                        "type": "aws:cloudformation:stack",
                        "properties": {"templateFile": "S.template.json"},
                    }
                },
            }
        )
    )
    _one_line_error(lattice("check", assembly), "not-a-file", "is a FIFO")


def test_a_symbolic_link_to_a_device_inside_an_assembly_is_refused(tmp_path: Path) -> None:
    shutil.copytree(ASSEMBLIES / "display_name", tmp_path / "cdk.out")
    manifest = json.loads((tmp_path / "cdk.out" / "manifest.json").read_text())
    del manifest["artifacts"]["S"]["displayName"]
    (tmp_path / "cdk.out" / "manifest.json").write_text(json.dumps(manifest))
    template = tmp_path / "cdk.out" / "S.template.json"
    template.unlink()
    template.symlink_to("/dev/zero")
    _one_line_error(lattice("check", tmp_path / "cdk.out"), "outside-input", "/dev/zero")


def _chain(root: Path, levels: int) -> Path:
    """A cloud assembly whose stack nests ``levels`` stacks, each in the one above."""
    root.mkdir()
    for level in range(levels + 1):
        resources: dict[str, object] = {"Topic": {"Type": "AWS::SNS::Topic"}}
        if level < levels:
            resources["Child"] = {
                "Type": "AWS::CloudFormation::Stack",
                "Properties": {"TemplateURL": "https://example.com/t.json"},
                "Metadata": {"aws:asset:path": f"L{level + 1}.nested.template.json"},
            }
        name = "S.template.json" if level == 0 else f"L{level}.nested.template.json"
        (root / name).write_text(json.dumps({"Resources": resources}))
    (root / "manifest.json").write_text(
        json.dumps(
            {
                "version": "48.0.0",
                "artifacts": {
                    "S": {
                        "type": "aws:cloudformation:stack",
                        "properties": {"templateFile": "S.template.json"},
                    }
                },
            }
        )
    )
    return root


def test_nested_stacks_nest_at_most_the_limit(tmp_path: Path) -> None:
    deepest = load(_chain(tmp_path / "ok", MAX_NESTED_STACK_DEPTH))
    assert len(deepest.stacks) == MAX_NESTED_STACK_DEPTH + 1
    result = lattice("check", _chain(tmp_path / "deep", 22))
    _one_line_error(result, "input-too-large", f"more than {MAX_NESTED_STACK_DEPTH} levels")


# -- a folder run reads every file it can ---------------------------------------------------


def test_a_folder_run_reports_each_file_it_could_not_read_and_checks_the_rest(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "repo"
    shutil.copytree(FILES, folder / "bad")
    shutil.copytree(HERE / "foreign_manifest", folder / "web")
    (folder / "good.json").write_text(
        json.dumps({"Resources": {"Table": {"Type": "AWS::DynamoDB::Table"}}})
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / "linked").symlink_to(elsewhere, target_is_directory=True)
    _fifo(folder / "pipe.yaml")
    result = lattice("check", folder, "--environment", "prod", "--format", "json")
    assert result.returncode & 1, result.stderr  # some input was not read
    assert result.returncode & 2  # and the good template's errors are still reported
    findings = json.loads(result.stdout)["findings"]
    not_read = {
        Path(f["template_path"]).name: f["message"] for f in findings if f["rule_id"] == "LAT2904"
    }
    assert set(not_read) == {name for name, _, _ in BAD_FILES} | {"linked", "pipe.yaml"}
    assert "is a FIFO" in not_read["pipe.yaml"]
    assert "does not follow" in not_read["linked"]
    assert "[malformed-template]" in not_read["alias_bomb.yaml"]
    good = {f["logical_id"] for f in findings if f["template_path"].endswith("good.json")}
    assert "Table" in good
    text = lattice("check", folder, "--environment", "prod")
    assert "No findings" not in text.stdout


def test_a_folder_whose_every_file_was_read_is_not_marked(tmp_path: Path) -> None:
    (tmp_path / "t.json").write_text(json.dumps({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}))
    shutil.copytree(HERE / "foreign_manifest", tmp_path / "web")
    result = lattice("check", tmp_path, "--environment", "dev")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout


def test_the_problems_are_in_the_model(tmp_path: Path) -> None:
    shutil.copy(FILES / "non_utf8.json", tmp_path)
    (tmp_path / "t.json").write_text(json.dumps({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}))
    assembly = load(tmp_path)
    assert [s.name for s in assembly.stacks] == ["t"]
    (problem,) = assembly.problems
    assert problem.path == str(tmp_path / "non_utf8.json")
    assert problem.reason == "is not UTF-8 text."
    assert problem.code == "malformed-template"
    with pytest.raises(InputError) as caught:
        assembly.expect_complete()  # for a door that cannot report it as a finding
    assert caught.value.code == "malformed-template"
    assert "non_utf8.json: is not UTF-8 text." in str(caught.value)
    load(tmp_path / "t.json").expect_complete()


# -- the depth limit is exact ----------------------------------------------------------------


def _height(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_height, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_height, value), default=0)
    return 0


TRICKY = ["[", "]]", "{", '"', '\\"', "\\", '\\\\"', "x\\n", '"]}', ""]


def _nested(rng: random.Random, height: int) -> object:
    """A document exactly ``height`` levels deep, with strings full of brackets,
    quotes and escapes on the way."""
    if height == 0:
        return rng.choice(TRICKY) * rng.randint(0, 3)
    inner = _nested(rng, height - 1)
    siblings = [rng.choice(TRICKY) for _ in range(rng.randint(0, 2))]
    if rng.random() < 0.5:
        return [*siblings, inner]
    return {rng.choice(TRICKY) + str(i): s for i, s in enumerate(siblings)} | {"k": inner}


@pytest.mark.parametrize("seed", range(40))
def test_the_depth_limit_counts_levels_exactly(seed: int) -> None:
    rng = random.Random(seed)
    for height in (MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, rng.randint(1, 150)):
        document = _nested(rng, height)
        assert _height(document) == height
        data = json.dumps(document).encode()
        if height <= MAX_DEPTH:
            _read._expect_depth(data, "t.json")
        else:
            with pytest.raises(InputError, match="more than 100 levels"):
                _read._expect_depth(data, "t.json")

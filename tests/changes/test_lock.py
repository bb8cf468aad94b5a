"""The stateful lock: round-trips, what breaks it, deliberate updates, the CLI."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lattice_cdk import InputError
from lattice_cdk.cfn import Assembly, Resource, Stack, load
from lattice_cdk.changes._lock import (
    build_lock,
    lock_findings,
    read_lock,
    update_lock,
    write_lock,
)

from ..helpers import run_lattice

TEMPLATE: dict[str, Any] = {
    "Resources": {
        "DataBucketE3889A50": {
            "Type": "AWS::S3::Bucket",
            "Properties": {"BucketName": "app-data"},
            "DeletionPolicy": "Retain",
            "Metadata": {"aws:cdk:path": "App/Data/Resource"},
        },
        "Table": {
            "Type": "AWS::DynamoDB::Table",
            "Properties": {
                "TableName": "orders",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            },
        },
        "Role": {"Type": "AWS::IAM::Role", "Properties": {}},
    }
}


def _write(folder: Path, template: dict[str, Any], name: str = "App") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.template.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    return folder


def _changed(mutate: Any) -> dict[str, Any]:
    template = copy.deepcopy(TEMPLATE)
    mutate(template["Resources"])
    return template


def _rules(tmp_path: Path, template: dict[str, Any]) -> list[tuple[str, str | None]]:
    lock = build_lock(load(_write(tmp_path / "old", TEMPLATE)))
    findings = lock_findings(load(_write(tmp_path / "new", template)), lock)
    return sorted((f.rule_id, f.logical_id) for f in findings)


def test_lock_round_trips_through_its_file(tmp_path: Path) -> None:
    lock = build_lock(load(_write(tmp_path / "a", TEMPLATE)))
    write_lock(lock, tmp_path / "lattice.lock.json")
    assert read_lock(tmp_path / "lattice.lock.json") == lock
    entries = {e.logical_id: e for e in lock.entries}
    assert set(entries) == {"DataBucketE3889A50", "Table"}  # the role is stateless
    assert entries["DataBucketE3889A50"].properties == {"BucketName": "app-data"}
    assert entries["Table"].properties["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]


def test_an_unchanged_app_keeps_its_lock(tmp_path: Path) -> None:
    assert _rules(tmp_path, TEMPLATE) == []


def test_removed_renamed_replaced_and_may_replace(tmp_path: Path) -> None:
    def removed(r: dict[str, Any]) -> None:
        del r["Table"]

    def renamed(r: dict[str, Any]) -> None:
        body = r.pop("DataBucketE3889A50")
        body["Metadata"] = {"aws:cdk:path": "App/Storage/Data/Resource"}
        r["StorageDataBucket1234ABCD"] = body

    def replaced(r: dict[str, Any]) -> None:
        r["Table"]["Properties"]["TableName"] = "orders-v2"

    def maybe(r: dict[str, Any]) -> None:
        # A key schema only known at deploy time may replace the table.
        r["Table"]["Properties"]["KeySchema"] = {"Ref": "KeySchemaParameter"}

    assert _rules(tmp_path / "1", _changed(removed)) == [("LAT1701", "Table")]
    assert _rules(tmp_path / "2", _changed(renamed)) == [("LAT1702", "DataBucketE3889A50")]
    assert _rules(tmp_path / "3", _changed(replaced)) == [("LAT1703", "Table")]
    assert _rules(tmp_path / "4", _changed(maybe)) == [("LAT2704", "Table")]


def test_safe_changes_and_new_resources(tmp_path: Path) -> None:
    def safe(r: dict[str, Any]) -> None:
        r["Table"]["Properties"]["BillingMode"] = "PAY_PER_REQUEST"
        r["Role"]["Properties"]["Path"] = "/x/"
        r["Queue"] = {"Type": "AWS::SQS::Queue"}

    assert _rules(tmp_path, _changed(safe)) == [("LAT3705", "Queue")]


def test_a_missing_stack_fails_closed(tmp_path: Path) -> None:
    lock = build_lock(load(_write(tmp_path / "old", TEMPLATE)))
    other = load(_write(tmp_path / "new", {"Resources": {}}, name="Other"))
    findings = lock_findings(other, lock, report_unlocked=False)
    assert sorted(f.rule_id for f in findings) == ["LAT1701", "LAT1701"]


def test_update_records_who_why_when(tmp_path: Path) -> None:
    old = build_lock(load(_write(tmp_path / "old", TEMPLATE)))
    new_app = load(_write(tmp_path / "new", _changed(lambda r: r.pop("Table"))))
    at = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    new = update_lock(old, new_app, reason="table moved to the data stack", by="ana", at=at)
    assert [e.logical_id for e in new.entries] == ["DataBucketE3889A50"]
    (update,) = new.history
    assert (update.by, update.at, update.removed) == ("ana", "2026-11-25T12:00:00Z", ("App/Table",))
    assert lock_findings(new_app, new) == []
    with pytest.raises(InputError, match="too short"):
        update_lock(old, new_app, reason="because", by="ana")


def test_a_broken_lock_file_is_unusable_input(tmp_path: Path) -> None:
    path = tmp_path / "lattice.lock.json"
    path.write_text('{"resources": []}')
    with pytest.raises(InputError, match="not a Lattice lock file"):
        read_lock(path)


def test_cli_lock_workflow(tmp_path: Path) -> None:
    app = _write(tmp_path / "app", TEMPLATE)
    lock = tmp_path / "lattice.lock.json"
    created = run_lattice("lock", str(app), "--lock-file", str(lock))
    assert created.returncode == 0, created.stderr
    assert "2 stateful resource(s) locked" in created.stdout
    assert run_lattice("lock", str(app), "--verify", "--lock-file", str(lock)).returncode == 0

    _write(tmp_path / "app", _changed(lambda r: r.pop("Table")))
    verify = run_lattice("lock", str(app), "--verify", "--lock-file", str(lock), "--format", "json")
    assert verify.returncode == 2
    assert [f["rule_id"] for f in json.loads(verify.stdout)["findings"]] == ["LAT1701"]

    again = run_lattice("lock", str(app), "--lock-file", str(lock))
    assert again.returncode == 1
    assert "--update --reason" in again.stderr
    assert "Traceback" not in again.stderr
    no_reason = run_lattice("lock", str(app), "--update", "--lock-file", str(lock))
    assert no_reason.returncode == 1
    assert "needs --reason" in no_reason.stderr

    updated = run_lattice(
        "lock",
        str(app),
        "--update",
        "--reason",
        "drop the orders table, JIRA-1",
        "--by",
        "ci",
        "--lock-file",
        str(lock),
    )
    assert updated.returncode == 0, updated.stderr
    history = json.loads(lock.read_text())["history"]
    again = run_lattice(
        "lock", str(app), "--update", "--reason", "nothing changed at all", "--lock-file", str(lock)
    )
    assert "nothing recorded" in again.stdout
    assert json.loads(lock.read_text())["history"] == history
    assert history[-1]["by"] == "ci"
    assert history[-1]["removed"] == ["App/Table"]
    assert run_lattice("lock", str(app), "--verify", "--lock-file", str(lock)).returncode == 0


# Any text, lone surrogates and control characters included; any float, NaN included.
ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=20)
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    ANY_TEXT,
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=8,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=JSON, keys=JSON, encrypted=JSON)
def test_any_locked_values_round_trip_and_match_their_template(
    tmp_path: Path, name: Any, keys: Any, encrypted: Any
) -> None:
    props = {"TableName": name, "KeySchema": keys, "SSESpecification": encrypted}
    template = {
        "Resources": {
            "T": {"Type": "AWS::DynamoDB::Table", "Properties": props},
            "B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": name}},
        }
    }
    stack = Stack(
        name="App",
        template_path="App.json",
        template=template,
        resources={
            lid: Resource(logical_id=lid, type=body["Type"], properties=body["Properties"])
            for lid, body in template["Resources"].items()
        },
    )
    assembly = Assembly(source="App.json", stacks=(stack,))
    lock = build_lock(assembly)
    path = tmp_path / "lattice.lock.json"
    write_lock(lock, path)
    text = path.read_text(encoding="utf-8")  # valid UTF-8, whatever the values
    assert "NaN" not in text.replace('"NaN"', "")  # never a bare NaN
    assert read_lock(path) == lock
    assert lock_findings(assembly, read_lock(path)) == []


def test_the_lock_runs_inside_the_checker_engine(tmp_path: Path) -> None:
    from lattice_cdk.changes import lock_check
    from lattice_cdk.checker import check

    lock = build_lock(load(_write(tmp_path / "old", TEMPLATE)))
    new = load(_write(tmp_path / "new", _changed(lambda r: r.pop("Table"))))
    result = check(new, environment="dev", extra_checks=[lock_check(lock)])
    assert [(f.rule_id, f.logical_id) for f in result.findings if f.rule_id[4] == "7"] == [
        ("LAT1701", "Table")
    ]


# -- values from YAML, hostile ids, malformed files, stack identities ------------------


YAML_APP = """\
Resources:
  Dated:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: 2001-12-14t21:59:43.10-05:00
  Day:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: 2002-12-14
  Binary:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !!binary aGVsbG8gd29ybGQ=
  Sets:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !!set {alpha, beta, gamma, delta, epsilon, zeta, eta, theta}
  NotANumber:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: .nan
"""


def test_yaml_timestamps_sets_binary_and_nan_lock_and_verify_clean(tmp_path: Path) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "App.template.yaml").write_text(YAML_APP, encoding="utf-8")
    lock = tmp_path / "lattice.lock.json"
    assert run_lattice("lock", str(app), "--lock-file", str(lock)).returncode == 0
    text = lock.read_text(encoding="utf-8")
    props = {e["logical_id"]: e["properties"] for e in json.loads(text)["resources"]}
    assert props["Dated"] == {"BucketName": "2001-12-14T21:59:43.100000-05:00"}
    assert props["Day"] == {"BucketName": "2002-12-14"}
    assert props["Binary"] == {"BucketName": "aGVsbG8gd29ybGQ="}
    assert props["Sets"]["TableName"] == sorted(props["Sets"]["TableName"])
    assert props["NotANumber"] == {"BucketName": "NaN"}
    # A set's order is random per process: verify in several fresh processes.
    for _ in range(3):
        verify = run_lattice("lock", str(app), "--verify", "--lock-file", str(lock))
        assert verify.returncode == 0, verify.stdout + verify.stderr


def test_a_lone_surrogate_id_locks_and_reads_back(tmp_path: Path) -> None:
    hostile = {"Resources": {"B\ud800\x1b[2J": {"Type": "AWS::S3::Bucket"}}}
    app = _write(tmp_path / "app", hostile)
    lock = tmp_path / "lattice.lock.json"
    created = run_lattice("lock", str(app), "--lock-file", str(lock))
    assert created.returncode == 0, created.stderr
    raw = lock.read_bytes()
    raw.decode("utf-8")
    assert b"\x1b" not in raw
    assert b"\\ud800" in raw
    assert read_lock(lock).entries[0].logical_id == "B\ud800\x1b[2J"
    assert run_lattice("lock", str(app), "--verify", "--lock-file", str(lock)).returncode == 0


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("properties", ["not", "an", "object"], "resources[0].properties"),
        ("stack", 5, "resources[0].stack"),
        ("logical_id", None, "resources[0].logical_id"),
        ("construct_path", {"a": 1}, "resources[0].construct_path"),
    ],
)
def test_malformed_lock_fields_are_unusable_input(
    tmp_path: Path, field: str, value: Any, where: str
) -> None:
    app = _write(tmp_path / "app", TEMPLATE)
    lock = tmp_path / "lattice.lock.json"
    assert run_lattice("lock", str(app), "--lock-file", str(lock)).returncode == 0
    data = json.loads(lock.read_text(encoding="utf-8"))
    data["resources"][0][field] = value
    lock.write_text(json.dumps(data), encoding="utf-8")
    for args in (("--verify",), ("--update", "--reason", "a long enough reason")):
        result = run_lattice("lock", str(app), *args, "--lock-file", str(lock))
        assert result.returncode == 1
        assert result.stderr.startswith("lattice: error: [malformed-lock]")
        assert where in result.stderr


@pytest.mark.parametrize(
    "history",
    [5, [5], [{"at": "x", "by": "y"}], [{"at": "x", "by": "y", "reason": "z", "added": "a"}]],
)
def test_malformed_history_is_unusable_input(tmp_path: Path, history: Any) -> None:
    path = tmp_path / "lattice.lock.json"
    path.write_text(json.dumps({"lattice_lock": 1, "history": history}), encoding="utf-8")
    with pytest.raises(InputError, match=r"\[malformed-lock\].*history"):
        read_lock(path)


def _deployed(folder: Path, regions: dict[str, str]) -> Path:
    """A cloud assembly whose stacks (artifact id: template) are deployed in
    ``regions`` (artifact id: region), all named App."""
    folder.mkdir(parents=True, exist_ok=True)
    artifacts = {}
    for artifact, region in regions.items():
        (folder / f"{artifact}.template.json").write_text(json.dumps(TEMPLATE))
        artifacts[artifact] = {
            "type": "aws:cloudformation:stack",
            "environment": f"aws://123456789012/{region}",
            "properties": {"templateFile": f"{artifact}.template.json", "stackName": "App"},
        }
    (folder / "manifest.json").write_text(json.dumps({"version": "48.0.0", "artifacts": artifacts}))
    return folder


def test_stacks_of_one_name_in_two_regions_are_locked_apart(tmp_path: Path) -> None:
    app = _deployed(tmp_path / "cdk.out", {"AppEast": "us-east-1", "AppWest": "us-west-2"})
    lock = build_lock(load(app))
    assert {e.stack for e in lock.entries} == {
        "123456789012/us-east-1/App",
        "123456789012/us-west-2/App",
    }
    assert len(lock.entries) == 4
    west_only = load(_deployed(tmp_path / "west", {"AppWest": "us-west-2"}))
    removed = lock_findings(west_only, lock, report_unlocked=False)
    assert sorted((f.rule_id, f.logical_id) for f in removed) == [
        ("LAT1701", "DataBucketE3889A50"),
        ("LAT1701", "Table"),
    ]


def test_a_lock_keyed_by_stack_name_still_matches_and_is_rekeyed(tmp_path: Path) -> None:
    app = _deployed(tmp_path / "cdk.out", {"App": "eu-west-1"})
    lock = tmp_path / "lattice.lock.json"
    old = build_lock(load(_write(tmp_path / "plain", TEMPLATE)))  # keyed "App"
    assert {e.stack for e in old.entries} == {"App"}
    write_lock(old, lock)
    verify = run_lattice("lock", str(app), "--verify", "--lock-file", str(lock))
    assert verify.returncode == 0, verify.stdout
    same = run_lattice("lock", str(app), "--lock-file", str(lock))
    assert "up to date" in same.stdout
    _deployed(tmp_path / "cdk.out", {"App": "eu-west-1"})
    template = _changed(lambda r: r.pop("Table"))
    (app / "App.template.json").write_text(json.dumps(template))
    updated = run_lattice(
        "lock", str(app), "--update", "--reason", "drop the table, JIRA-7", "--lock-file", str(lock)
    )
    assert updated.returncode == 0, updated.stderr
    data = json.loads(lock.read_text(encoding="utf-8"))
    assert [e["stack"] for e in data["resources"]] == ["123456789012/eu-west-1/App"]
    assert data["history"][-1]["removed"] == ["123456789012/eu-west-1/App/Table"]


# --- The lock and lattice diff judge replacement alike ------------------------------

CORPUS = Path(__file__).parent / "corpus"
#: Diff verdicts on a resource kept under its logical id, as the lock words them.
DIFF_REPLACED = {"LAT1604", "LAT1620"}
DIFF_MAY_REPLACE = {"LAT2605", "LAT2621"}
#: Cases whose verdict rests on what only a diff sees (the old template's parameters,
#: another resource replaced in the same change): the lock holds values, not templates.
DIFF_ONLY = {"may_replace_parameter_changed", "may_replace_referenced_resource_replaced"}


def _pair(case: str, tmp_path: Path) -> tuple[Assembly, Assembly]:
    """The case's two templates as one stack (``App``) before and after."""
    sides = []
    for side in ("old", "new"):
        folder = tmp_path / side
        folder.mkdir()
        text = (CORPUS / case / f"{side}.json").read_text(encoding="utf-8")
        (folder / "App.template.json").write_text(text, encoding="utf-8")
        sides.append(load(folder))
    return sides[0], sides[1]


def _verdicts(findings: Any, replaced: set[str], maybe: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in findings:
        if f.rule_id in replaced:
            out[f.logical_id] = "replaced"
        elif f.rule_id in maybe:
            out.setdefault(f.logical_id, "may replace")
    return out


@pytest.mark.parametrize(
    "case",
    sorted(
        p.name for p in CORPUS.iterdir() if (p / "old.json").is_file() and p.name not in DIFF_ONLY
    ),
)
def test_the_lock_and_diff_agree_on_replacement(case: str, tmp_path: Path) -> None:
    from lattice_cdk.changes import diff_assemblies

    old, new = _pair(case, tmp_path)
    diff = _verdicts(diff_assemblies(old, new), DIFF_REPLACED, DIFF_MAY_REPLACE)
    lock = _verdicts(lock_findings(new, build_lock(old)), {"LAT1703"}, {"LAT2704"})
    kept = {e.logical_id for e in build_lock(old).entries} & set(new.stacks[0].resources)
    assert {k: v for k, v in lock.items() if k in kept} == {
        k: v for k, v in diff.items() if k in kept
    }


@pytest.mark.parametrize(
    ("case", "verdict"),
    [
        ("trap_snapshot_identifier_removed", "replaced"),
        ("may_replace_literal_to_parameter", "may replace"),
        ("may_replace_key_schema", "replaced"),
        ("safe_rds_routine_changes", None),
    ],
)
def test_the_lock_sees_the_replacement_traps(
    case: str, verdict: str | None, tmp_path: Path
) -> None:
    old, new = _pair(case, tmp_path)
    lock = _verdicts(lock_findings(new, build_lock(old)), {"LAT1703"}, {"LAT2704"})
    assert set(lock.values()) == ({verdict} if verdict else set())


@pytest.mark.parametrize("case", ["renamed_by_refactor", "renamed_table_and_unrelated_add"])
def test_diff_and_the_refactor_mapping_pick_the_same_renames(case: str, tmp_path: Path) -> None:
    from lattice_cdk.changes import diff_assemblies
    from lattice_cdk.changes._renames import stack_renames

    old, new = _pair(case, tmp_path)
    renamed = {f.logical_id for f in diff_assemblies(old, new) if f.rule_id == "LAT1603"}
    pairs = stack_renames(old.stacks[0], new.stacks[0])
    assert renamed
    assert renamed == {before.logical_id for before, _ in pairs}

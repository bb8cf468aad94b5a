"""Hypothesis-made templates, hostile ids and wrong-typed properties included, through
every verb: documented exit codes, no internal error, no raw control byte in text
output, a valid lock file after every run."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .verbs import assert_lock_valid, assert_sound, run_verb, runs

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"

# Ids and values with what breaks naive output: escapes, newlines, lone surrogates,
# bidi overrides, HTML and Markdown.
HOSTILE = st.sampled_from(
    [
        "\x1b[2J\x1b[3J\x1b[H",
        "\n### injected",
        "\ud800",
        "\u202e",
        "<img src=x onerror=alert(1)>",
        "</details>",
        "[x](https://e.example)",
        "@octocat",
        "`",
        "|",
        "\x00",
        "\x9b",
    ]
)
TEXT = st.one_of(
    st.text(st.characters(codec=None, categories=None), max_size=12),
    st.builds(lambda a, b, c: a + b + c, st.text(max_size=4), HOSTILE, st.text(max_size=4)),
)
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXT)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
TYPES = st.sampled_from(
    [
        "AWS::S3::Bucket",
        "AWS::DynamoDB::Table",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::KMS::Key",
        "AWS::Backup::BackupPlan",
        "AWS::Backup::BackupSelection",
        "AWS::Backup::BackupVault",
        "AWS::SQS::Queue",
        "AWS::IAM::Role",
    ]
)
BACKUP_BODY = st.fixed_dictionaries(
    {},
    optional={
        "SelectionName": VALUE,
        "IamRoleArn": VALUE,
        "ListOfTags": VALUE,
        "Resources": VALUE,
        "NotResources": VALUE,
        "Conditions": VALUE,
        "BackupPlanName": VALUE,
        "BackupPlanRule": VALUE,
    },
)
PROPERTIES = st.one_of(
    st.dictionaries(TEXT, VALUE, max_size=3),
    st.fixed_dictionaries(
        {},
        optional={
            "BucketName": VALUE,
            "TableName": VALUE,
            "KeySchema": VALUE,
            "DeletionProtectionEnabled": VALUE,
            "BackupPlan": BACKUP_BODY,
            "BackupSelection": BACKUP_BODY,
            "BackupPlanId": VALUE,
            "VersioningConfiguration": VALUE,
            "Tags": VALUE,
        },
    ),
    VALUE,
)
RESOURCE = st.fixed_dictionaries(
    {"Type": st.one_of(TYPES, TEXT)},
    optional={
        "Properties": PROPERTIES,
        "DeletionPolicy": st.one_of(st.sampled_from(["Retain", "Snapshot", "Delete"]), VALUE),
        "UpdateReplacePolicy": VALUE,
        "Metadata": st.one_of(st.fixed_dictionaries({"aws:cdk:path": TEXT}), VALUE),
    },
)
TEMPLATE = st.fixed_dictionaries(
    {"Resources": st.dictionaries(TEXT, RESOURCE, min_size=1, max_size=4)},
    optional={"Description": TEXT, "Metadata": VALUE},
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(template=TEMPLATE, old=TEMPLATE)
def test_every_verb_on_any_template(tmp_path_factory: Any, template: Any, old: Any) -> None:
    work = tmp_path_factory.mktemp("fuzz")
    folder, before = work / "in", work / "old"
    for where, body in ((folder, template), (before, old)):
        where.mkdir()
        # ensure_ascii: lone surrogates as escapes, as any JSON writer may produce them.
        (where / "App.template.json").write_text(json.dumps(body), encoding="utf-8")
    for fmt, argv in runs(folder, before, work):
        code, output, stderr = run_verb(fmt, argv, work)
        assert_sound(fmt, argv, code, output, stderr)
        assert_lock_valid(work)


def _limits() -> None:  # in the child, before it runs
    gigabyte = 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (2 * gigabyte, 2 * gigabyte))


def test_hostile_fixtures_through_every_verb_in_bounded_time_and_memory(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    env.pop("LATTICE_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-m", "tests.fuzz.verbs", str(FIXTURES), str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limits,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "ok"

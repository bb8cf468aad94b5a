"""Replacement knowledge from the vendored update behaviour, and value normalisation."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lattice_cdk.cfn import Resource, Stack, stateful_types
from lattice_cdk.changes import Comparison, compare_values, diff_stacks, replacement_info
from lattice_cdk.changes._schemas import PropertyPath


def test_schema_facts_match_the_cloudformation_documentation() -> None:
    bucket = replacement_info("AWS::S3::Bucket")
    table = replacement_info("AWS::DynamoDB::Table")
    efs = replacement_info("AWS::EFS::FileSystem")
    assert bucket is not None
    assert table is not None
    assert efs is not None
    assert ("BucketName",) in bucket.create_only
    assert ("TableName",) in table.create_only
    # The guide: KeySchema "Replacement"; AttributeDefinitions replaces only when an
    # existing definition is edited.
    assert ("KeySchema",) in table.create_only
    assert ("AttributeDefinitions",) in table.conditional
    assert "existing AttributeDefinition" in table.conditions[("AttributeDefinitions",)]
    assert ("PerformanceMode",) in efs.create_only


def test_a_parent_path_covers_its_children() -> None:
    ecr = replacement_info("AWS::ECR::Repository")
    assert ecr is not None
    assert ("EncryptionConfiguration",) in ecr.create_only
    assert ("EncryptionConfiguration", "KmsKey") not in ecr.create_only


def test_unknown_types_have_no_knowledge() -> None:
    assert replacement_info("Custom::Thing") is None


def test_numbers_and_booleans_compare_as_cloudformation_does() -> None:
    cache = replacement_info("AWS::ElastiCache::CacheCluster")
    assert cache is not None
    assert cache.compare(("Port",), 6379, "6379") is Comparison.SAME
    assert cache.compare(("Port",), 6379, "6380") is Comparison.CHANGED
    db = replacement_info("AWS::RDS::DBInstance")
    assert db is not None
    assert db.compare(("StorageEncrypted",), True, "true") is Comparison.SAME
    assert db.compare(("StorageEncrypted",), True, "false") is Comparison.CHANGED
    # propertyTransform $lowercase(DBInstanceIdentifier): case does not matter.
    assert db.compare(("DBInstanceIdentifier",), "Orders", "orders") is Comparison.SAME
    bucket = replacement_info("AWS::S3::Bucket")
    assert bucket is not None
    assert bucket.compare(("BucketName",), "Data", "data") is Comparison.CHANGED


def test_intrinsics_are_unknown_unless_identical() -> None:
    ref = {"Ref": "Name"}
    assert compare_values(ref, {"Ref": "Name"}) is Comparison.SAME
    assert compare_values(ref, {"Ref": "Other"}) is Comparison.UNKNOWN
    assert compare_values("literal", {"Fn::Sub": "literal"}) is Comparison.UNKNOWN


# -- hypothesis: any change to a create-only property of a stateful type is flagged ----


def _create_only_cases() -> list[tuple[str, PropertyPath, bool]]:
    cases = []
    for name in sorted(stateful_types()):
        info = replacement_info(name)
        if info is None:
            continue
        for path in info.create_only:
            if "*" not in path:
                cases.append((name, path, True))
        for path in info.conditional:
            if "*" not in path:
                cases.append((name, path, False))
    return cases


CASES = _create_only_cases()
SCALARS = st.one_of(st.text(min_size=1, max_size=12), st.integers(-5, 10**6), st.booleans())


def _nest(path: PropertyPath, value: Any) -> dict[str, Any]:
    out: Any = value
    for part in reversed(path):
        out = {part: out}
    return dict(out)


def _loose(value: Any) -> str:
    text = str(value).strip().lower()
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() else repr(number)


def _stack(name: str, resource_type: str, props: dict[str, Any]) -> Stack:
    resource = Resource(logical_id="Subject", type=resource_type, properties=props)
    template = {"Resources": {"Subject": {"Type": resource_type, "Properties": props}}}
    return Stack(
        name=name, template_path=f"{name}.json", template=template, resources={"Subject": resource}
    )


def test_the_hypothesis_space_is_wide() -> None:
    assert len({t for t, _, _ in CASES}) >= 25
    assert sum(1 for *_, create_only in CASES if create_only) >= 150


PRESENCE = st.sampled_from(["both", "added", "removed"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(CASES), old=SCALARS, new=SCALARS, presence=PRESENCE)
def test_any_change_to_a_create_only_property_is_flagged(
    case: tuple[str, PropertyPath, bool], old: Any, new: Any, presence: str
) -> None:
    resource_type, path, create_only = case
    info = replacement_info(resource_type)
    assert info is not None
    if presence == "added":
        old = None
    elif presence == "removed":
        new = None
    before = _nest(path, old) if old is not None else {}
    after = _nest(path, new) if new is not None else {}
    findings = diff_stacks(_stack("s", resource_type, before), _stack("s", resource_type, after))
    rules = [f.rule_id for f in findings if f.rule_id in ("LAT1604", "LAT2605")]
    if info.compare(path, old, new) is Comparison.SAME:
        # Only the same value written another way ("20"/20, case for a lowercased id).
        assert presence == "both"
        assert _loose(old) == _loose(new)
        assert rules == []
    else:
        expected = "LAT1604" if create_only else "LAT2605"
        if path == ("SnapshotIdentifier",) and resource_type == "AWS::RDS::DBCluster":
            expected = "LAT1620"  # the snapshot-restore trap has its own rule
            rules = [f.rule_id for f in findings if f.rule_id == expected]
        assert rules == [expected]
        assert findings[0].logical_id == "Subject"
        assert "/".join(path) in findings[0].message


@settings(max_examples=100, deadline=None)
@given(case=st.sampled_from([c for c in CASES if c[2]]), value=st.integers(0, 10**6))
def test_the_same_number_in_another_spelling_is_not_a_change(
    case: tuple[str, PropertyPath, bool], value: int
) -> None:
    resource_type, path, _ = case
    findings = diff_stacks(
        _stack("s", resource_type, _nest(path, value)),
        _stack("s", resource_type, _nest(path, str(value))),
    )
    assert [f for f in findings if f.rule_id in ("LAT1604", "LAT2605")] == []


def test_a_yaml_date_equals_its_iso_text() -> None:
    import datetime as dt

    assert compare_values(dt.date(2024, 1, 31), "2024-01-31") is Comparison.SAME

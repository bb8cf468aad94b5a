"""Resource records built lazily are the records Resource(...) builds."""

from __future__ import annotations

from lattice_cdk.cfn import Resource, _model


def test_lazy_records_equal_constructed_ones() -> None:
    raw = {
        "Full": {
            "Type": "AWS::S3::Bucket",
            "Properties": {"BucketName": "b"},
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": {"Fn::If": ["C", "Retain", "Delete"]},
            "Condition": "IsProd",
            "Metadata": {"aws:cdk:path": "S/B/Resource"},
        },
        "Bare": {"Type": "AWS::SNS::Topic"},
    }
    lazy = _model.LazyResources(raw, {"Bare": "S/Topic/Resource"})
    assert lazy["Full"] == Resource(
        logical_id="Full",
        type="AWS::S3::Bucket",
        properties={"BucketName": "b"},
        deletion_policy="Retain",
        update_replace_policy={"Fn::If": ["C", "Retain", "Delete"]},
        condition="IsProd",
        metadata={"aws:cdk:path": "S/B/Resource"},
    )
    assert lazy["Bare"] == Resource(
        logical_id="Bare", type="AWS::SNS::Topic", properties={}, cdk_path="S/Topic/Resource"
    )
    assert lazy["Bare"] is lazy["Bare"]
    assert lazy["Bare"].construct_path == "S/Topic/Resource"


def test_lazy_records_set_every_field() -> None:
    setters = {name.removeprefix("_set_") for name in vars(_model) if name.startswith("_set_")}
    assert setters == set(Resource._fields)

"""Reading every deployed stack reports its progress (botocore's Stubber, real API shape)."""

from __future__ import annotations

import json

import boto3
from botocore.stub import Stubber

from lattice_cdk.changes._deployed import deployed_assembly


def test_each_deployed_stack_read_is_reported_and_a_missing_one_is_named() -> None:
    # GIVEN a CloudFormation client that holds two of three stacks
    client = boto3.client(
        "cloudformation",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    template = {"Resources": {"B": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"}}}
    with Stubber(client) as stub:
        for name in ("Data", "Api"):
            stub.add_response(
                "get_template",
                {"TemplateBody": json.dumps(template), "StagesAvailable": ["Original"]},
                {"StackName": name, "TemplateStage": "Original"},
            )
        stub.add_client_error(
            "get_template",
            service_error_code="ValidationError",
            service_message="Stack with id Gone does not exist",
            expected_params={"StackName": "Gone", "TemplateStage": "Original"},
        )
        calls: list[tuple[int, int]] = []
        # WHEN every stack is read with a progress callback
        assembly, missing = deployed_assembly(
            client, ["Data", "Api", "Gone"], progress=lambda d, t: calls.append((d, t))
        )
    # THEN each read was announced, in order, against the total
    assert calls == [(0, 3), (1, 3), (2, 3)]
    assert [s.name for s in assembly.stacks] == ["Data", "Api"]
    assert missing == ["Gone"]

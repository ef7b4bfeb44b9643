"""What AWS refuses, refused the same way: codes, statuses and messages as
AWS writes them, and ``world.why`` says which rule or statement decided."""

import botocore.exceptions
import pytest

VIEWER = "arn:aws:iam::222222222222:role/s3-viewer"


def test_trust_policy_that_does_not_name_the_caller(xacct):
    world = xacct.serve("../../scenarios/access-denied.yaml")
    sts = world.client("sts", "arn:aws:iam::111111111111:user/outsider")
    with pytest.raises(botocore.exceptions.ClientError, match="AccessDenied") as raised:
        sts.assume_role(RoleArn=VIEWER, RoleSessionName="test")
    response = raised.value.response
    # STS API reference, AssumeRole errors; the message as AWS writes it.
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert response["Error"]["Message"] == (
        "User: arn:aws:iam::111111111111:user/outsider is not authorized to perform: "
        "sts:AssumeRole on resource: arn:aws:iam::222222222222:role/s3-viewer"
    )
    why = world.why(response["ResponseMetadata"]["RequestId"])
    assert why["Operation"] == "sts:AssumeRole"
    assert why["Caller"] == "arn:aws:iam::111111111111:user/outsider"
    assert why["Outcome"] == "AccessDenied"
    assert "trust policy" in why["Summary"]


def test_identity_policy_without_assume_role(xacct):
    world = xacct.serve("../../scenarios/access-denied.yaml")
    sts = world.client("sts", "arn:aws:iam::111111111111:user/reader")
    with pytest.raises(botocore.exceptions.ClientError, match="AccessDenied") as raised:
        sts.assume_role(RoleArn=VIEWER, RoleSessionName="test")
    why = world.why(raised.value.response["ResponseMetadata"]["RequestId"])
    assert "identity" in why["Summary"]


def test_the_external_id_a_vendor_role_requires(xacct):
    world = xacct.serve("../../scenarios/external-id.yaml")
    sts = world.client("sts", "arn:aws:iam::111111111111:user/integration")
    role = "arn:aws:iam::222222222222:role/vendor-read"
    with pytest.raises(botocore.exceptions.ClientError, match="AccessDenied"):
        sts.assume_role(RoleArn=role, RoleSessionName="test")
    with pytest.raises(botocore.exceptions.ClientError, match="AccessDenied"):
        sts.assume_role(RoleArn=role, RoleSessionName="test", ExternalId="customer-0000")
    ok = sts.assume_role(RoleArn=role, RoleSessionName="test", ExternalId="customer-7f3a")
    assert ok["AssumedRoleUser"]["Arn"] == "arn:aws:sts::222222222222:assumed-role/vendor-read/test"


def test_objects_across_accounts_need_both_sides(xacct):
    world = xacct.serve("../../scenarios/data-partner-read.yaml")
    analyst = world.client("s3", "arn:aws:iam::111111111111:user/analyst")
    body = analyst.get_object(Bucket="shared-reports", Key="reports/2026-01.csv")["Body"].read()
    assert body == b"region,total\neu,42\n"
    # S3 API Reference, GetObject: 404 NoSuchKey to a caller with s3:ListBucket.
    with pytest.raises(analyst.exceptions.NoSuchKey):
        analyst.get_object(Bucket="shared-reports", Key="reports/2026-02.csv")
    intern = world.client("s3", "arn:aws:iam::111111111111:user/intern")
    with pytest.raises(botocore.exceptions.ClientError, match="AccessDenied") as raised:
        intern.get_object(Bucket="shared-reports", Key="reports/2026-01.csv")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_a_bad_signature_is_refused(xacct):
    world = xacct.serve("../../scenarios/success.yaml")
    env = world.env("arn:aws:iam::111111111111:user/homes")
    import boto3

    sts = boto3.client(
        "sts",
        endpoint_url=world.endpoint,
        region_name=world.region,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key="x" * 40,
    )
    # STS error codes: a wrong secret gives SignatureDoesNotMatch (403).
    with pytest.raises(botocore.exceptions.ClientError, match="SignatureDoesNotMatch"):
        sts.get_caller_identity()

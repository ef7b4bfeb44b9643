"""The classic cross-account flow, as a moto user would test it: with
``@mock_aws`` replaced by the ``xacct`` fixture, and trust and identity
policies actually enforced.

Run from the repository root after ``pip install xacct[pytest]``:
``pytest tests/python``. Scenario paths are relative to this file.
"""

import os
import subprocess
import sys

import boto3
import botocore.exceptions
import pytest

HOMES = "arn:aws:iam::111111111111:user/homes"
VIEWER = "arn:aws:iam::222222222222:role/s3-viewer"


def bucket_names(s3):
    return [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]


def test_homes_reads_both_accounts(xacct):
    world = xacct.serve("../../scenarios/success.yaml")
    homes = world.session(HOMES)
    assert bucket_names(homes.client("s3")) == ["account-a-bucket"]

    creds = homes.client("sts").assume_role(RoleArn=VIEWER, RoleSessionName="test")["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    b = boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=world.region,
    )
    who = b.client("sts", endpoint_url=world.endpoint).get_caller_identity()
    # STS API reference, AssumeRole: the session's ARN is assumed-role/ROLE/SESSION.
    assert who["Arn"] == "arn:aws:sts::222222222222:assumed-role/s3-viewer/test"
    assert bucket_names(b.client("s3", endpoint_url=world.endpoint)) == ["account-b-bucket"]


def test_a_role_session_straight_from_the_world(xacct):
    world = xacct.serve("../../scenarios/success.yaml")
    viewer = world.session(VIEWER)
    arn = viewer.client("sts").get_caller_identity()["Arn"]
    assert arn.startswith("arn:aws:sts::222222222222:assumed-role/s3-viewer/")
    assert bucket_names(viewer.client("s3")) == ["account-b-bucket"]


def test_any_region_the_suite_signs_for(xacct):
    # Test suites sign for their own default region; the world is in
    # ap-northeast-1, and its buckets keep that region.
    world = xacct.serve("../../scenarios/success.yaml")
    s3 = world.session(HOMES, region="eu-west-1").client("s3")
    assert bucket_names(s3) == ["account-a-bucket"]
    # S3 API Reference, HeadBucket: x-amz-bucket-region names the bucket's region.
    head = s3.head_bucket(Bucket="account-a-bucket")
    assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"] == "ap-northeast-1"


def test_a_subprocess_gets_the_principal_in_its_environment(xacct):
    world = xacct.serve("../../scenarios/success.yaml")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(world.env(HOMES))
    # boto3 reads AWS_ENDPOINT_URL (boto3 1.28+), as the AWS CLI does.
    script = "import boto3; print(boto3.client('sts').get_caller_identity()['Arn'])"
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == HOMES


@pytest.mark.xacct_scenario("../../scenarios/success.yaml")
def test_the_marker_serves_the_scenario(xacct_world):
    assert xacct_world.region == "ap-northeast-1"
    assert bucket_names(xacct_world.client("s3", HOMES)) == ["account-a-bucket"]


def test_a_service_xacct_does_not_speak_gets_a_clear_error(xacct):
    world = xacct.serve("../../scenarios/success.yaml")
    ec2 = world.client("ec2", HOMES)
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        ec2.describe_instances()
    error = raised.value.response["Error"]
    assert error["Code"] == "NotImplemented"
    assert "ec2" in error["Message"].lower()
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501


def test_xacct_sim_checks_every_expectation(xacct):
    done = xacct.run("sim", str(xacct.path("../../scenarios/success.yaml")))
    assert "1 passed" in done.stdout or "passed" in done.stdout


def test_a_users_keys_are_asked_once_and_a_roles_session_every_time(xacct, monkeypatch):
    import xacct._world as served

    world = xacct.serve("../../scenarios/success.yaml")
    asked = []
    run = served._run

    def counting(args):
        asked.append(args[-1])
        return run(args)

    monkeypatch.setattr(served, "_run", counting)
    first = world.env(HOMES)
    first["AWS_ACCESS_KEY_ID"] = "changed by the caller"
    second = world.env(HOMES)
    assert second["AWS_ACCESS_KEY_ID"].startswith("AKIA"), "a caller's change is not kept"
    assert bucket_names(world.client("s3", HOMES)) == ["account-a-bucket"]
    assert asked == [HOMES]
    # A role's session is assumed again on every call: a fresh session each time.
    one = world.env(VIEWER)["AWS_SESSION_TOKEN"]
    two = world.env(VIEWER)["AWS_SESSION_TOKEN"]
    assert one != two
    assert asked == [HOMES, VIEWER, VIEWER]


def test_a_world_served_with_its_own_key_seed_hands_out_keys_that_sign(xacct):
    # The long-term secrets derive from the key seed, so env() must ask with
    # the same `xacct serve` flags the world was started with.
    world = xacct.serve("../../scenarios/success.yaml", args=["--key-seed", "not the default"])
    assert bucket_names(world.client("s3", HOMES)) == ["account-a-bucket"]
    viewer = world.client("sts", VIEWER).get_caller_identity()["Arn"]
    assert viewer.startswith("arn:aws:sts::222222222222:assumed-role/s3-viewer/")

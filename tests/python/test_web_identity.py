"""Web identity: a CI job's OIDC token for a role, as GitHub Actions gets it."""

import botocore.exceptions
import pytest

DEPLOYER = "arn:aws:iam::222222222222:role/deployer"
GITHUB = "token.actions.githubusercontent.com"


@pytest.mark.xacct_scenario("../../scenarios/github-actions-deploy.yaml")
def test_a_push_to_main_deploys(xacct_world):
    token = xacct_world.token(GITHUB, {"sub": "repo:acme/app:ref:refs/heads/main"})
    assert token.count(".") == 2 and not token.endswith("\n")
    sts = xacct_world.client("sts")  # unsigned, as AssumeRoleWithWebIdentity is
    answer = sts.assume_role_with_web_identity(
        RoleArn=DEPLOYER, RoleSessionName="gha-deploy", WebIdentityToken=token
    )
    # STS API reference, AssumeRoleWithWebIdentity: the session is a role session.
    assert answer["AssumedRoleUser"]["Arn"] == "arn:aws:sts::222222222222:assumed-role/deployer/gha-deploy"
    assert answer["Provider"].endswith(GITHUB)


@pytest.mark.xacct_scenario("../../scenarios/github-actions-deploy.yaml")
def test_a_pull_request_is_refused(xacct_world):
    token = xacct_world.token(GITHUB, {"sub": "repo:acme/app:pull_request"})
    sts = xacct_world.client("sts")
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        sts.assume_role_with_web_identity(RoleArn=DEPLOYER, RoleSessionName="gha-pr", WebIdentityToken=token)
    # Observed AWS answer (aws-sdk-java-v2 issue 1470): 403, no caller in the text.
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    assert raised.value.response["Error"]["Message"] == "Not authorized to perform sts:AssumeRoleWithWebIdentity"
    why = xacct_world.why(raised.value.response["ResponseMetadata"]["RequestId"])
    assert "sub" in " ".join([why["Summary"] or ""] + why["Details"])


@pytest.mark.xacct_scenario("../../scenarios/github-actions-deploy.yaml")
def test_a_token_the_issuer_did_not_sign(xacct_world):
    token = xacct_world.token(GITHUB, {"sub": "repo:acme/app:ref:refs/heads/main"}, forged=True)
    sts = xacct_world.client("sts")
    with pytest.raises(botocore.exceptions.ClientError, match="InvalidIdentityToken"):
        sts.assume_role_with_web_identity(RoleArn=DEPLOYER, RoleSessionName="forged", WebIdentityToken=token)

"""Organizations: an SCP that denies AssumeRole, and the management account
it does not bind."""

import botocore.exceptions
import pytest

DEPLOY = "arn:aws:iam::333333333333:role/deploy"

pytestmark = pytest.mark.xacct_scenario("../../scenarios/org-scp-deny-assume.yaml")


def test_the_scp_denies_a_sandbox_developer(xacct_world):
    sts = xacct_world.client("sts", "arn:aws:iam::222222222222:user/dev")
    with pytest.raises(botocore.exceptions.ClientError, match="AccessDenied") as raised:
        sts.assume_role(RoleArn=DEPLOY, RoleSessionName="test")
    why = xacct_world.why(raised.value.response["ResponseMetadata"]["RequestId"])
    assert "SCP" in why["Summary"] or "service control" in why["Summary"].lower()


def test_production_ci_and_the_management_account_get_in(xacct_world):
    for user in ("arn:aws:iam::444444444444:user/ci", "arn:aws:iam::111111111111:user/admin"):
        sts = xacct_world.client("sts", user)
        arn = sts.assume_role(RoleArn=DEPLOY, RoleSessionName="test")["AssumedRoleUser"]["Arn"]
        assert arn == "arn:aws:sts::333333333333:assumed-role/deploy/test"


def test_the_management_account_reads_the_organization(xacct_world):
    # admin's policies allow no organizations:* action, so AWS refuses it.
    admin = xacct_world.client("organizations", "arn:aws:iam::111111111111:user/admin")
    with pytest.raises(admin.exceptions.AccessDeniedException):
        admin.list_accounts()
    org = xacct_world.client("organizations", "arn:aws:iam::111111111111:root")
    accounts = sorted(a["Id"] for a in org.list_accounts()["Accounts"])
    assert accounts == ["111111111111", "222222222222", "333333333333", "444444444444"]
    assert org.describe_organization()["Organization"]["MasterAccountId"] == "111111111111"

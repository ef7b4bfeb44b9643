"""What the plugin shows a user: the server's log on a failing test, and a
clear error when ``xacct_world`` has no scenario to serve."""

from pathlib import Path

SUCCESS = Path(__file__).resolve().parents[2] / "scenarios" / "success.yaml"


def test_a_failing_test_shows_the_request_log(pytester):
    pytester.makepyfile(
        f"""
        import botocore.exceptions, pytest

        @pytest.mark.xacct_scenario({str(SUCCESS)!r})
        def test_refused(xacct_world):
            sts = xacct_world.client("sts", "arn:aws:iam::111111111111:user/homes")
            sts.assume_role(RoleArn="arn:aws:iam::222222222222:role/missing", RoleSessionName="test")
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*xacct serve*success.yaml*", "*sts:AssumeRole*AccessDenied*"])


def test_xacct_world_without_a_scenario_says_what_to_do(pytester):
    pytester.makepyfile("def test_x(xacct_world):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*xacct_world needs a scenario*xacct_scenario*"])


def test_a_missing_scenario_file_is_named(pytester):
    pytester.makepyfile("def test_x(xacct):\n    xacct.serve('nowhere.yaml')\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*scenario 'nowhere.yaml' not found*"])


def test_the_ini_option_names_a_default_scenario(pytester):
    pytester.makeini(f"[pytest]\nxacct_scenario = {SUCCESS}\n")
    pytester.makepyfile("def test_x(xacct_world):\n    assert xacct_world.region == 'ap-northeast-1'\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)

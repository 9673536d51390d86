"""Done-when, end to end from the CLI: two AWS accounts (one unreachable) on moto, a GKE
project and an AKS subscription on the providers' local fakes. The second run reports
exactly what was fixed and introduced; it runs through the container recipe's own command
line; a sharded run over PostgreSQL gives the same findings as the single run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cloudposture.nightly.history_sql import SqlHistoryStore
from cloudposture.store import Store
from tests.nightly.moto_estate import Estate, _as_account, _client, moto_organization
from tests.nightly.test_deploy import dockerfile_command
from tests.providers.azure.aks_fake import TOKEN as ARM_TOKEN
from tests.providers.azure.aks_fake import FakeArm, Running
from tests.providers.azure.aks_world import SUB, serve_world
from tests.providers.gcp.fake_api import FakeGoogleApi
from tests.providers.gcp.fixtures import PROD, issue_world

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def estate() -> Iterator[tuple[Estate, str, str]]:
    with moto_organization({"web": True, "db": False}, members=1) as aws:
        arm = FakeArm()
        with FakeGoogleApi(issue_world()).running() as gcp, Running(arm):
            serve_world(arm)
            yield aws, gcp.base_url, arm.url


def _config(tmp: Path, aws: Estate, gcp: str, arm: str, store: str) -> Path:
    good, bad = aws.members[0], aws.unreachable
    path = tmp / "estate.yaml"
    path.write_text(
        f"""\
name: e2e
targets:
  aws:
    - role_arn: arn:aws:iam::{good}:role/cloudposture-audit
      regions: [eu-west-1]
      endpoint_url: {aws.endpoint}
    - role_arn: arn:aws:iam::{bad}:role/cloudposture-audit
      regions: [eu-west-1]
      endpoint_url: {aws.endpoint}
  gcp:
    - projects: [{PROD}]
      endpoint: {gcp}
  azure:
    - subscriptions: [{SUB}]
      arm_endpoint: {arm}
store: {store}
fail_on: none
""",
        encoding="utf-8",
    )
    return path


def _env(aws: Estate, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        **aws.env,
        "GOOGLE_OAUTH_ACCESS_TOKEN": "ya29.e2e",
        "CLOUDPOSTURE_AZURE_TOKEN": ARM_TOKEN,
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, capture_output=True, text=True, env=env, timeout=180, check=False, cwd=ROOT
    )


def _show(run_id: str, store: str, env: dict[str, str]) -> dict[str, Any]:
    done = _cli([str(BIN / "cloudposture"), "history", "show", run_id, "--format", "json",
                 "--store", store], env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _latest(store: str) -> dict[str, Any]:
    with Store.open(store) as opened:
        history = SqlHistoryStore(opened)
        stored = history.load_run(history.list_runs(None, 1)[0].id)
    assert stored is not None
    return json.loads(stored.model_dump_json())  # type: ignore[no-any-return]


def _fails(findings: list[dict[str, Any]], cluster: str) -> set[str]:
    return {
        f["uid"] for f in findings if f["resource"]["cluster"] == cluster and f["status"] == "FAIL"
    }


def test_two_nights_from_the_cli_then_sharded_over_postgresql(
    estate: tuple[Estate, str, str], tmp_path: Path, fresh_pg_url: str
) -> None:
    aws, gcp, arm = estate
    store = f"sqlite:///{tmp_path / 'state.db'}"
    config = _config(tmp_path, aws, gcp, arm, store)
    env = _env(aws)

    first = _cli([sys.executable, "-m", "cloudposture", "run", "--config", str(config)], env)
    assert first.returncode == 3, first.stderr  # one AWS account is unreachable
    assert "targets 3 ok, 1 failed" in first.stdout, first.stdout
    unreachable = f"arn:aws:iam::{aws.unreachable}:role/cloudposture-audit"
    assert f"failed: aws {unreachable}/*: setup failed" in first.stdout
    assert "cannot assume role" in first.stdout
    assert "AccessDenied" in first.stdout
    assert "Traceback" not in first.stderr
    run1 = _latest(store)
    providers = {f["resource"]["provider"] for f in run1["result"]["findings"]}
    assert providers == {"aws", "gcp", "azure"}
    web_fails = _fails(run1["result"]["findings"], "web")
    assert web_fails  # the public cluster fails (at least) CP-001 / CP-002

    # between the nights: "web" is deleted (fixed), "api" (public) is created (introduced)
    member = aws.members[0]
    eks = _client(aws.endpoint, "eks", **_as_account(aws.endpoint, member))
    eks.delete_cluster(name="web")
    subnets = _client(aws.endpoint, "ec2", **_as_account(aws.endpoint, member)).describe_subnets()
    eks.create_cluster(
        name="api",
        roleArn=f"arn:aws:iam::{member}:role/cloudposture-audit",
        resourcesVpcConfig={
            "subnetIds": [subnets["Subnets"][0]["SubnetId"]],
            "endpointPublicAccess": True,
            "publicAccessCidrs": ["0.0.0.0/0"],
        },
    )

    # the second night runs the container recipe's exact ENTRYPOINT + CMD
    command = dockerfile_command()
    second = _cli([str(BIN / command[0]), *command[1:]], _env(aws, CLOUDPOSTURE_CONFIG=str(config)))
    assert second.returncode == 3, second.stderr
    run2 = _latest(store)
    assert run2["record"]["id"] != run1["record"]["id"]
    changes = {k: {f["uid"] for f in v} for k, v in run2["changes"].items()}
    api_fails = _fails(run2["result"]["findings"], "api")
    assert changes["new"] == api_fails
    assert api_fails
    assert changes["resolved"] == web_fails
    assert "regressed" not in changes
    assert f"{len(api_fails)} new, 0 regressed" in second.stdout
    assert f"{len(web_fails)} resolved" in second.stdout

    # the same estate, sharded: four shard processes on PostgreSQL, then the finalizer
    (tmp_path / "sharded").mkdir()
    sharded_config = _config(
        tmp_path / "sharded", aws, gcp, arm, fresh_pg_url.replace("+psycopg", "")
    )
    shards = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cloudposture",
                "run",
                "--config",
                str(sharded_config),
                "--shard",
                f"{i}/4",
                "--run-id",
                "e2e-sharded",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for i in range(4)
    ]
    for proc in shards:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    final = _cli([sys.executable, "-m", "cloudposture", "run", "--config", str(sharded_config),
                  "--finalize", "e2e-sharded"], env)  # fmt: skip
    assert final.returncode == 3, final.stderr
    sharded = _show("e2e-sharded", fresh_pg_url, env)
    assert sorted((f["uid"], f["status"]) for f in sharded["result"]["findings"]) == sorted(
        (f["uid"], f["status"]) for f in run2["result"]["findings"]
    )

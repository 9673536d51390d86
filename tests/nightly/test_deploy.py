"""The shipped schedules: Kubernetes manifests valid against the schema, a Dockerfile that
runs as non-root with cloudposture as entrypoint, systemd and CI examples that run the same
command line, and a docs page per recipe."""

from __future__ import annotations

import json
import re
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from cloudposture.config import parse_config

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S_VERSION = "1.33.0"
MANIFESTS = sorted((DEPLOY / "kubernetes").glob("*.yaml"))


def documents(path: Path) -> list[dict]:  # type: ignore[type-arg]
    text = path.read_text(encoding="utf-8").replace("${RUN_ID}", "nightly-2030-01-01")
    return [d for d in yaml.safe_load_all(text) if d]


def test_there_are_the_three_manifests() -> None:
    assert [p.name for p in MANIFESTS] == [
        "cronjob.yaml",
        "indexed-job.yaml",
        "serviceaccount.yaml",
    ]


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifests_validate_against_the_kubernetes_schema(path: Path) -> None:
    for doc in documents(path):
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def _pod_specs() -> list[dict]:  # type: ignore[type-arg]
    specs = []
    for path in MANIFESTS:
        for doc in documents(path):
            if doc["kind"] == "CronJob":
                specs.append(doc["spec"]["jobTemplate"]["spec"]["template"])
            elif doc["kind"] == "Job":
                specs.append(doc["spec"]["template"])
    return specs


def test_every_pod_is_non_root_read_only_and_uses_the_service_account() -> None:
    pods = _pod_specs()
    assert len(pods) == 3
    for pod in pods:
        spec = pod["spec"]
        assert spec["serviceAccountName"] == "cloudposture"
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert pod["metadata"]["labels"]["azure.workload.identity/use"] == "true"
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True
            assert security["allowPrivilegeEscalation"] is False
            assert "/tmp" in [m["mountPath"] for m in container["volumeMounts"]]
            assert container["args"][0] == "run"


def test_indexed_job_shards_and_the_finalizer_share_one_run_id() -> None:
    shards, finalize = documents(DEPLOY / "kubernetes" / "indexed-job.yaml")
    assert shards["spec"]["completionMode"] == "Indexed"
    count = shards["spec"]["completions"]
    args = shards["spec"]["template"]["spec"]["containers"][0]["args"]
    assert f"--shard=$(JOB_COMPLETION_INDEX)/{count}" in args
    assert "--run-id=nightly-2030-01-01" in args
    final_args = finalize["spec"]["template"]["spec"]["containers"][0]["args"]
    assert "--finalize=nightly-2030-01-01" in final_args
    assert any(a.startswith("--wait=") for a in final_args)


def test_service_account_documents_the_three_workload_identities() -> None:
    account = documents(DEPLOY / "kubernetes" / "serviceaccount.yaml")[0]
    assert set(account["metadata"]["annotations"]) == {
        "eks.amazonaws.com/role-arn",
        "iam.gke.io/gcp-service-account",
        "azure.workload.identity/client-id",
    }


def test_shipped_configs_are_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    # the CronJob gets the token from its Secret; validating builds the sink, which reads it
    monkeypatch.setenv("SPLUNK_HEC_TOKEN", "from-the-secret")
    config_map = documents(DEPLOY / "kubernetes" / "serviceaccount.yaml")[1]
    env = {"CLOUDPOSTURE_STORE": "postgresql://u@db/x"}
    assert parse_config(config_map["data"]["config.yaml"], "configmap", env).fail_on == "high"
    ci = (DEPLOY / "ci" / "estate.yaml").read_text(encoding="utf-8")
    assert parse_config(ci, "estate.yaml", env).targets.aws[0].organization is not None


def _instructions(text: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n\s*", " ", text)
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line.strip() else "")
        for line in joined.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def dockerfile_command() -> list[str]:
    """ENTRYPOINT + CMD of the final stage, as the container runtime would join them."""
    steps = _instructions((DEPLOY / "Dockerfile").read_text(encoding="utf-8"))
    entry = json.loads(next(v for k, v in reversed(steps) if k == "ENTRYPOINT"))
    cmd = json.loads(next(v for k, v in reversed(steps) if k == "CMD"))
    return [*entry, *cmd]


def test_dockerfile_is_slim_non_root_and_secret_free() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    steps = _instructions(text)
    froms = [v for k, v in steps if k == "FROM"]
    assert all(f.startswith("python:3.11-slim") for f in froms)
    final = steps[max(i for i, (k, _) in enumerate(steps) if k == "FROM") :]
    users = [v for k, v in final if k == "USER"]
    assert users
    assert users[-1].split(":")[0] not in ("root", "0")
    assert [k for k, _ in final].index("USER") > max(
        i for i, (k, _) in enumerate(final) if k == "RUN"
    )
    assert dockerfile_command() == ["cloudposture", "run"]
    env = " ".join(v for k, v in steps if k in ("ENV", "ARG"))
    assert "CLOUDPOSTURE_CONFIG=/etc/cloudposture/config.yaml" in env
    assert not re.search(r"(?i)(secret|password|token|access_key)\s*=", env)
    assert "ADD " not in text  # COPY only: no remote fetches at build time


def test_systemd_and_ci_run_the_same_command() -> None:
    service = (DEPLOY / "systemd" / "cloudposture-nightly.service").read_text(encoding="utf-8")
    assert re.search(r"^ExecStart=\S*cloudposture run --config \S+$", service, re.M)
    assert "SuccessExitStatus=1 3" in service
    timer = (DEPLOY / "systemd" / "cloudposture-nightly.timer").read_text(encoding="utf-8")
    assert "OnCalendar=" in timer
    assert "Persistent=true" in timer
    workflow = yaml.safe_load((DEPLOY / "ci" / "nightly.yml").read_text(encoding="utf-8"))
    assert workflow[True]["schedule"][0]["cron"] == "30 2 * * *"  # YAML 1.1: 'on' is True
    steps = workflow["jobs"]["scan"]["steps"]
    assert any("cloudposture run --config" in str(s.get("run", "")) for s in steps)


def test_docs_have_a_page_per_schedule_recipe() -> None:
    pages = {p.name for p in (ROOT / "docs" / "nightly").glob("*.md")}
    assert {"kubernetes.md", "sharding.md", "container.md", "systemd.md", "ci.md"} <= pages
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "cloudposture run --config" in readme

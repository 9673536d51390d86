"""Logging (completes the table): audit and control-plane logs leave the cluster.

Logs kept only inside the cluster can be erased by whoever compromises it; in the provider's
log service they survive the cluster and its attacker, which is what makes them evidence.
"""

from __future__ import annotations

from cloudposture.model import ClusterPosture, Severity
from cloudposture.rules import references as ref
from cloudposture.rules.base import (
    Outcome,
    Rule,
    RuleMeta,
    RuleSettings,
    failed,
    passed,
    unknown,
)
from cloudposture.rules.guidance import guide
from cloudposture.rules.judge import fact, judge_flag, with_evidence

CONTROL_PLANE_COMPONENTS = ("apiserver", "controller-manager", "scheduler")


def check_audit_logs(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when API server audit logs are not sent to the provider's log service."""
    logs = posture.logging
    destination = logs.destination or "the provider's log service"
    return judge_flag(
        posture,
        fact(logs, "logging", "audit_enabled"),
        bad=False,
        fail="API server audit logs are not sent to the provider's log service",
        ok=f"API server audit logs go to {destination}",
        extra=(fact(logs, "logging", "destination"),),
    )


def check_component_logs(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when any of the apiserver, controller-manager and scheduler logs is not sent to
    the provider's log service (lists the missing ones)."""
    logs = posture.logging
    evidence = (fact(logs, "logging", "components"), fact(logs, "logging", "destination"))
    if logs.components is None:
        return with_evidence(unknown(posture, "logging.components"), *evidence)
    missing = [c for c in CONTROL_PLANE_COMPONENTS if c not in logs.components]
    if missing:
        return failed(f"control-plane logs not shipped for: {', '.join(missing)}", *evidence)
    return passed("apiserver, controller-manager and scheduler logs are shipped", *evidence)


EKS_LOGS_DOCS = "https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html"
EKS_LOGS_CONSOLE = (
    "EKS > Clusters > <cluster> > Observability > Control plane logging > Manage logging"
)
GKE_LOGS_DOCS = "https://cloud.google.com/kubernetes-engine/docs/how-to/audit-logging"
AKS_LOGS_DOCS = "https://learn.microsoft.com/azure/aks/monitor-aks"
AKS_LOGS_CONSOLE = (
    "Kubernetes services > <cluster> > Monitoring > Diagnostic settings > Add diagnostic setting"
)
AKS_LOGS_EVIDENCE = "Microsoft.Insights/diagnosticSettings on the cluster resource (log categories)"


def _eks_logging_cli(types: str) -> str:
    return (
        "aws eks update-cluster-config --name <cluster> --region <region> --logging "
        f'\'{{"clusterLogging":[{{"types":[{types}],"enabled":true}}]}}\''
    )


def _aks_logging_cli(categories: list[str]) -> str:
    logs = ",".join(f'{{"category":"{c}","enabled":true}}' for c in categories)
    return (
        "az monitor diagnostic-settings create --name aks-control-plane "
        f"--resource <cluster-resource-id> --workspace <workspace-id> --logs '[{logs}]'"
    )


LOG_001 = Rule(
    meta=RuleMeta(
        id="LOG-001",
        title="API server audit logs not sent to the provider's log service",
        row="+",
        severity=Severity.HIGH,
        rationale=(
            "The audit log is the only record of who did what through the Kubernetes API: "
            "reading Secrets, exec into pods, changing RBAC. Without it an incident cannot be "
            "scoped. Shipped to the provider's log service, it survives the cluster and "
            "cannot be altered by whoever compromised it."
        ),
        guidance={
            "aws": guide(
                evidence="eks:DescribeCluster cluster.logging.clusterLogging[] (types audit "
                "and authenticator enabled)",
                summary="Enable the audit and authenticator control-plane log types "
                "(CloudWatch Logs).",
                console=EKS_LOGS_CONSOLE + ": enable Audit and Authenticator",
                cli=_eks_logging_cli('"audit","authenticator"'),
                terraform="aws_eks_cluster.enabled_cluster_log_types",
                docs=[EKS_LOGS_DOCS],
                refs=[ref.EKS_AUDIT_LOGS],
            ),
            "gcp": guide(
                evidence=(
                    "loggingConfig.componentConfig.enableComponents (APISERVER) and "
                    "auditConfigs for container.googleapis.com or allServices (DATA_READ, "
                    "DATA_WRITE) merged from the project's, its folders' and its "
                    "organization's getIamPolicy"
                ),
                summary=(
                    "Send API server logs to Cloud Logging and enable Data Access audit logs "
                    "for the Kubernetes Engine API (Admin Activity logs alone miss reads)."
                ),
                console="IAM & Admin > Audit Logs > Kubernetes Engine API: enable Data Read and "
                "Data Write",
                cli="gcloud container clusters update <cluster> --location <location> "
                "--logging=SYSTEM,WORKLOAD,API_SERVER",
                terraform="google_project_iam_audit_config.audit_log_config.log_type",
                docs=[GKE_LOGS_DOCS],
                refs=[ref.GKE_LOGGING],
            ),
            "azure": guide(
                evidence=AKS_LOGS_EVIDENCE + ": kube-audit or kube-audit-admin enabled",
                summary="Add a diagnostic setting that sends kube-audit-admin (or kube-audit) "
                "to a Log Analytics workspace or storage account.",
                console=AKS_LOGS_CONSOLE + ": tick kube-audit-admin",
                cli=_aks_logging_cli(["kube-audit-admin"]),
                terraform="azurerm_monitor_diagnostic_setting.enabled_log.category",
                docs=[AKS_LOGS_DOCS],
                refs=[ref.AKS_AUDIT_LOGS],
            ),
        },
    ),
    check=check_audit_logs,
)

LOG_002 = Rule(
    meta=RuleMeta(
        id="LOG-002",
        title="Control-plane component logs incomplete",
        row="+",
        severity=Severity.MEDIUM,
        rationale=(
            "API server, controller-manager and scheduler logs explain what the control plane "
            "did with a request: admission denials, failed leader elections, pods that could "
            "not be placed. Investigations and outage reviews need them next to the audit "
            "log, outside the cluster."
        ),
        guidance={
            "aws": guide(
                evidence="eks:DescribeCluster cluster.logging.clusterLogging[] (types api, "
                "controllerManager, scheduler)",
                summary="Enable the api, controllerManager and scheduler control-plane log types.",
                console=EKS_LOGS_CONSOLE + ": enable API server, Controller manager, Scheduler",
                cli=_eks_logging_cli('"api","controllerManager","scheduler"'),
                terraform="aws_eks_cluster.enabled_cluster_log_types",
                docs=[EKS_LOGS_DOCS],
                refs=[ref.EKS_AUDIT_LOGS],
            ),
            "gcp": guide(
                evidence="loggingConfig.componentConfig.enableComponents (APISERVER, SCHEDULER, "
                "CONTROLLER_MANAGER)",
                summary="Add the API server, scheduler and controller-manager components to the "
                "cluster's Cloud Logging configuration.",
                console="Kubernetes Engine > Clusters > <cluster> > Features > Cloud Logging: "
                "add API Server, Scheduler, Controller Manager",
                cli="gcloud container clusters update <cluster> --location <location> "
                "--logging=SYSTEM,WORKLOAD,API_SERVER,SCHEDULER,CONTROLLER_MANAGER",
                terraform="google_container_cluster.logging_config.enable_components",
                docs=["https://cloud.google.com/kubernetes-engine/docs/how-to/view-logs"],
                refs=[ref.GKE_LOGGING],
            ),
            "azure": guide(
                evidence=AKS_LOGS_EVIDENCE + ": kube-apiserver, kube-controller-manager, "
                "kube-scheduler",
                summary="Send kube-apiserver, kube-controller-manager and kube-scheduler to a "
                "Log Analytics workspace or storage account.",
                console=AKS_LOGS_CONSOLE
                + ": tick kube-apiserver, kube-controller-manager, kube-scheduler",
                cli=_aks_logging_cli(
                    ["kube-apiserver", "kube-controller-manager", "kube-scheduler"]
                ),
                terraform="azurerm_monitor_diagnostic_setting.enabled_log.category",
                docs=[AKS_LOGS_DOCS],
                refs=[ref.AKS_AUDIT_LOGS],
            ),
        },
    ),
    check=check_component_logs,
)

RULES = (LOG_001, LOG_002)

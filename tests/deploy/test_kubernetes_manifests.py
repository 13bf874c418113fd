"""deploy/kubernetes: every resource of the kustomize base is valid Kubernetes (offline, strict schema of a
stated version) and the pieces agree with each other and with the server and the image."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from briefing_service.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "deploy" / "kubernetes"
# The oldest Kubernetes the manifests are written for (gRPC probes are GA since 1.27; autoscaling/v2 and
# policy/v1 since 1.23 and 1.21); docs/deployment.md states the same.
KUBERNETES_VERSION = "1.33.0"


def _kustomization() -> dict[str, Any]:
    return yaml.safe_load((BASE / "kustomization.yaml").read_text(encoding="utf-8"))


def _resources() -> dict[str, dict[str, Any]]:
    """{"Kind/name": resource} over every file the kustomization lists."""
    found: dict[str, dict[str, Any]] = {}
    for name in _kustomization()["resources"]:
        for doc in yaml.safe_load_all((BASE / name).read_text(encoding="utf-8")):
            if doc:
                found[f"{doc['kind']}/{doc['metadata']['name']}"] = doc
    return found


def _container() -> dict[str, Any]:
    return _resources()["Deployment/briefing"]["spec"]["template"]["spec"]["containers"][0]


def _pod_labels() -> dict[str, str]:
    return _resources()["Deployment/briefing"]["spec"]["template"]["metadata"]["labels"]


def test_every_manifest_file_is_in_the_kustomization() -> None:
    listed = set(_kustomization()["resources"])
    on_disk = {p.name for p in BASE.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == on_disk


@pytest.mark.parametrize("key", sorted(_resources()))
def test_resource_is_valid_kubernetes(key: str) -> None:
    kubernetes_validate.validate(_resources()[key], KUBERNETES_VERSION, strict=True)


def test_strict_validation_refuses_a_misspelt_field() -> None:
    deployment = copy.deepcopy(_resources()["Deployment/briefing"])
    deployment["spec"]["template"]["spec"]["terminationGracePeriod"] = 45
    with pytest.raises(kubernetes_validate.ValidationError, match="terminationGracePeriod"):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_services_hpa_and_pdb_point_at_the_deployment() -> None:
    resources = _resources()
    labels = _pod_labels()
    deployment = resources["Deployment/briefing"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    for key in ("Service/briefing", "Service/briefing-headless"):
        assert resources[key]["spec"]["selector"].items() <= labels.items(), key
        ports = {p["name"]: p for p in resources[key]["spec"]["ports"]}
        assert ports["grpc"]["targetPort"] == "grpc"
    assert resources["Service/briefing-headless"]["spec"]["clusterIP"] == "None"
    assert resources["Service/briefing"]["spec"]["type"] == "ClusterIP"
    assert (
        resources["PodDisruptionBudget/briefing"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    )
    target = resources["HorizontalPodAutoscaler/briefing"]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", "briefing")


def test_the_container_arguments_are_server_flags_and_the_ports_match() -> None:
    container = _container()
    settings = Settings.from_args(container["args"], env={})  # an unknown flag or bad value fails here
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"grpc": settings.port, "metrics": settings.metrics_port}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["grpc"]["port"] == settings.port, probe
    annotations = _resources()["Deployment/briefing"]["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/port"] == str(settings.metrics_port)
    assert settings.max_connection_age > 0 and settings.log_format == "json"


def test_the_kubelet_waits_longer_than_the_drain() -> None:
    settings = Settings.from_args(_container()["args"], env={})
    pod = _resources()["Deployment/briefing"]["spec"]["template"]["spec"]
    assert pod["terminationGracePeriodSeconds"] >= settings.grace_seconds + 10


def test_the_pod_runs_as_the_image_user_on_a_read_only_root() -> None:
    pod = _resources()["Deployment/briefing"]["spec"]["template"]["spec"]
    container = _container()
    containerfile = (ROOT / "deploy" / "image" / "Containerfile").read_text(encoding="utf-8")
    image_uid = int(re.findall(r"^USER (\d+)", containerfile, re.MULTILINE)[-1])
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == image_uid
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert {m["mountPath"] for m in container["volumeMounts"]} == {"/tmp"}
    assert container["resources"]["limits"]["cpu"] == container["resources"]["requests"]["cpu"]

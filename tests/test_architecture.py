"""The floors of the house: imports only point down, and no module holds data between runs.

Each module of ``siting`` and ``layers`` belongs to one floor (docs/architecture.md). A module
may import modules of its own floor or lower ones, never higher; layers and per-site models
share a floor and never import each other; pure models never touch files or run inputs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Floor of each module or package prefix (the longest matching prefix wins).
FLOORS = {
    "siting.errors": 0,
    "siting.psychrometrics": 0,
    "siting.spec": 0,
    "siting.grid": 0,
    "siting.indicator": 0,
    "siting.counties": 0,
    "siting.rules": 0,
    "siting.custom_layers": 0,
    "siting.sources": 1,
    "siting.bundle": 1,
    "siting.models": 2,
    "siting.inputs": 3,
    "layers": 4,
    "siting.assessments": 4,
    "siting.exclude": 4,
    "siting.score": 4,
    "siting.regions": 4,
    "siting.zonal": 4,
    "siting.rank": 4,
    "siting.site_table": 4,
    "siting.candidates": 4,
    "siting.robustness": 4,
    "siting.report": 5,
    "siting.report_html": 5,
    "siting.maps": 5,
    "siting.community_page": 5,
    "siting.manifest": 5,
    "siting.queue_report": 5,
    "siting.validate": 5,
    "siting.explain": 5,
    "siting.determinism": 5,
    "siting.compare": 5,
    "siting.surfaces": 5,
    "siting.pipeline": 6,
    "siting.rerun": 6,
    "siting.rescore": 6,
    "siting.query": 6,
    "siting.screen": 6,
    "siting.national": 6,
    "siting.national_outputs": 6,
    "siting.national_synthetic": 2,
    "siting.cli": 7,
    "siting.progress": 7,
    "siting.__main__": 7,
    "siting": 0,  # the package itself: its version only
}
#: Pairs that share a floor but must not import each other, in either direction.
SIBLINGS = [("layers", "siting.assessments")]
#: Pure models: numbers and frames in and out, no files and no run inputs.
PURE = ("siting.models",)
NO_IO = ("siting.bundle", "siting.inputs", "siting.sources.files", "pyogrio", "rasterio")


def modules() -> dict[str, Path]:
    out = {}
    for package in ("siting", "layers"):
        for path in (ROOT / package).rglob("*.py"):
            if "data" in path.relative_to(ROOT).parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


def floor(module: str) -> int:
    matches = [p for p in FLOORS if module == p or module.startswith(p + ".")]
    if not matches:
        raise AssertionError(f"{module} has no floor in tests/test_architecture.py FLOORS")
    return FLOORS[max(matches, key=len)]


def project_imports(path: Path) -> list[str]:
    """Every project module named by an import statement of the file (at any depth)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{a.name}" for a in node.names]
    known = modules()
    return sorted({n for n in names if n in known})


def in_group(module: str, group: str) -> bool:
    return module == group or module.startswith(group + ".")


@pytest.mark.parametrize("module", sorted(modules()))
def test_imports_point_down(module):
    path = modules()[module]
    mine = floor(module)
    for imported in project_imports(path):
        if imported == "siting":
            continue
        assert floor(imported) <= mine, (
            f"{module} (floor {mine}) imports {imported} (floor {floor(imported)})"
        )
        for a, b in SIBLINGS:
            crossed = (in_group(module, a) and in_group(imported, b)) or (
                in_group(module, b) and in_group(imported, a)
            )
            assert not crossed, f"{module} imports its sibling {imported}"


@pytest.mark.parametrize("module", [m for m in sorted(modules()) if m.startswith(PURE)])
def test_models_do_no_io(module):
    source = modules()[module].read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert not imported & set(NO_IO), f"{module} imports {sorted(imported & set(NO_IO))}"
    opened = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "open"]
    assert not opened, f"{module} opens files"


@pytest.mark.parametrize("module", sorted(modules()))
def test_no_module_level_caches(module):
    """No ``functools.cache``/``lru_cache`` and no module-level mutable containers of data."""
    tree = ast.parse(modules()[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for deco in node.decorator_list:
                text = ast.unparse(deco)
                assert "cache" not in text, f"{module}.{node.name} is cached ({text})"
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(
            node.value, ast.Dict | ast.List | ast.Set
        ):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            assert all(n.isupper() or (n.startswith("_") and n[1:].isupper()) for n in names), (
                f"{module}: module-level mutable {names}; constants are UPPER_CASE"
            )


def test_every_module_has_a_floor():
    for module in modules():
        floor(module)


def test_the_checker_sees_an_upward_import(tmp_path):
    """A model importing the inputs floor would be caught: the checker itself works."""
    fake = tmp_path / "bad.py"
    fake.write_text("import numpy\nfrom siting.inputs import RunInputs\n", encoding="utf-8")
    assert project_imports(fake) == ["siting.inputs"]
    assert floor("siting.inputs") > floor("siting.models.cooling")

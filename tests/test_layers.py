"""Apps import downwards only: participants ← assessments ← grants ← families ← programme."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["participants", "assessments", "grants", "families", "programme"]


def imported_apps(app: str) -> set[str]:
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
    return found & set(LAYERS)


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_no_app_above_it(app):
    above = set(LAYERS[LAYERS.index(app) + 1 :])
    assert imported_apps(app) & above == set()


def test_shared_parts_import_no_app():
    # metro_slum's parts (roles, spreadsheets in and out, stored files, the export log, ...) are
    # imported by every app; only the kept figures read the apps' models (checked below), and
    # the URL configuration names the apps' URL modules by string.
    for path in (ROOT / "metro_slum").rglob("*.py"):
        if path.name == "figures.py":
            continue
        tree = ast.parse(path.read_text())
        modules = {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert modules & set(LAYERS) == set(), path


def _imported_modules(path: Path) -> set[str]:
    return {
        node.module
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and node.module
    }


def test_the_kept_figures_read_models_only():
    # metro_slum/figures.py is called by the services of every app, so of the apps it reads only
    # their models (and the one rule of a complete group); it never calls back into a service.
    modules = _imported_modules(ROOT / "metro_slum" / "figures.py")
    of_apps = {module for module in modules if module.split(".")[0] in LAYERS}
    assert of_apps <= {f"{app}.models" for app in LAYERS} | {"participants.selectors"}


@pytest.mark.parametrize("app", LAYERS)
def test_no_signal_or_load_hook_keeps_anything(app):
    # What a write changes is written by the service that makes it (metro_slum.figures), where a
    # reader of the service sees it: no app connects to a signal, defines one or keeps a stash.
    for path in (ROOT / app).rglob("*.py"):
        text = path.read_text()
        assert ".connect(" not in text, path
        assert "Signal(" not in text, path
        assert "pre_save" not in text and "post_save" not in text, path

"""Apps import downwards only: participants ← assessments ← grants ← families ← complaints ← slums ←
programme."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["participants", "assessments", "grants", "families", "complaints", "slums", "programme"]


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


# URL names, template libraries and templates follow the same rule: an app names its own and
# those of the apps below it, and the site's hub pages ("home", "group", "person"), which have no
# namespace (programme/hub_urls.py).
APPS = "participants|assessments|grants|families|complaints|slums|programme"
NAMED_URL = re.compile(rf"""['"]({APPS}):[a-z_]+['"]""")
LOADED = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
TEMPLATE_NAME = re.compile(rf"""['"]({APPS})/[\w/]+\.html['"]""")
LIBRARIES = {"people": "participants", "families": "families", "programme": "programme"}


def _texts_of(app: str):
    """The app's Python files and its templates (its own folder and its admin templates)."""
    yield from (ROOT / app).rglob("*.py")
    for folder in (ROOT / "templates" / app, ROOT / "templates" / "admin" / app):
        yield from folder.rglob("*.html")


def _references(app: str) -> set[tuple[str, str]]:
    found = set()
    for path in _texts_of(app):
        if "migrations" in path.parts:
            continue
        text = path.read_text()
        found |= {(match[1], f"{path.name}: {match[0]}") for match in NAMED_URL.finditer(text)}
        found |= {(match[1], f"{path.name}: {match[0]}") for match in TEMPLATE_NAME.finditer(text)}
        for match in LOADED.finditer(text):
            for library in match[1].split():
                if library in LIBRARIES:
                    found.add((LIBRARIES[library], f"{path.name}: load {library}"))
    return found


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_names_no_url_template_or_tag_library_above_it(app):
    above = set(LAYERS[LAYERS.index(app) + 1 :])
    assert sorted(where for owner, where in _references(app) if owner in above) == []


def test_the_reference_check_sees_what_it_looks_for():
    # The rule's own proof: the group page's template names the apps below it.
    owners = {owner for owner, _where in _references("programme")}
    assert {"participants", "assessments", "grants", "families", "programme"} <= owners

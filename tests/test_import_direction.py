"""Imports point one way: api → generation → engines / library. Read from the source with
ast, so an import inside a function counts as much as one at the top."""
import ast
from pathlib import Path

import pytest

# read from the source with ast: no row, no job (.ci/run runs it once, in the SQLite pass)
pytestmark = pytest.mark.db_agnostic

STUDIO = Path(__file__).resolve().parent.parent / "studio"
# What a generation goes through on its way: library may name a generation (its models) but
# never drives one.
WORKFLOW = ("jobs", "streams", "tasks", "uploads", "stitching", "forms", "views")


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports, relative imports resolved to their full names."""
    package = ".".join(path.relative_to(STUDIO.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def modules(app: str) -> list[Path]:
    return sorted(p for p in (STUDIO / app).rglob("*.py") if "migrations" not in p.parts)


def offending(app: str, refused) -> list[str]:
    return [f"{path.relative_to(STUDIO.parent)} imports {name}"
            for path in modules(app) for name in sorted(imports_of(path)) if refused(name)]


def within(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def test_the_reader_resolves_relative_and_nested_imports():
    assert "studio.library.models.Track" in imports_of(STUDIO / "library" / "lineage.py")
    assert "studio.mp3" in imports_of(STUDIO / "library" / "joins.py")  # inside a function


@pytest.mark.parametrize("app", ["library", "engines"])
def test_nothing_below_generation_imports_the_api(app):
    assert offending(app, lambda name: within(name, "studio.api")) == []


def test_generation_never_imports_the_api():
    assert offending("generation", lambda name: within(name, "studio.api")) == []


def test_library_never_drives_a_generation():
    workflow = [f"studio.generation.{name}" for name in WORKFLOW]
    assert offending("library", lambda name: within(name, *workflow)) == []


def test_only_generation_writes_generations():
    """Creating a Generation row is generation's business (stitching included)."""
    writers = [str(path.relative_to(STUDIO.parent)) for path in STUDIO.rglob("*.py")
               if "Generation.objects.create(" in path.read_text()
               and "generation" not in path.relative_to(STUDIO).parts[:1]]
    assert writers == []


def test_engines_know_nothing_of_studio_apps_or_django_beyond_settings():
    def refused(name):
        if within(name, "django"):
            return not within(name, "django.conf")
        return within(name, "studio.api", "studio.generation", "studio.library", "studio.web")

    assert offending("engines", refused) == []
    django_names = {name for path in modules("engines") for name in imports_of(path)
                    if within(name, "django.conf")}
    assert django_names <= {"django.conf", "django.conf.settings"}

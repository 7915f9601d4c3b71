"""The build compiles the message catalogues, so an installed consult (editable or not) speaks en and uk.

Everything else about the package is in pyproject.toml.
"""
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def compile_catalogues(target: Path | None = None) -> list[Path]:
    # Loaded by path: importing the consult package would need Flask, which a build environment lacks.
    spec = spec_from_file_location("consult_catalogues", HERE / "consult" / "catalogues.py")
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.compile_catalogues(target or module.TRANSLATIONS, only_stale=False)


class BuildPyWithCatalogues(build_py):
    """build_py (run by `pip install`, `pip install -e` and `python -m build`) after compiling .po to .mo."""

    def run(self):
        for mo in compile_catalogues():
            self.announce(f"compiled {mo.relative_to(HERE)}", level=2)
        super().run()


setup(cmdclass={"build_py": BuildPyWithCatalogues})

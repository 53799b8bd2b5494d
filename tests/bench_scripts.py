"""The benchmarks are scripts in bench/, not a package: their tests load them by path."""

import importlib.util
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "bench"


def script(name):
    """The path of bench/<name>.py."""
    return FOLDER / f"{name}.py"


def load(name):
    """bench/<name>.py, loaded as a module of its own."""
    spec = importlib.util.spec_from_file_location(f"{name}_bench", script(name))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

"""Load and synthesize the example app (``examples/app.py``) from tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "app.py"


def example_module() -> ModuleType:
    """``examples/app.py`` as a module (it is an app folder, not a package)."""
    name = "lattice_example_app"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def synth_example(outdir: Path, *, refactored: bool = False) -> Path:
    """Synthesize the example app into ``outdir`` and return it (a cloud assembly)."""
    context = {"demo:refactor": "true"} if refactored else None
    example_module().build_app(outdir=str(outdir), context=context).synth()
    return outdir

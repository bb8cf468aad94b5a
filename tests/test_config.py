"""Finding the project configuration: every TOML spelling of ``[tool.lattice]`` is read,
and a ``pyproject.toml`` that cannot hold it is skipped without parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from lattice_cdk._config import find_config, load_config

SPELLINGS = [
    '[tool.lattice]\nenvironment = "staging"\n',
    '[ tool . "lattice" ]\nenvironment = "staging"\n',
    "['tool'.'lattice']\nenvironment = 'staging'\n",
    '[tool]\nlattice = { environment = "staging" }\n',
    '[tool]\nlattice.environment = "staging"\n',
    'tool.lattice.environment = "staging"\n',
    'tool = { lattice = { environment = "staging" } }\n',
    '[tool."lat\\u0074ice"]\nenvironment = "staging"\n',
    '[project]\nname = "x"\n\n[[tool.lattice.acknowledgements]]\nrule_id = "LAT1001"\n'
    'reason = "a long enough reason"\n\n[tool.lattice]\nenvironment = "staging"\n',
]


@pytest.mark.parametrize("text", SPELLINGS)
def test_every_spelling_of_tool_lattice_is_read(tmp_path: Path, text: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    config = load_config(tmp_path)
    assert config.path == tmp_path / "pyproject.toml"
    assert config.environment == "staging"


def test_a_pyproject_without_lattice_is_skipped_for_the_next_one_up(tmp_path: Path) -> None:
    (tmp_path / "lattice.toml").write_text('environment = "dev"\n')
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text(
        '[project]\nname = "app"\ndependencies = ["lattice-cdk"]\n\n'
        '[project.scripts]\nlattice = "lattice_cdk._cli:run"\n\n[tool.ruff]\nline-length = 100\n'
    )
    config = load_config(inner)
    assert config.path == tmp_path / "lattice.toml"
    assert config.environment == "dev"


def test_a_pyproject_that_cannot_hold_lattice_is_not_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lattice_cdk._config as config_module

    def fail(path: Path) -> None:
        raise AssertionError(f"parsed {path}")

    monkeypatch.setattr(config_module, "_read", fail)
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n[project\n")
    assert find_config(tmp_path) is None

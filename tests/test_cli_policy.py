"""``lattice policy`` and the command's behaviour on bad arguments, in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

from lattice_cdk import __version__, create_statefulness_policy

from .helpers import run_lattice


def test_version() -> None:
    result = run_lattice("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"lattice {__version__}"


def test_policy_json_lists_every_environment_with_every_field() -> None:
    result = run_lattice("policy", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["lattice_version"] == __version__
    envs = {e["environment"]: e for e in data["environments"]}
    assert list(envs) == ["prod", "staging", "dev"]
    for name, row in envs.items():
        policy = create_statefulness_policy(environment=name)
        assert row == {**policy.to_dict(), "inactive": list(policy.inactive_fields())}
    assert envs["prod"]["inactive"] == []
    assert envs["dev"]["inactive"] == [
        "weekly_retention_days",
        "monthly_retention_days",
        "monthly_cold_storage_after_days",
        "continuous_backup_retention_days",
    ]


def test_policy_text_shows_only_the_tiers_that_are_on() -> None:
    # Staging and dev keep no weekly, monthly or continuous backups: their retention
    # is not a number anyone should read.
    cells = {r.split()[0]: r.split()[1:] for r in run_lattice("policy").stdout.splitlines()[2:]}
    assert cells["weekly_backups"] == ["yes", "no", "no"]
    assert cells["weekly_retention_days"] == ["365", "-", "-"]
    assert cells["monthly_retention_days"] == ["2555", "-", "-"]
    assert cells["continuous_backup_retention_days"] == ["30", "-", "-"]
    dev = run_lattice("policy", "dev").stdout
    assert "weekly_backups" in dev
    for field in ("weekly_retention", "monthly_retention", "cold_storage", "continuous_backup_"):
        assert field not in dev


def test_policy_output_suffix_chooses_the_format(tmp_path: Path) -> None:
    target = tmp_path / "policy.json"
    assert run_lattice("policy", "-o", str(target)).returncode == 0
    assert json.loads(target.read_text())["environments"][0]["environment"] == "prod"
    text = tmp_path / "policy.txt"
    assert run_lattice("policy", "-o", str(text), "--format", "text").returncode == 0
    assert text.read_text().startswith("field ")


def test_misspelt_environment_says_did_you_mean_and_names_the_config_file() -> None:
    result = run_lattice("policy", "prodd")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "[unknown-environment] environment='prodd': is not a known environment; did you " in line
    assert "did you mean 'prod'?" in line
    assert "[tool.lattice] in pyproject.toml" in line


def test_policy_for_one_environment_by_alias() -> None:
    result = run_lattice("policy", "Production", "--format", "json")
    assert result.returncode == 0, result.stderr
    [row] = json.loads(result.stdout)["environments"]
    assert row["environment"] == "prod"
    assert row["protection_level"] == "maximum"


def test_policy_text_is_a_table_of_fields_by_environment() -> None:
    result = run_lattice("policy")
    assert result.returncode == 0, result.stderr
    header, rule, *rows = result.stdout.splitlines()
    assert header.split() == ["field", "prod", "staging", "dev"]
    assert set(rule) <= {"-", " "}
    cells = {r.split()[0]: r.split()[1:] for r in rows}
    assert cells["removal_policy"] == ["RETAIN", "RETAIN", "DESTROY"]
    assert cells["backup_retention_days"] == ["30", "14", "7"]
    assert cells["protection_level"] == ["maximum", "moderate", "minimal"]


def test_policy_shows_environments_registered_in_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.lattice]\nenvironments = { qa = "staging", sandbox = "dev" }\n'
    )
    result = run_lattice("policy", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    envs = {e["environment"]: e for e in json.loads(result.stdout)["environments"]}
    assert envs["qa"]["tier"] == "staging"
    assert envs["sandbox"]["protection_level"] == "minimal"


def test_policy_output_file(tmp_path: Path) -> None:
    target = tmp_path / "policy.json"
    result = run_lattice("policy", "dev", "--format", "json", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(target.read_text())["environments"][0]["environment"] == "dev"


def test_unknown_environment_is_one_line_and_exit_1() -> None:
    result = run_lattice("policy", "qa")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "environment='qa'" in line
    assert "'prod'" in line


def test_bad_format_is_a_usage_error() -> None:
    result = run_lattice("policy", "--format", "xml")
    assert result.returncode == 1
    assert "invalid choice: 'xml'" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_verb_and_no_verb() -> None:
    assert run_lattice("frobnicate").returncode == 1
    bare = run_lattice()
    assert bare.returncode == 1
    assert "COMMAND" in bare.stderr


def test_broken_config_is_reported_with_its_path(tmp_path: Path) -> None:
    (tmp_path / "lattice.toml").write_text("environments = [1, 2\n")
    result = run_lattice("policy", cwd=tmp_path)
    assert result.returncode == 1
    assert "lattice.toml" in result.stderr
    assert "cannot read TOML" in result.stderr
    assert "Traceback" not in result.stderr


def test_config_with_a_bad_tier_is_reported(tmp_path: Path) -> None:
    (tmp_path / "lattice.toml").write_text('environments = { qa = "qa-tier" }\n')
    result = run_lattice("policy", cwd=tmp_path)
    assert result.returncode == 1
    assert "tier='qa-tier'" in result.stderr


def test_destroy_plan_output_suffix_chooses_the_format(tmp_path: Path) -> None:
    template = Path(__file__).parent / "checker" / "fixtures" / "LAT1001" / "pass.json"
    target = tmp_path / "plan.json"
    result = run_lattice("destroy-plan", str(template), "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert json.loads(target.read_text())["stacks"][0]["stack"] == "pass"
    markdown = tmp_path / "plan.md"
    assert run_lattice("destroy-plan", str(template), "-o", str(markdown)).returncode == 0
    assert markdown.read_text().startswith("# Destroy plan: ")


def test_diff_and_lock_output_suffix_chooses_the_format(tmp_path: Path) -> None:
    fixtures = Path(__file__).parent / "checker" / "fixtures" / "LAT1001"
    old, new = fixtures / "pass.json", fixtures / "fail.json"
    report = tmp_path / "diff.json"
    result = run_lattice("diff", str(old), str(new), "-o", str(report))
    assert result.returncode != 1, result.stderr
    assert json.loads(report.read_text())["command"] == "diff"
    sarif = tmp_path / "diff.sarif"
    run_lattice("diff", str(old), str(new), "-o", str(sarif))
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    lock = tmp_path / "lattice.lock.json"
    assert run_lattice("lock", str(old), "--lock-file", str(lock)).returncode == 0
    verified = tmp_path / "verify.json"
    result = run_lattice(
        "lock", str(new), "--lock-file", str(lock), "--verify", "-o", str(verified)
    )
    assert result.returncode != 1, result.stderr
    assert json.loads(verified.read_text())["command"] == "lock --verify"
    # An explicit --format wins over the suffix.
    text = tmp_path / "forced.json"
    run_lattice("diff", str(old), str(new), "-o", str(text), "--format", "text")
    assert not text.read_text().lstrip().startswith("{")

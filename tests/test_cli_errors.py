"""Every error is one ``[code] message`` line with a documented exit code; a bug in
Lattice is an internal error with its own code, never the bad-input code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lattice_cdk._cli import main
from lattice_cdk._errors import ErrorCode

from .helpers import run_lattice

ROOT = Path(__file__).resolve().parents[1]
ONE_LINE = re.compile(r"^lattice: error: \[([a-z0-9-]+)\] .+ Fix: .+\n$")
BUCKET = {"Resources": {"Data": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"}}}


def _template(folder: Path, template: object = BUCKET) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "App.template.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    return path


def _code(stderr: str) -> str:
    match = ONE_LINE.match(stderr)
    assert match is not None, stderr
    return match.group(1)


def test_an_internal_error_exits_70_and_asks_for_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from lattice_cdk._cli import _policy_cmd

    def broken(args: object) -> int:
        raise KeyError("a bug")

    monkeypatch.setattr(_policy_cmd, "run", broken)
    monkeypatch.delenv("LATTICE_DEBUG", raising=False)
    assert main(["policy"]) == 70
    err = capsys.readouterr().err
    assert err.startswith("lattice: internal error: [internal-error] KeyError: 'a bug'.")
    assert "LATTICE_DEBUG=1" in err
    assert len(err.splitlines()) == 1


def test_a_usage_mistake_is_one_usage_line() -> None:
    result = run_lattice("lock", "cdk.out", "--update", "--verify")
    assert result.returncode == 1
    assert _code(result.stderr) == "usage"


def test_reason_without_update_says_the_fix(tmp_path: Path) -> None:
    path = _template(tmp_path)
    result = run_lattice("lock", str(path), "--reason", "long enough reason")
    assert result.returncode == 1
    assert _code(result.stderr) == "usage"


@pytest.mark.parametrize(
    "option", [("--region", "not a region"), ("--endpoint-url", "::not a url")]
)
def test_aws_settings_the_sdk_refuses_are_bad_input(
    tmp_path: Path, option: tuple[str, str]
) -> None:
    path = _template(tmp_path)
    extra = [] if option[0] == "--region" else ["--region", "us-east-1"]
    result = run_lattice("diff", str(path), "--deployed", "App", *option, *extra)
    assert result.returncode == 1, result.stderr
    assert _code(result.stderr) in ("aws-config", "invalid-value", "usage")


def test_a_config_file_that_is_not_utf8_is_bad_input(tmp_path: Path) -> None:
    path = _template(tmp_path)
    config = tmp_path / "lattice.toml"
    config.write_bytes(b'environment = "\xff\xfe"\n')
    result = run_lattice("check", str(path), "--config", str(config))
    assert result.returncode == 1
    assert "lattice: error: [unusable-input]" in result.stderr
    assert "internal" not in result.stderr


def test_wrong_typed_backup_properties_are_not_an_internal_error(tmp_path: Path) -> None:
    template = {
        "Resources": {
            "Plan": {
                "Type": "AWS::Backup::BackupPlan",
                "Properties": {"BackupPlan": {"BackupPlanName": 5, "BackupPlanRule": "x"}},
            },
            "Selection": {
                "Type": "AWS::Backup::BackupSelection",
                "Properties": {
                    "BackupPlanId": {"Ref": "Plan"},
                    "BackupSelection": {"SelectionName": [], "ListOfTags": 5, "Resources": 7},
                },
            },
            "Data": {"Type": "AWS::S3::Bucket"},
        }
    }
    path = _template(tmp_path, template)
    for verb in ("check", "report"):
        result = run_lattice(verb, str(path), "-e", "prod")
        assert result.returncode in (0, 1, 2, 6, 10, 14), result.stderr
        assert "internal error" not in result.stderr


# -- the codes are one documented list ------------------------------------------------


def test_every_code_in_the_source_is_an_error_code() -> None:
    used = set()
    for path in (ROOT / "src" / "lattice_cdk").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'\bcode\s*=\s*"([a-z0-9-]+)"', text))
    unknown = used - {c.value for c in ErrorCode}
    assert not unknown, f"add these to ErrorCode and docs/limits.md: {sorted(unknown)}"


def test_every_error_code_and_exit_code_is_documented() -> None:
    page = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    missing = [c.value for c in ErrorCode if f"`{c.value}`" not in page]
    assert not missing, f"document these in docs/limits.md: {missing}"
    for exit_code in (0, 1, 2, 4, 8, 70, 130):
        assert f"| {exit_code} |" in page

"""Run a composite action's steps the way a GitHub Actions runner does, on this machine.

Enough of the runner for ``action.yml``: inputs with their defaults, ``${{ }}``
expressions over ``inputs``, ``github`` and ``steps.<id>.outputs`` (paths, string
literals, ``==``, ``!=``, ``&&``, ``||``), ``run:`` steps executed with GitHub's bash
command line (``bash --noprofile --norc -eo pipefail``) in their working directory with
their ``env:``, ``$GITHUB_OUTPUT`` and ``$GITHUB_PATH`` files read back after each step,
and ``if:``. A ``uses:`` step cannot run here: it is recorded with its evaluated ``with:``
so a test can check what it would have been given. The first failing step stops the job.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_TOKEN = re.compile(r"\s*(?:('[^']*')|(==|!=|&&|\|\||\(|\))|([A-Za-z_][\w.-]*))")


@dataclass
class Step:
    name: str
    ran: bool
    returncode: int = 0
    output: str = ""
    uses: str = ""
    with_: dict[str, str] = field(default_factory=dict)


@dataclass
class Job:
    steps: list[Step]
    outputs: dict[str, str]

    @property
    def failed(self) -> Step | None:
        return next((s for s in self.steps if s.returncode), None)

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)


def _lookup(path: str, context: Mapping[str, Any]) -> Any:
    value: Any = context
    for part in path.split("."):
        value = value.get(part, "") if isinstance(value, Mapping) else ""
    return value


def evaluate(expression: str, context: Mapping[str, Any]) -> Any:
    """A GitHub expression made of context paths, 'strings', ==, !=, &&, || and ()."""
    python, position = [], 0
    while position < len(expression):
        token = _TOKEN.match(expression, position)
        assert token, f"unsupported expression: {expression!r}"
        literal, operator, path = token.groups()
        if literal is not None:
            python.append(repr(literal[1:-1]))
        elif operator is not None:
            python.append({"&&": " and ", "||": " or "}.get(operator, operator))
        elif path in ("true", "false"):
            python.append(str(path == "true"))
        else:
            python.append(repr(_lookup(path, context)))
        position = token.end()
    return eval("".join(python), {"__builtins__": {}})  # built only from repr()s


def substitute(text: str, context: Mapping[str, Any]) -> str:
    return _EXPRESSION.sub(lambda m: str(evaluate(m.group(1), context)), text)


def _read_outputs(path: Path) -> dict[str, str]:
    outputs: dict[str, str] = {}
    lines = iter(path.read_text(encoding="utf-8").splitlines()) if path.exists() else iter(())
    for line in lines:
        if "<<" in line and "=" not in line.split("<<")[0]:
            name, delimiter = line.split("<<", 1)
            outputs[name] = "\n".join(iter(lines.__next__, delimiter))
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


def run_action(
    action_dir: Path,
    *,
    workspace: Path,
    runner_temp: Path,
    inputs: Mapping[str, str],
    github: Mapping[str, Any],
    env: Mapping[str, str],
) -> Job:
    """Run ``action_dir/action.yml`` with ``inputs``, like a job step ``uses:`` it."""
    action = yaml.safe_load((action_dir / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    github = {**github, "action_path": str(action_dir)}
    declared = action.get("inputs", {})
    unknown = set(inputs) - set(declared)
    assert not unknown, f"the action has no inputs {sorted(unknown)}"
    resolved = {
        name: inputs[name]
        if name in inputs
        else substitute(str(spec.get("default", "")), {"github": github})
        for name, spec in declared.items()
    }
    context: dict[str, Any] = {"inputs": resolved, "github": github, "steps": {}}
    path_file = runner_temp / "_github_path"
    path_file.write_text("")
    steps: list[Step] = []
    for number, spec in enumerate(action["runs"]["steps"]):
        name = spec.get("name", f"step {number}")
        condition = spec.get("if")
        if condition is not None and not evaluate(_EXPRESSION.sub(r"\1", str(condition)), context):
            steps.append(Step(name, ran=False))
            continue
        if "uses" in spec:
            with_ = {k: substitute(str(v), context) for k, v in spec.get("with", {}).items()}
            steps.append(Step(name, ran=False, uses=spec["uses"], with_=with_))
            continue
        assert spec.get("shell") == "bash", f"step {name!r}: run steps use shell: bash"
        output_file = runner_temp / f"_output_{number}"
        added = [p for p in path_file.read_text().splitlines() if p][::-1]
        step_env = {
            **env,
            "PATH": os.pathsep.join([*added, env["PATH"]]),
            "GITHUB_ACTION_PATH": str(action_dir),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_PATH": str(path_file),
            "RUNNER_TEMP": str(runner_temp),
            **{k: substitute(str(v), context) for k, v in spec.get("env", {}).items()},
        }
        script = runner_temp / f"_step_{number}.sh"
        script.write_text(spec["run"], encoding="utf-8")
        cwd = workspace / substitute(str(spec.get("working-directory", ".")), context)
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=cwd,
            env=step_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=300,
            check=False,
        )
        steps.append(Step(name, ran=True, returncode=done.returncode, output=done.stdout))
        if "id" in spec:
            context["steps"][spec["id"]] = {"outputs": _read_outputs(output_file)}
        if done.returncode:
            break
    outputs = {
        name: substitute(str(spec.get("value", "")), context)
        for name, spec in action.get("outputs", {}).items()
    }
    return Job(steps, outputs)

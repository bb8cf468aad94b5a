"""Rewrite every JSON snapshot from the current checker (``python -m
tests.checker.regen_snapshots``); review the diff before committing it."""

from __future__ import annotations

from tests.checker._snapshots import fixture_cases, render_case, snapshot_path


def main() -> None:
    for case in fixture_cases():
        target = snapshot_path(case)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_case(case), encoding="utf-8")
        print(target)


if __name__ == "__main__":
    main()

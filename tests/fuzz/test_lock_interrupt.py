"""``kill -9`` at any point of ``lattice lock --update`` leaves the old lock or the new
one; concurrent updates run one after the other and keep every history entry."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from lattice_cdk.changes._lock import read_lock

BUCKETS = 3_000


def _app(folder: Path, skip: int | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    resources = {
        f"Bucket{i:05d}": {
            "Type": "AWS::S3::Bucket",
            "Properties": {"BucketName": f"data-{i}"},
            "DeletionPolicy": "Retain",
        }
        for i in range(BUCKETS)
        if i != skip
    }
    (folder / "App.template.json").write_text(json.dumps({"Resources": resources}))
    return folder


def _lattice(*args: str, cwd: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ}
    env.pop("LATTICE_DEBUG", None)
    return subprocess.Popen(
        [sys.executable, "-m", "lattice_cdk", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_kill_9_during_an_update_leaves_the_old_or_the_new_lock(tmp_path: Path) -> None:
    old_app, new_app = _app(tmp_path / "old"), _app(tmp_path / "new", skip=7)
    lock = tmp_path / "lattice.lock.json"
    created = _lattice("lock", str(old_app), "--lock-file", str(lock), cwd=tmp_path)
    assert created.wait(60) == 0
    old_bytes = lock.read_bytes()
    old_keys = {e.key for e in read_lock(lock).entries}
    update = ("lock", str(new_app), "--update", "--reason", "drop bucket 7, JIRA-9")
    update += ("--by", "ci", "--lock-file", str(lock))

    started = time.monotonic()
    full = _lattice(*update, cwd=tmp_path)
    assert full.wait(60) == 0
    duration = time.monotonic() - started
    new_keys = {e.key for e in read_lock(lock).entries}
    assert new_keys == old_keys - {("App", "Bucket00007")}

    rng = random.Random(1301)
    outcomes = {"old": 0, "new": 0}
    for attempt in range(10):
        lock.write_bytes(old_bytes)
        before = os.stat(lock)
        process = _lattice(*update, cwd=tmp_path)
        if attempt % 2:
            # Anywhere in the run (most of it is loading the templates).
            time.sleep(rng.uniform(0.3, 1.1) * duration)
        else:
            # Inside the write: as soon as the lock or a file beside it changes.
            _wait_for_write(tmp_path, lock, before, process)
            time.sleep(rng.uniform(0, 0.004))
        process.send_signal(signal.SIGKILL)
        process.wait(60)
        keys = {e.key for e in read_lock(lock).entries}  # raises if not a valid lock
        assert keys in (old_keys, new_keys)
        outcomes["old" if keys == old_keys else "new"] += 1
    assert outcomes["old"] > 0
    # What killed writers left beside the lock is removed by the next update.
    lock.write_bytes(old_bytes)
    assert _lattice(*update, cwd=tmp_path).wait(60) == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def _wait_for_write(
    folder: Path, lock: Path, before: os.stat_result, process: subprocess.Popen[bytes]
) -> None:
    names = set(os.listdir(folder))
    while process.poll() is None:
        now = os.stat(lock)
        if (now.st_ino, now.st_size, now.st_mtime_ns) != (
            before.st_ino,
            before.st_size,
            before.st_mtime_ns,
        ) or set(os.listdir(folder)) != names:
            return


def test_concurrent_updates_keep_both_history_entries(tmp_path: Path) -> None:
    base = _app(tmp_path / "base")
    lock = tmp_path / "lattice.lock.json"
    assert _lattice("lock", str(base), "--lock-file", str(lock), cwd=tmp_path).wait(60) == 0
    base_bytes = lock.read_bytes()
    # Each differs from the base and from the other: whichever runs second still has a
    # change to record, against the first one's lock.
    apps = [_app(tmp_path / "a", skip=1), _app(tmp_path / "b", skip=2)]
    for attempt in range(3):
        lock.write_bytes(base_bytes)
        reasons = [f"update {attempt}-{side} for the test" for side in "ab"]
        processes = [
            _lattice(
                "lock",
                str(app),
                "--update",
                "--reason",
                reason,
                "--lock-file",
                str(lock),
                cwd=tmp_path,
            )
            for app, reason in zip(apps, reasons, strict=True)
        ]
        for process in processes:
            assert process.wait(60) == 0
        history = read_lock(lock).history
        assert len(history) == 2
        assert sorted(h.reason for h in history[-2:]) == reasons

"""Files Lattice writes are replaced whole, never over an input, never through a link
out of the tree; a path that cannot be written is one [io-error] line."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from lattice_cdk import InputError
from lattice_cdk._files import exclusive, refuse_inputs, write_atomic

from .helpers import run_lattice

TEMPLATE = {"Resources": {"Data": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"}}}


def _template(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "App.template.json"
    path.write_text(json.dumps(TEMPLATE), encoding="utf-8")
    return path


def test_write_atomic_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the replaced file's mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_text_that_cannot_be_encoded_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "bad \ud800\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    target = tmp_path / "new.txt"
    write_atomic(target, "x")
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_writing_over_an_input_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match=r"\[output-is-input\]"):
        write_atomic(tmp_path / "." / "in.json", "x", inputs=[source])
    assert source.read_text(encoding="utf-8") == "{}"


def test_a_device_or_pipe_target_is_no_input(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text("{}", encoding="utf-8")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    missing = tmp_path / "gone.json"
    # A device or a pipe is never compared with the inputs (Lattice reads regular files
    # only), even one that is not there any more; a regular file still is.
    refuse_inputs(os.devnull, [source, missing])
    refuse_inputs(fifo, [source, missing])
    with pytest.raises(InputError, match=r"\[output-is-input\]"):
        refuse_inputs(tmp_path / "." / "in.json", [missing, source])
    with pytest.raises(InputError, match=r"\[output-is-input\]"):
        refuse_inputs(missing, [source, missing])


def test_a_link_out_of_the_tree_is_not_followed(tmp_path: Path) -> None:
    tree, outside = tmp_path / "repo", tmp_path / "elsewhere"
    tree.mkdir()
    outside.mkdir()
    link = tree / "lattice.lock.json"
    link.symlink_to(outside / "lock.json")  # dangling
    with pytest.raises(InputError, match=r"\[unsafe-path\]"):
        write_atomic(link, "{}", confine_to=tree)
    assert not (outside / "lock.json").exists()
    inner = tree / "real.json"
    link.unlink()
    link.symlink_to(inner)
    write_atomic(link, "{}\n", confine_to=tree)
    assert link.is_symlink()
    assert inner.read_text(encoding="utf-8") == "{}\n"


def test_exclusive_serialises_holders_in_one_folder(tmp_path: Path) -> None:
    import fcntl

    with exclusive(tmp_path / "lattice.lock.json"):
        handle = os.open(tmp_path, os.O_RDONLY)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(handle)
    handle = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released
    finally:
        os.close(handle)


# -- through the CLI ---------------------------------------------------------------


@pytest.mark.parametrize("verb", ["check", "report"])
def test_output_equal_to_the_input_is_refused(tmp_path: Path, verb: str) -> None:
    path = _template(tmp_path)
    before = path.read_text(encoding="utf-8")
    result = run_lattice(verb, str(path), "-e", "dev", "-o", str(path))
    assert result.returncode == 1
    assert "[output-is-input]" in result.stderr
    assert path.read_text(encoding="utf-8") == before


def test_output_over_a_template_inside_the_input_folder_is_refused(tmp_path: Path) -> None:
    path = _template(tmp_path / "cdk.out")
    result = run_lattice("check", str(tmp_path / "cdk.out"), "-e", "dev", "-o", str(path))
    assert result.returncode == 1
    assert "[output-is-input]" in result.stderr


def test_output_to_a_full_disk_is_an_io_error(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    path = _template(tmp_path)
    result = run_lattice("check", str(path), "-e", "dev", "-o", "/dev/full")
    assert result.returncode == 1
    assert result.stderr.startswith("lattice: error: [io-error] /dev/full: cannot be written")
    assert len(result.stderr.splitlines()) == 1


def test_output_into_a_missing_folder_is_an_io_error(tmp_path: Path) -> None:
    path = _template(tmp_path)
    result = run_lattice("report", str(path), "-e", "dev", "-o", str(tmp_path / "no" / "r.md"))
    assert result.returncode == 1
    assert "[io-error]" in result.stderr


def test_a_dangling_lock_link_out_of_the_repository_is_not_followed(tmp_path: Path) -> None:
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    repo.mkdir()
    outside.mkdir()
    _template(repo / "cdk.out")
    (repo / "lattice.lock.json").symlink_to(outside / "planted.json")
    result = run_lattice("lock", "cdk.out", cwd=repo)
    assert result.returncode == 1
    assert "[unsafe-path]" in result.stderr
    assert not (outside / "planted.json").exists()


def test_lock_output_over_the_lock_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    _template(tmp_path / "cdk.out")
    result = run_lattice("lock", "cdk.out", "-o", "lattice.lock.json", cwd=tmp_path)
    assert result.returncode == 1
    assert "[output-is-input]" in result.stderr
    assert not (tmp_path / "lattice.lock.json").exists()

#!/usr/bin/env bash
# Lattice's pre-commit hooks (.pre-commit-hooks.yaml) call this with a lattice verb, its
# options and the paths to judge: lattice-hook.sh check|lock [--opt=value ...] PATH...
#
# `lattice check` takes one path, so each path is checked in turn and the exit codes
# (bit flags: 1 unusable input, 2 errors, 4 warnings, 8 info) are added together.
# Info is printed but does not fail the commit; everything else does. Options must be
# written --name=value (pre-commit puts them among the file names).
set -u
if ! command -v lattice >/dev/null 2>&1; then
  echo "[lattice-not-found] no lattice command on PATH. Fix: pip install lattice-cdk into the environment pre-commit runs in (see the README's Install), or use the hook lattice-check-cdk-out-venv." >&2
  exit 1
fi
verb=${1:?usage: lattice-hook.sh check|lock [--opt=value ...] PATH...}
shift
options=()
paths=()
for arg in "$@"; do
  case $arg in
    -*) options+=("$arg") ;;
    *) paths+=("$arg") ;;
  esac
done
if [ ${#paths[@]} -eq 0 ]; then
  echo "[no-path] lattice $verb: no template or cdk.out to judge. Fix: give the hook args: [cdk.out] or files: matching your templates." >&2
  exit 1
fi
status=0
for path in "${paths[@]}"; do
  lattice "$verb" ${options[@]+"${options[@]}"} "$path" || status=$((status | $?))
done
exit $((status & 7))

"""``python -m lattice_cdk`` is the ``lattice`` command."""

from ._cli import run

if __name__ == "__main__":
    run()

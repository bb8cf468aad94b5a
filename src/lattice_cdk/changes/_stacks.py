"""Which stack of a new assembly an old stack became."""

from __future__ import annotations

from .._records import Record
from ..cfn import Assembly, Stack

__all__ = ["StackPair", "match_stacks"]


class StackPair(Record):
    """An old stack and the new stack it became (matched by :attr:`Stack.identity`)."""

    old: Stack
    new: Stack


def match_stacks(old: Assembly, new: Assembly) -> tuple[list[StackPair], list[Stack]]:
    """Pair the stacks of ``old`` and ``new`` by identity (account, region and stack
    name where deployed, see :attr:`Stack.identity`); return the pairs and the old
    stacks that are gone.

    When each side holds exactly one stack and at least one side is a plain template
    (whose name is only a file name), the two are paired whatever their names
    (``lattice diff before.json after.json``). Two cloud assemblies are always matched
    by identity: a stack whose name or region changed is a new stack, and the old one is
    gone; two stacks of one name in two regions are two stacks. A folder of templates
    says nothing of where its stacks deploy, so against it stacks pair by stack name.
    """
    both_assemblies = old.is_cloud_assembly and new.is_cloud_assembly
    if len(old.stacks) == 1 and len(new.stacks) == 1 and not both_assemblies:
        return [StackPair(old.stacks[0], new.stacks[0])], []
    # The stack name too: where the environment is not resolved, the identity is the
    # artifact id, and a new stack name under one artifact id is still a new stack.
    key = _key if both_assemblies else _name
    by_key = {key(s): s for s in new.stacks}
    pairs: list[StackPair] = []
    removed: list[Stack] = []
    for stack in old.stacks:
        other = by_key.get(key(stack))
        if other is None:
            removed.append(stack)
        else:
            pairs.append(StackPair(stack, other))
    return pairs, removed


def _key(stack: Stack) -> tuple[str, str]:
    return stack.identity, stack.name


def _name(stack: Stack) -> tuple[str, str]:
    return stack.name, stack.name

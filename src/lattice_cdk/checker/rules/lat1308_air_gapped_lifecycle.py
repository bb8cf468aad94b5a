"""LAT1308: a copy's lifecycle falls outside its air-gapped vault's retention bounds."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ..._recovery import copy_fits
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from .._values import describe

INFO = RuleInfo(
    rule_id="LAT1308",
    title="Copy lifecycle outside the air-gapped vault's retention",
    rationale="A logically air-gapped vault accepts only recovery points kept between its "
    "MinRetentionDays and MaxRetentionDays. AWS rejects a copy action whose DeleteAfterDays "
    "falls outside them (or that keeps copies forever): the copy fails on every run.",
    fix="Set the vault's MinRetentionDays to at most, and MaxRetentionDays to at least, every "
    "copy's DeleteAfterDays (Lattice's AirGappedVault computes them from the copies).",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html",
    severity_reason="An error: the air-gapped copy the plan promises is never made.",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    hits: list[Hit] = []
    for copy in ctx.backups.recovery.copies(ctx.stack, resource):
        vault = copy.vault
        if vault is None:
            continue
        fits = copy_fits(copy.retention, vault.min_days, vault.max_days)
        if fits is True:
            continue
        where = f"backup plan {resource.logical_id}, rule {copy.rule}"
        if fits is None:
            hits.append(
                Hit(
                    f"{where}: the copy to air-gapped vault {vault.logical_id} keeps "
                    f"{describe(copy.retention)} days against bounds "
                    f"{describe(vault.min_days)}-{describe(vault.max_days)}; cannot tell "
                    "whether it fits before deploy.",
                    cannot_evaluate=True,
                )
            )
            continue
        kept = "forever" if copy.retention is None else f"{copy.retention} days"
        hits.append(
            Hit(
                f"{where}: the copy to air-gapped vault {vault.logical_id} is kept {kept}, "
                f"outside the vault's {vault.min_days}-{vault.max_days} days; AWS rejects it.",
            )
        )
    return hits


RULE = ResourceRule(
    info=INFO, check=check, types=frozenset({"AWS::Backup::BackupPlan"}), data_holders_only=False
)

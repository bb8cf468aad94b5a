"""Every rule of the checker, registered in one explicit tuple.

``RULES`` is the registry: the engine dispatches from it, ``docs/rules.md`` is generated
from it, and SARIF lists it. ``ENGINE_RULES`` describe what the engine itself reports
(values it cannot evaluate, an unknown environment, a bad acknowledgement).
"""

from __future__ import annotations

from ..._findings import RuleInfo
from .._rule import ResourceRule, StackRule
from . import (
    lat1001_deletion_policy,
    lat1002_update_replace_policy,
    lat1101_deletion_protection,
    lat1201_backup_coverage,
    lat1301_backup_retention,
    lat1304_vault_deny_delete,
    lat1305_backup_quota,
    lat1306_restore_test_coverage,
    lat1307_restore_selection_empty,
    lat1308_air_gapped_lifecycle,
    lat1309_air_gapped_copy,
    lat1401_point_in_time_recovery,
    lat1402_s3_versioning,
    lat1403_auto_delete_objects,
    lat2003_snapshot_ignored,
    lat2302_long_term_tier,
    lat2303_cross_region_copy,
    lat2501_termination_protection,
    lat2901_cannot_evaluate,
    lat2902_environment_unknown,
    lat2903_invalid_acknowledgement,
    lat2904_input_not_read,
    lat3501_protection_not_in_template,
)

__all__ = ["ENGINE_RULES", "RULES", "all_rule_infos"]

RULES: tuple[ResourceRule | StackRule, ...] = (
    lat1001_deletion_policy.RULE,
    lat1002_update_replace_policy.RULE,
    lat2003_snapshot_ignored.RULE,
    lat1101_deletion_protection.RULE,
    lat1201_backup_coverage.RULE,
    lat1301_backup_retention.RULE,
    lat2302_long_term_tier.RULE,
    lat2303_cross_region_copy.RULE,
    lat1304_vault_deny_delete.RULE,
    lat1305_backup_quota.RULE,
    lat1306_restore_test_coverage.RULE,
    lat1307_restore_selection_empty.RULE,
    lat1308_air_gapped_lifecycle.RULE,
    lat1309_air_gapped_copy.RULE,
    lat1401_point_in_time_recovery.RULE,
    lat1402_s3_versioning.RULE,
    lat1403_auto_delete_objects.RULE,
    lat2501_termination_protection.RULE,
    lat3501_protection_not_in_template.RULE,
)

CANNOT_EVALUATE = lat2901_cannot_evaluate.INFO
ENVIRONMENT_UNKNOWN = lat2902_environment_unknown.INFO
INVALID_ACKNOWLEDGEMENT = lat2903_invalid_acknowledgement.INFO
INPUT_NOT_READ = lat2904_input_not_read.INFO

ENGINE_RULES: tuple[RuleInfo, ...] = (
    CANNOT_EVALUATE,
    ENVIRONMENT_UNKNOWN,
    INVALID_ACKNOWLEDGEMENT,
    INPUT_NOT_READ,
)


def all_rule_infos() -> dict[str, RuleInfo]:
    """Every rule the checker can report, by id, in id order."""
    infos = [r.info for r in RULES] + list(ENGINE_RULES)
    return {info.rule_id: info for info in sorted(infos, key=lambda i: i.rule_id)}

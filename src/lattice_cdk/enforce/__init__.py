"""Server-side enforcement: Lattice's knowledge compiled into AWS-native engines.

CloudFormation Guard rules for a Guard Hook (:func:`guard_rules`), the hook as a
plain CloudFormation template for a StackSet (:func:`hook_template`), and an AWS
Organizations backup policy equal to an environment's plan (:func:`org_backup_policy`).
Pure Python: no aws_cdk, no jsii (``LatticeGuardHook`` in ``lattice_cdk.cdk`` deploys
the hook from CDK).
"""

from __future__ import annotations

from ._guard_output import INDEX_FILE, read_index, rule_file_names, write_guard_rules
from ._guard_rules import TRANSLATED_RULES, StackRules, guard_rules
from ._hook_template import (
    HOOK_SERVICE_PRINCIPAL,
    HookSpec,
    hook_properties,
    hook_specs,
    hook_template,
    hook_template_text,
)
from ._org_backup import BACKUP_TAG, PlanRuleSpec, org_backup_policy, plan_rules

__all__ = [
    "BACKUP_TAG",
    "HOOK_SERVICE_PRINCIPAL",
    "INDEX_FILE",
    "TRANSLATED_RULES",
    "HookSpec",
    "PlanRuleSpec",
    "StackRules",
    "guard_rules",
    "hook_properties",
    "hook_specs",
    "hook_template",
    "hook_template_text",
    "org_backup_policy",
    "plan_rules",
    "read_index",
    "rule_file_names",
    "write_guard_rules",
]

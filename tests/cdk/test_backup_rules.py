"""One definition of the backup plan: the plan ``BackupManager`` synthesizes is
:func:`lattice_cdk._backup_plan.plan_rules`, the one ``lattice org-backup-policy``
writes."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from lattice_cdk import enforce
from lattice_cdk._backup_plan import PlanRuleSpec, dr_vault_name, plan_rules
from lattice_cdk._policy import create_statefulness_policy
from lattice_cdk.cdk import BackupManager, BackupRules
from tests.cdk.stacks import new_stack


def _specs_of(template: Template, plan_days: str = "") -> list[PlanRuleSpec]:
    """The synthesized plan's rules, read back as specs."""
    plans = template.find_resources("AWS::Backup::BackupPlan")
    (plan,) = [v for k, v in plans.items() if (f"Plan{plan_days}Days" in k) == bool(plan_days)]
    specs = []
    for rule in plan["Properties"]["BackupPlan"]["BackupPlanRule"]:
        life: dict[str, Any] = rule["Lifecycle"]
        # Copies to the disaster-recovery vault; the air-gapped vault's (a GetAtt of this
        # stack, docs/recovery.md) are not part of the organization-wide definition.
        copies = [
            c
            for c in rule.get("CopyActions", [])
            if "Fn::GetAtt" not in c["DestinationBackupVaultArn"]
        ]
        for copy in copies:  # a copy keeps its points as long as the rule does
            assert copy["Lifecycle"] == life
        specs.append(
            PlanRuleSpec(
                rule["RuleName"],
                rule["ScheduleExpression"],
                life["DeleteAfterDays"],
                life.get("MoveToColdStorageAfterDays"),
                continuous=rule.get("EnableContinuousBackup", False),
                copied=bool(copies),
            )
        )
    return specs


def test_enforce_uses_the_one_definition() -> None:
    assert enforce.plan_rules is plan_rules
    assert enforce.PlanRuleSpec is PlanRuleSpec


@pytest.mark.parametrize("environment", ["prod", "staging"])
def test_the_synthesized_plan_is_plan_rules(environment: str) -> None:
    # GIVEN a stack whose manager copies to a DR region (prod) or not (staging)
    stack = new_stack(env=cdk.Environment(account="111122223333", region="eu-west-1"))
    dr = {"dr_region": "eu-central-1"} if environment == "prod" else {}
    manager = BackupManager(stack, "Backup", environment=environment, **dr)
    manager.add_resource("arn:aws:dynamodb:eu-west-1:111122223333:table/legacy")
    # WHEN it synthesizes THEN its plan is the pure-Python definition, rule for rule
    policy = create_statefulness_policy(environment=environment)
    assert _specs_of(Template.from_stack(stack)) == list(plan_rules(policy))


def test_a_longer_daily_retention_plan_is_plan_rules_with_that_retention() -> None:
    stack = new_stack()
    manager = BackupManager(stack, "Backup", environment="prod")
    manager.add_resource("arn:aws:dynamodb:us-east-1:111122223333:table/audit", retention_days=90)
    policy = create_statefulness_policy(environment="prod")
    expected = list(plan_rules(policy, daily_days=90, copy=False))
    assert _specs_of(Template.from_stack(stack), "90") == expected
    # continuous backup keeps at most 35 days, whatever the daily rule keeps
    assert expected[-1] == PlanRuleSpec("Continuous", "cron(0 5 * * ? *)", 35, continuous=True)


def test_presets_read_their_schedule_from_the_definition() -> None:
    stack = new_stack()
    rules = [BackupRules.daily(7), BackupRules.weekly(), BackupRules.monthly()]
    cdk.aws_backup.BackupPlan(stack, "Plan", backup_plan_rules=rules)
    by_name = {s.name: s for s in _specs_of(Template.from_stack(stack))}
    assert by_name["Daily"] == PlanRuleSpec("Daily", "cron(0 5 * * ? *)", 7)
    assert by_name["Weekly"] == PlanRuleSpec("Weekly", "cron(0 5 ? * SAT *)", 365)
    assert by_name["Monthly"] == PlanRuleSpec("Monthly", "cron(0 5 1 * ? *)", 2555, 90)


def test_the_dr_vault_name_is_one_name() -> None:
    document = enforce.org_backup_policy(
        create_statefulness_policy(environment="prod"), regions=["us-east-1"], dr_region="r"
    )
    text = str(document)
    assert f"backup-vault:{dr_vault_name('prod')}" in text
    assert dr_vault_name("prod") == "lattice-dr-prod"

"""IAM policy statements -> what an Azure role can grant, statement by statement.

Each statement (inline, from an IAM role or policy resource, or expanded from a SAM policy template) is
read once: its actions are looked up in ``mappings/iam.yaml``, its resources resolved to template
resources (``arns.py``), and the result is a StatementPlan (disposition, rule, the Azure roles and scopes)
plus the role needs that ``grants.py`` turns into role assignments for each identity that uses it.
Whatever cannot be granted becomes a finding (LF5002-LF5016) that lists it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from translator.findings import Disposition
from translator.mapping.arns import ArnResolver, Resolved, flatten, render
from translator.mapping.context import Builder
from translator.plan import RoleGrantPlan, StatementPlan
from translator.values import Arr, GetAtt, Intrinsic, Join, Loc, Obj, Ref, Sub, intrinsic_label, loc_of

#: the rule of a statement that became role assignments as it was (the identity replaces the role)
CONVERTED_RULE = "LF1002"
_MANUAL_RULES = {"LF5002", "LF5003", "LF5004", "LF5006", "LF5007", "LF5011", "LF5014", "LF5015"}


@dataclass(frozen=True)
class Need:
    """A role one statement needs on one Azure resource."""

    scope: str
    role: str
    cosmos: bool
    condition: Any = None


@dataclass
class Analysis:
    """A translated statement: its plan and the role needs that follow from it."""

    plan: StatementPlan
    needs: list[Need] = field(default_factory=list)


@dataclass(frozen=True)
class _Action:
    """What one AWS action becomes: a role (with the capability it stands for), or a reason for none."""

    name: str  # as the table spells it
    role: str | None
    cosmos: bool = False
    capability: str | None = None
    disposition: str | None = None  # for actions with no role: approximated | manual
    reason: str | None = None


class _Problems:
    """The findings of one statement, one per rule, each listing what it is about."""

    def __init__(self) -> None:
        self.items: dict[str, list[str]] = {}
        self.disposition = Disposition.CONVERTED

    def add(self, rule: str, text: str, disposition: Disposition | None = None) -> None:
        entries = self.items.setdefault(rule, [])
        if text not in entries:
            entries.append(text)
        if disposition is None:
            disposition = Disposition.MANUAL if rule in _MANUAL_RULES else Disposition.APPROXIMATED
        if disposition.rank > self.disposition.rank:
            self.disposition = disposition

    def rule(self) -> str:
        if not self.items:
            return CONVERTED_RULE
        manual = sorted(r for r in self.items if r in _MANUAL_RULES)
        return manual[0] if manual and self.disposition is Disposition.MANUAL else sorted(self.items)[0]


_SUGGESTIONS = {
    "LF5003": "Grant the roles on the Azure resources the code actually uses.",
    "LF5004": "Grant the roles on the Azure resource that replaces it.",
    "LF5011": "Grant the role on the Azure resource that replaces it once it exists.",
}


class IamTranslator:
    """Reads statements against the IAM table; one per map_graph run."""

    def __init__(self, b: Builder) -> None:
        self.b = b
        table = b.tables.iam
        self.services: dict[str, Any] = table["services"]
        self.includes: dict[str, list[str]] = table["role_includes"]
        self.other_services: dict[str, str] = table["other_services"]
        self.managed: dict[str, Any] = table["managed_policies"]
        self.platform = [
            (str(p), str(entry["azure"])) for entry in table["platform"] for p in entry["actions"]
        ]
        self.resolver = ArnResolver(b.graph, self.services)
        self.by_aws_type = {t: name for name, spec in self.services.items() for t in spec["aws_types"]}
        self.actions: dict[str, dict[str, _Action]] = {}
        self.capabilities: dict[tuple[str, str], set[str]] = {}  # (service, role) -> capabilities
        for name, spec in self.services.items():
            actions: dict[str, _Action] = {}
            for entry in spec["roles"]:
                role, cosmos = str(entry["role"]), bool(entry.get("cosmos", False))
                self.capabilities[(name, role)] = set(entry.get("grants", {}))
                for capability, names in entry.get("grants", {}).items():
                    for action in names:
                        actions.setdefault(action.lower(), _Action(action, role, cosmos, capability))
                for action in entry.get("metadata", []):
                    actions.setdefault(action.lower(), _Action(action, role, cosmos))
            for action, why in spec.get("not_granted", {}).items():
                actions.setdefault(
                    action.lower(),
                    _Action(action, None, disposition=why["disposition"], reason=why["reason"]),
                )
            self.actions[name] = actions

    # ---- statements -----------------------------------------------------------------------------
    def statement(self, statement: Any, owner: str, default_loc: Loc | None) -> Analysis:
        """One statement of a policy document."""
        loc = loc_of(statement, default_loc)
        if not isinstance(statement, Obj):
            return self._unreadable(f"statement {text_of(statement)}", owner, loc)
        effect = statement.get("Effect", "Allow")
        action_key = "Action" if "Action" in statement else "NotAction"
        resource_key = "Resource" if "Resource" in statement else "NotResource"
        actions = statement.get(action_key)
        resources = statement.get(resource_key, "*")
        summary = f"{text_of(effect)} {list_text(actions)} on {list_text(resources)}"
        problems = _Problems()
        if not (isinstance(effect, str) and str(effect) in ("Allow", "Deny")):
            problems.add("LF5014", f"Effect {text_of(effect)} is not Allow or Deny")
            return self._finish(summary, problems, [], [], owner, loc)
        if str(effect) == "Deny" or action_key == "NotAction" or resource_key == "NotResource":
            what = "a Deny statement" if str(effect) == "Deny" else f"{action_key}/{resource_key}"
            problems.add("LF5007", f"{what} cannot be expressed with Azure role assignments")
            return self._finish(summary, problems, [], [], owner, loc)
        patterns = _strings(actions)
        values = list(resources) if isinstance(resources, Arr) else [resources]
        if patterns is None:
            problems.add("LF5014", f"Action {list_text(actions)} is not a list of action names")
            return self._finish(summary, problems, [], [], owner, loc)
        needs, grants = self._grants(patterns, values, problems)
        if "Condition" in statement and needs:
            problems.add("LF5008", "its Condition is not applied to the role assignments")
        return self._finish(summary, problems, needs, grants, owner, loc)

    def template(self, name: str, params: Any, owner: str, loc: Loc | None) -> Analysis:
        """A SAM policy template such as ``SQSPollerPolicy: {QueueName: !GetAtt Q.QueueName}``."""
        summary = f"SAM policy template {name} {text_of(params)}"
        problems = _Problems()
        spec = self.b.tables.sam_policy_templates["templates"].get(name)
        if spec is None:
            problems.add("LF5015", f"'{name}' is not a SAM policy template this tool knows")
            return self._finish(summary, problems, [], [], owner, loc)
        values = params if isinstance(params, Obj) else Obj()
        missing = [p for p in spec["parameters"] if p not in values]
        if missing:
            problems.add("LF5015", f"parameter {', '.join(missing)} is missing")
            return self._finish(summary, problems, [], [], owner, loc)
        needs: list[Need] = []
        grants: list[RoleGrantPlan] = []
        for entry in spec["statements"]:
            arns = [_instantiate(pattern, values) for pattern in entry["resources"]]
            more_needs, more_grants = self._grants(list(entry["actions"]), arns, problems)
            if entry.get("conditional") and more_needs:
                problems.add("LF5008", "the template's Condition is not applied to the role assignments")
            needs += more_needs
            grants += more_grants
        return self._finish(summary, problems, needs, grants, owner, loc)

    def managed_policy(self, value: Any, owner: str, loc: Loc | None) -> Analysis:
        """An AWS managed policy given by name or ARN (not a policy of this template)."""
        name = policy_name(value)
        summary = f"managed policy {name}"
        problems = _Problems()
        known = self.managed.get(name)
        if known is not None and known["disposition"] == "manual":
            problems.add("LF5006", f"AWS managed policy {name} grants on whole services: {known['azure']}")
            return self._finish(summary, problems, [], [], owner, loc)
        if known is not None:
            problems_disposition = Disposition(known["disposition"])
            plan = StatementPlan(
                f"{summary} ({known['azure']})", problems_disposition, CONVERTED_RULE, loc, ()
            )
            return Analysis(plan)
        problems.add(
            "LF5006", f"AWS managed policy {name} grants on whole services; no role is granted for it"
        )
        return self._finish(summary, problems, [], [], owner, loc)

    def connector(
        self,
        name: str,
        permissions: Any,
        destination: Any,
        destination_type: str | None,
        owner: str,
        loc: Loc | None,
    ) -> Analysis:
        """A SAM connector from a function: its Read/Write permissions on the destination."""
        summary = f"connector {name}: {list_text(permissions)} on {text_of(destination)}"
        problems = _Problems()
        profile = self.b.tables.iam["connectors"].get(destination_type or "")
        granted = [str(p) for p in permissions] if isinstance(permissions, Arr) else []
        if profile is None:
            problems.add(
                "LF5002", f"connector access to {destination_type or 'this destination'} has no Azure role"
            )
            return self._finish(summary, problems, [], [], owner, loc)
        unknown = [p for p in granted if p not in profile]
        if unknown or not granted:
            problems.add("LF5014", f"Permissions {list_text(permissions)} are not Read or Write")
        actions = [action for p in granted if p in profile for action in profile[p]]
        needs, grants = self._grants(actions, [destination], problems) if actions else ([], [])
        return self._finish(summary, problems, needs, grants, owner, loc)

    def unreadable(self, summary: str, owner: str, loc: Loc | None, why: str | None = None) -> Analysis:
        return self._unreadable(summary, owner, loc, why)

    def _unreadable(self, summary: str, owner: str, loc: Loc | None, why: str | None = None) -> Analysis:
        problems = _Problems()
        problems.add("LF5014", why or "it is not a policy document, policy name or SAM policy template")
        return self._finish(summary, problems, [], [], owner, loc)

    def _finish(
        self,
        summary: str,
        problems: _Problems,
        needs: list[Need],
        grants: list[RoleGrantPlan],
        owner: str,
        loc: Loc | None,
    ) -> Analysis:
        for rule, texts in sorted(problems.items.items()):
            self.b.finding(rule, f"{summary}: {'; '.join(texts)}", loc, owner, _SUGGESTIONS.get(rule))
        unique_grants = tuple(dict.fromkeys(grants))
        plan = StatementPlan(summary, problems.disposition, problems.rule(), loc, unique_grants)
        return Analysis(plan, list(dict.fromkeys(needs)))

    # ---- actions x resources ----------------------------------------------------------------------
    def _grants(
        self, patterns: list[str], values: list[Any], problems: _Problems
    ) -> tuple[list[Need], list[RoleGrantPlan]]:
        grantable = self._classify(patterns, problems)
        needs: list[Need] = []
        grants: list[RoleGrantPlan] = []
        for value in values:
            resolved = self.resolver.resolve(value)
            if resolved.kind == "resource":
                self._on_resource(resolved, patterns, problems, needs, grants)
                continue
            services = [resolved.service] if resolved.service else sorted(grantable)
            roles = sorted({role for s in services for role in grantable.get(s, ())} - {"every role"})
            if "*" in grantable:
                roles = ["every action (administrator access)"]
            if not roles:
                continue  # only platform or non-grantable actions: nothing to scope
            if resolved.kind == "wildcard":
                problems.add("LF5003", f"{resolved.text} is not granted (it would need {', '.join(roles)})")
            elif resolved.kind == "unreadable":
                problems.add("LF5014", f"Resource {resolved.text} is not an ARN")
            else:
                problems.add(
                    "LF5004",
                    f"{resolved.text} is not a resource of this template; grant {', '.join(roles)} on its "
                    "Azure counterpart",
                )
        return needs, grants

    def _classify(self, patterns: list[str], problems: _Problems) -> dict[str, set[str]]:
        """Report actions with no Azure counterpart; return service -> roles the grantable actions need."""
        grantable: dict[str, set[str]] = {}
        unmatched: dict[str, list[str]] = {}
        for pattern in patterns:
            if pattern == "*":
                grantable.setdefault("*", set()).add("every role")
                continue
            service, _, action = pattern.lower().partition(":")
            if self._platform(pattern.lower()):
                continue
            matched = False
            explicit = "*" not in pattern and "?" not in pattern
            for name in self.services:
                if not fnmatchcase(name, service):
                    continue
                for key, info in self.actions[name].items():
                    if not fnmatchcase(key, action):
                        continue
                    matched = True
                    if info.role and info.capability:  # metadata alone needs no role on a wildcard
                        grantable.setdefault(name, set()).add(info.role)
                    elif info.role is None and explicit:
                        self._not_granted(name, info, problems)
            if not matched:
                unmatched.setdefault(service, []).append(pattern)
        for service, names in unmatched.items():  # one text per service keeps long statements readable
            listed = ", ".join(names)
            if service in self.services:
                problems.add("LF5002", f"{listed}: not an action this tool knows for {service}")
            elif service in self.other_services:
                problems.add("LF5002", f"{listed}: {self.other_services[service]}")
            else:
                problems.add("LF5002", f"{listed}: no Azure counterpart in this translation")
        return grantable

    @staticmethod
    def _not_granted(service: str, info: _Action, problems: _Problems) -> None:
        disposition = Disposition(str(info.disposition))
        rule = "LF5002" if disposition is Disposition.MANUAL else "LF5016"
        problems.add(rule, f"{service}:{info.name}: {info.reason}", disposition)

    def _platform(self, pattern: str) -> str | None:
        for action, azure in self.platform:
            if fnmatchcase(action, pattern) or fnmatchcase(pattern, action):
                return azure
        return None

    def _on_resource(
        self,
        resolved: Resolved,
        patterns: list[str],
        problems: _Problems,
        needs: list[Need],
        grants: list[RoleGrantPlan],
    ) -> None:
        lid = str(resolved.logical_id)
        resource = self.b.graph.resource(lid)
        service = self.by_aws_type.get(resource.type) if resource is not None else None
        if service is None:
            return  # actions on it were reported by service (lambda:InvokeFunction, states:...)
        wanted: dict[str, bool] = {}  # role -> cosmos
        asked: set[str] = set()  # capabilities the statement asks for
        for pattern in patterns:
            p_service, _, p_action = pattern.lower().partition(":") if pattern != "*" else (service, "", "*")
            if not fnmatchcase(service, p_service):
                continue
            wildcard = "*" in p_action or "?" in p_action
            left_out: list[str] = []
            for key, info in self.actions[service].items():
                if not fnmatchcase(key, p_action):
                    continue
                if info.role is not None:
                    wanted[info.role] = info.cosmos
                    if info.capability:
                        asked.add(info.capability)
                elif wildcard:
                    left_out.append(info.name)
                else:
                    self._not_granted(service, info, problems)
            if left_out:
                problems.add(
                    "LF5016",
                    f"{pattern} also covers management actions that get no role: {', '.join(sorted(left_out))}",
                )
        if not wanted:
            return
        roles = [r for r in wanted if not any(r in self.includes.get(o, ()) for o in wanted if o != r)]
        target = self.b.targets.get(lid)
        spec = self.services[service]
        if target is None or target.azure_type not in spec["azure_types"]:
            problems.add(
                "LF5011",
                f"{lid} ({resource.type}) has no Azure counterpart in this translation; it needs "  # type: ignore[union-attr]
                f"{', '.join(sorted(roles))}",
            )
            return
        condition = self.b.resource(target.symbol).condition if self.b.resource(target.symbol) else None
        for role in sorted(roles):
            covered = {role, *self.includes.get(role, ())}
            offered = set().union(*(self.capabilities.get((service, r), set()) for r in covered))
            extra = sorted(offered - asked)
            if extra:
                problems.add("LF5005", f"{role} on {lid} also allows: {', '.join(extra)}")
            cosmos = wanted[role]
            role_id = self.b.tables.cosmos_role_id(role) if cosmos else self.b.tables.role_id(role)
            needs.append(Need(target.symbol, role, cosmos, condition))
            grants.append(RoleGrantPlan(role, role_id, target.symbol, cosmos))


def _strings(value: Any) -> list[str] | None:
    items = list(value) if isinstance(value, Arr) else [value]
    if not items or not all(isinstance(item, str) for item in items):
        return None
    return [str(item) for item in items]


def _instantiate(pattern: str, params: Obj) -> Any:
    """A SAM template's ARN pattern with the parameter values put in: a Sub tree, or plain text."""
    parts: list[Any] = []
    for index, piece in enumerate(re.split(r"\$\{([^}]+)\}", pattern)):
        if index % 2 == 0:
            parts.append(piece)
        elif piece.startswith("AWS::"):
            parts.append(Ref(piece))
        else:
            value = params[piece]
            parts += list(value.parts) if isinstance(value, Sub) else [value]
    if all(isinstance(p, str) for p in parts):
        return "".join(parts)
    return Sub(tuple(parts))


def policy_name(value: Any) -> str:
    """The name of a managed policy given by name, ARN or an ARN built with Fn::Sub."""
    if isinstance(value, (Sub, Join, str)):
        text = render(flatten(value) or [])
        return text.rsplit("/", 1)[-1] if text.startswith("arn:") else text
    return text_of(value)


def list_text(value: Any) -> str:
    items = value if isinstance(value, Arr) else (value,)
    return ", ".join(text_of(item) for item in items)


def text_of(value: Any) -> str:
    """A short human rendering of a value for a summary (references by logical id, never raw trees)."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Ref):
        return value.target
    if isinstance(value, GetAtt):
        return f"{value.resource}.{value.attribute}" if isinstance(value.attribute, str) else value.resource
    if isinstance(value, Sub):
        return "".join(p if isinstance(p, str) else "${" + text_of(p) + "}" for p in value.parts)
    if isinstance(value, Intrinsic):
        return f"<{intrinsic_label(value)}>"
    if isinstance(value, Obj):
        return "{" + ", ".join(f"{k}: {text_of(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Arr):
        return "[" + list_text(value) + "]"
    return str(value)

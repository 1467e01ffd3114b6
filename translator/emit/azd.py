"""azure.yaml, so that ``azd up`` provisions infra/ and deploys each app from src/<app>."""

from __future__ import annotations

import yaml

from translator.plan import AppPlan, AzurePlan


def render_azure_yaml(plan: AzurePlan) -> str:
    document = {
        "name": plan.name,
        "metadata": {"template": "lambda2func"},
        "infra": {"provider": "bicep", "path": "infra", "module": "main"},
        "services": {
            app.name: {"project": f"./src/{app.name}", "language": app.azd_language, "host": "function"}
            for app in plan.apps
        },
    }
    text = yaml.safe_dump(document, sort_keys=False, default_flow_style=False)
    notes = {f"  {app.name}:": _condition_note(app) for app in plan.apps if app.condition}
    if not notes:
        return text
    lines = []
    for line in text.splitlines(keepends=True):
        lines += notes.get(line.rstrip("\n"), [])
        lines.append(line)
    return "".join(lines)


def _condition_note(app: AppPlan) -> list[str]:
    """azd has no per-service condition: say by the service when azd deploy cannot find its app (LF4021)."""
    condition = " ".join(str(app.condition).split())
    return [
        f"  # LF4021: deployed only when {condition} (infra/main.bicep) is true. When it is false, azd up and\n",
        f"  # azd deploy stop at this service (no resource tagged azd-service-name: {app.name}); run\n",
        "  # azd provision, then azd deploy <service> for each deployed service.\n",
    ]

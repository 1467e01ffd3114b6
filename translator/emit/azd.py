"""azure.yaml, so that ``azd up`` provisions infra/ and deploys each app from src/<app>."""

from __future__ import annotations

import yaml

from translator.plan import AzurePlan


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
    return yaml.safe_dump(document, sort_keys=False, default_flow_style=False)

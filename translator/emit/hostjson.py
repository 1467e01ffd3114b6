"""host.json for each function app (schema version 2.0)."""

from __future__ import annotations

import json

from translator.plan import AppPlan


def render_host_json(app: AppPlan) -> str:
    return json.dumps(app.host_json, indent=2) + "\n"

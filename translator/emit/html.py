"""migration-report.html: the mapping report for people, in one self-contained file.

The page works offline and loads nothing: CSS and JS are inline, the two diagrams are inline SVG drawn
here, and there is no URL at all (so a report opened from a CI artifact cannot leak or break). Every
string from the input goes through ``html.escape``; the script only sorts and filters table rows and
never turns text into markup.

Diagrams use a deterministic layered layout: one column per kind of node, rows sorted by name, edges as
curves. The AWS diagram shows input resources and functions with the dependencies the migration plan
found (store -> consumer, function -> store, caller -> callee); the Azure one shows the function apps,
the Azure resources that trigger them and the resources their identities are granted roles on.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from translator import __version__
from translator.bicep import identifiers
from translator.emit.report import live_source_line, report_data
from translator.plan import AzurePlan, AzureResource

#: larger graphs are cut to this many nodes (functions first), with a note saying how many were left out
MAX_NODES = 60
_COL_W, _NODE_W, _NODE_H, _ROW_H, _TOP = 270, 220, 30, 42, 34


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _prose(value: Any) -> str:
    """Text the tool wrote (checklists, notes): escaped, and its `command` spans shown as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", _e(value))


# ---- diagrams ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Node:
    id: str
    label: str
    sub: str  # a second, smaller line (the type)
    column: int
    css: str


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(
    title: str,
    columns: Sequence[str],
    nodes: Sequence[_Node],
    edges: Iterable[tuple[str, str, str]],
    css_id: str,
) -> str:
    """A layered diagram: ``columns`` headings, nodes stacked per column by name, curved edges."""
    nodes = sorted(nodes, key=lambda n: (n.column, n.label.lower(), n.id))
    dropped = max(0, len(nodes) - MAX_NODES)
    if dropped:  # keep the middle column (functions / apps) first: it is what the diagram is about
        nodes = sorted(nodes, key=lambda n: (n.column != 1, n.column, n.label.lower()))[:MAX_NODES]
        nodes = sorted(nodes, key=lambda n: (n.column, n.label.lower(), n.id))
    pos: dict[str, tuple[int, int]] = {}
    rows = [0] * len(columns)
    for n in nodes:
        pos[n.id] = (20 + n.column * _COL_W, _TOP + rows[n.column] * _ROW_H)
        rows[n.column] += 1
    width = 20 + len(columns) * _COL_W
    height = _TOP + max([*rows, 1]) * _ROW_H + 10
    parts = [
        f'<svg id="{_e(css_id)}" class="diagram" role="img" aria-label="{_e(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{_e(title)}</title>",
        '<defs><marker id="arrow-' + _e(css_id) + '" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>',
    ]
    for i, heading in enumerate(columns):
        parts.append(f'<text class="colhead" x="{20 + i * _COL_W}" y="18">{_e(heading)}</text>')
    for a, b, label in sorted(set(edges)):
        if a not in pos or b not in pos or a == b:
            continue
        (x1, y1), (x2, y2) = pos[a], pos[b]
        y1, y2 = y1 + _NODE_H // 2, y2 + _NODE_H // 2
        if x2 > x1:
            sx, tx = x1 + _NODE_W, x2
        elif x2 < x1:
            sx, tx = x1, x2 + _NODE_W
        else:  # same column: loop out on the right
            sx, tx = x1 + _NODE_W, x2 + _NODE_W
        bend = max(40, abs(tx - sx) // 2)
        c1 = sx + (bend if x2 >= x1 else -bend)
        c2 = tx - (bend if x2 > x1 else -bend)
        parts.append(
            f'<path class="edge" d="M{sx},{y1} C{c1},{y1} {c2},{y2} {tx},{y2}" '
            f'marker-end="url(#arrow-{_e(css_id)})"><title>{_e(a)} → {_e(b)}: {_e(label)}</title></path>'
        )
    for n in nodes:
        x, y = pos[n.id]
        parts.append(
            f'<g class="node {_e(n.css)}" data-id="{_e(n.id)}"><title>{_e(n.label)} ({_e(n.sub)})</title>'
            f'<rect x="{x}" y="{y}" width="{_NODE_W}" height="{_NODE_H}" rx="5"/>'
            f'<text x="{x + 8}" y="{y + 13}">{_e(_short(n.label))}</text>'
            f'<text class="sub" x="{x + 8}" y="{y + 25}">{_e(_short(n.sub, 36))}</text></g>'
        )
    parts.append("</svg>")
    note = (
        f'<p class="note">{dropped} more nodes are not drawn; the tables list every one.</p>'
        if dropped
        else ""
    )
    return "".join(parts) + note


def aws_diagram(data: dict[str, Any], css_id: str) -> str:
    """Input resources and functions; edges are the migration plan's dependencies."""
    functions = {f["logicalId"] for f in data["functions"]}
    deps = (data.get("migrationPlan") or {}).get("dependencies", [])
    consumed = {d["from"] for d in deps if d["kind"] == "triggers"}
    used = {d["to"] for d in deps if d["kind"] == "uses"}
    nodes = []
    for r in data["resources"]:
        lid = r["logicalId"]
        if lid in functions:
            column, css = 1, "fn"
        elif lid in consumed:
            column, css = 0, "store"
        elif lid in used:
            column, css = 2, "store"
        else:
            column, css = 3, "other"
        nodes.append(_Node(lid, lid, r["type"], column, css))
    edges = [(d["from"], d["to"], d["kind"]) for d in deps]
    columns = ("Event sources", "Lambda functions", "Used by functions", "Other resources")
    return _svg("AWS source: resources, functions and their dependencies", columns, nodes, edges, css_id)


def azure_graph(plan: AzurePlan) -> tuple[list[_Node], list[tuple[str, str, str]]]:
    by_symbol = {r.symbol: r for r in plan.resources}
    sites = {a.site_symbol: a for a in plan.apps}
    identity_app: dict[str, str] = {}
    for symbol in sites:
        for ident in identifiers(by_symbol[symbol].body.get("identity")):
            identity_app[ident] = symbol
    edges: list[tuple[str, str, str]] = []
    # triggers: the Azure resource a consumed store became -> the app of the consuming function
    app_of = {f.logical_id: a.site_symbol for a in plan.apps for f in plan.functions if f.app == a.name}
    deps = plan.migration.dependencies if plan.migration else ()
    for store, fn, kind in deps:
        if kind == "triggers" and fn in app_of:
            for r in plan.resources:
                if store in r.sources and not r.type.lower().endswith(
                    ("roleassignments", "eventsubscriptions")
                ):
                    edges.append((r.symbol, app_of[fn], "triggers"))
                    break
    for r in plan.resources:
        # Azure RBAC (roleAssignments) and Cosmos DB data-plane roles (sqlRoleAssignments)
        if not r.type.lower().endswith("roleassignments"):
            continue
        properties = r.body.get("properties") or {}
        principal = properties.get("principalId")
        apps = [identity_app[i] for i in identifiers(principal) if i in identity_app]
        # a Cosmos DB assignment names account, database and container in properties.scope: the last
        # one is what it grants on
        data_scope = [i for i in identifiers(properties.get("scope")) if i in by_symbol]
        scope = (
            (data_scope[-1] if data_scope else None)
            or next(iter(identifiers(r.body.get("scope"))), None)
            or next(iter(identifiers(r.body.get("parent"))), None)
        )
        role = (r.comment or "role").split(" for ")[0].split(" on container ")[0]
        if apps and scope in by_symbol:
            edges.append((apps[0], scope, role))
    sources = {a for a, b, k in edges if k == "triggers"}
    nodes = []
    for symbol in sorted({s for e in edges for s in e[:2]} | set(sites)):
        resource: AzureResource = by_symbol[symbol]
        if symbol in sites:
            column, css, label = 1, "fn", sites[symbol].name
        elif symbol in sources:
            column, css, label = 0, "store", symbol
        else:
            column, css, label = 2, "other", symbol
        nodes.append(_Node(symbol, label, resource.type, column, css))
    return nodes, edges


def azure_diagram(plan: AzurePlan, css_id: str) -> str:
    nodes, edges = azure_graph(plan)
    columns = ("Trigger sources", "Function apps (Flex Consumption)", "Granted roles on")
    return _svg(
        "Azure target: function apps, trigger sources and role assignments", columns, nodes, edges, css_id
    )


# ---- page ----------------------------------------------------------------------------------------------
def _table(
    table_id: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], caption: str, filtered: bool = True
) -> str:
    head = "".join(f'<th scope="col" tabindex="0">{_e(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    box = (
        f'<label>Filter {_e(caption)}: <input type="search" class="filter" data-table="{_e(table_id)}" '
        'placeholder="type to filter"></label>'
        if filtered
        else ""
    )
    return (
        f'<div class="tablebox">{box}'
        f'<table id="{_e(table_id)}" class="sortable"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _summary(data: dict[str, Any]) -> str:
    s = data["summary"]
    cards = [
        ("Input resources", s["resources"]),
        ("Functions", s["functions"]),
        ("Function apps", s["functionApps"]),
        ("Azure resources", s["azureResources"]),
        *((f"Resources {d}", n) for d, n in s["dispositions"].items()),
        *((f"Findings: {k}", n) for k, n in s["findings"].items()),
    ]
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card"><span class="num">{_e(n)}</span><span>{_e(label)}</span></div>'
            for label, n in cards
        )
        + "</div>"
    )


_STEP = {"deploy": "Deploy", "test": "Test", "cutover": "Cut over", "monitor": "Monitor"}


def _migration(m: dict[str, Any], key: str) -> str:
    pre = m["prerequisites"]
    quota = pre["quota"]
    out = [f"<p>{_e(m['orderingRule'])}</p>", "<h3>Prerequisites</h3><ul>"]
    out += [f"<li>{_prose(n)}</li>" for n in pre["notes"]]
    out.append("</ul>")
    rows = [
        (a["app"], f"{a['instanceMemoryMB']} MB", a["maximumInstanceCount"], f"{a['memoryMB']:,} MB")
        for a in quota["apps"]
    ]
    verdict = "within the quota" if quota["within"] else "OVER the quota"
    rows.append(
        (f"Total ({verdict} of {quota['limitMB']:,} MB per region)", "", "", f"{quota['totalMB']:,} MB")
    )
    out.append(
        _table(
            f"{key}-quota",
            ("App", "Instance memory", "Maximum instances", "Memory at maximum"),
            rows,
            "quota",
            False,
        )
    )
    out.append(
        _table(
            f"{key}-types",
            ("Azure resource type to provision", "Count"),
            [(t["type"], t["count"]) for t in pre["resourceTypes"]],
            "resource types",
            False,
        )
    )
    for w in m["waves"]:
        items = "".join(
            f'<li><label><input type="checkbox"> <b>{_e(_STEP[c["step"]])}</b>: {_prose(c["text"])}</label></li>'
            for c in w["checklist"]
        )
        shared = f"<p>Shared AWS resources: {_e(', '.join(w['shared']))}</p>" if w["shared"] else ""
        out.append(
            f'<details class="wave" open><summary>Wave {_e(w["number"])}: {_e(", ".join(w["functions"]))} '
            f'<span class="pill">{_e(format(w["effort"], "g"))} points</span></summary>'
            f"<p>Why together: {_e(w['reason'])}.</p>{shared}"
            f"<p>Function apps: {_e(', '.join(w['apps']))}</p><ul class='checklist'>{items}</ul></details>"
        )
    out.append("<h3>Effort</h3>")
    out.append(f"<p>Points per function = {_e(m['effortFormula'])}.</p>")
    out.append(
        _table(
            f"{key}-effort",
            ("Function", "Points", "Breakdown"),
            [
                (
                    e["function"],
                    format(e["points"], "g"),
                    ", ".join(f"{b['term']}: {format(b['points'], 'g')}" for b in e["breakdown"]),
                )
                for e in m["effort"]
            ],
            "effort",
        )
    )
    return "".join(out)


def _template_section(plan: AzurePlan, ignore: Sequence[str], key: str, titled: bool) -> str:
    data = report_data(plan, ignore)
    h2 = "h2"
    # one template: the page header already names it
    heading = f"<h2>Template: {_e(plan.name)}</h2>" if titled else ""
    parts = [
        f'<section id="{_e(key)}">{heading}',
        f'<p class="meta">Source: <code>{_e(plan.source_file)}</code> ({_e(plan.source_format)})</p>',
        *([f'<p class="meta">{_e(live_source_line(plan.provenance))}</p>'] if plan.provenance else []),
        f"<{h2}>Summary</{h2}>",
        _summary(data),
    ]
    parts += [
        f"<{h2}>Diagrams</{h2}>",
        '<div class="diagrams"><figure>',
        aws_diagram(data, f"{key}-aws"),
        "<figcaption>AWS source</figcaption></figure><figure>",
        azure_diagram(plan, f"{key}-azure"),
        "<figcaption>Azure target</figcaption></figure></div>",
    ]
    if "migrationPlan" in data:
        parts += [f"<{h2}>Migration plan</{h2}>", _migration(data["migrationPlan"], key)]
    parts += [
        f"<{h2}>Function apps</{h2}>",
        _table(
            f"{key}-apps",
            ("App", "Runtime", "Instance memory", "Functions", "Why grouped"),
            [
                (
                    a["name"],
                    f"{a['runtime']['name']} {a['runtime']['version']}".strip() or "to choose",
                    f"{a['instanceMemoryMB']} MB",
                    ", ".join(a["functions"]),
                    a["groupingReason"],
                )
                for a in data["functionApps"]
            ],
            "apps",
        ),
        f"<{h2}>Resources</{h2}>",
        _table(
            f"{key}-resources",
            ("Logical id", "Type", "Source", "Disposition", "Azure resources", "Findings"),
            [
                (
                    r["logicalId"],
                    r["type"],
                    f"{r['source']['file']}:{r['source']['line']}" if r["source"] else "",
                    r["disposition"],
                    ", ".join(r["targets"]),
                    len(r["findings"]),
                )
                for r in data["resources"]
            ],
            "resources",
        ),
        f"<{h2}>Findings</{h2}>",
        _table(
            f"{key}-findings",
            ("Rule", "Severity", "Location", "Resource", "Message", "Suggestion"),
            [
                (
                    f["rule"],
                    f["severity"] + (", suppressed" if f["suppressed"] else ""),
                    f"{f['location']['file']}:{f['location']['line']}" if f["location"] else "",
                    f["resource"] or "",
                    f["message"],
                    f["suggestion"] or "",
                )
                for f in data["findings"]
            ],
            "findings",
        ),
        "</section>",
    ]
    return "".join(parts)


_CSS = """
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;--accent:#0969da;
--fn:#ddf4ff;--fnb:#54aeff;--store:#fff8c5;--storeb:#d4a72c;--other:#f6f8fa;--otherb:#afb8c1}
*{box-sizing:border-box}body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;
color:var(--fg);background:var(--bg)}header{background:#24292f;color:#fff;padding:16px 28px}
header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#d0d7de}main{padding:8px 28px 40px;max-width:1500px}
nav{margin:12px 0}nav a{margin-right:14px;color:var(--accent);text-decoration:none}
h1,h2,h3{line-height:1.25}h2{border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:28px}
code{background:var(--soft);padding:1px 4px;border-radius:4px}.meta{color:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:8px}.card{border:1px solid var(--line);border-radius:6px;
padding:8px 12px;min-width:120px;background:var(--soft)}.card .num{display:block;font-size:20px;font-weight:600}
.card span:last-child{color:var(--muted);font-size:12px}
.tablebox{margin:10px 0 18px;overflow-x:auto}.tablebox label{display:block;margin-bottom:6px;color:var(--muted)}
.filter{margin-left:6px;padding:3px 6px;border:1px solid var(--line);border-radius:4px;width:260px}
table{border-collapse:collapse;width:100%}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;
vertical-align:top}th{background:var(--soft);cursor:pointer;user-select:none;white-space:nowrap}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
tbody tr:nth-child(even){background:#fbfcfd}td{word-break:break-word}
details.wave{border:1px solid var(--line);border-radius:6px;padding:6px 12px;margin:10px 0}
details.wave summary{font-weight:600;cursor:pointer}.pill{background:var(--fn);border:1px solid var(--fnb);
border-radius:10px;padding:0 8px;font-size:12px;margin-left:6px}ul.checklist{list-style:none;padding-left:4px}
ul.checklist li{margin:3px 0}.diagrams{display:flex;flex-direction:column;gap:16px}
figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:10px;overflow-x:auto;background:#fff}
figcaption{color:var(--muted);font-size:12px}svg.diagram text{font-size:12px;fill:var(--fg)}
svg.diagram text.sub{font-size:10px;fill:var(--muted)}svg.diagram text.colhead{font-weight:600;fill:var(--muted)}
.node rect{stroke-width:1.2}.node.fn rect{fill:var(--fn);stroke:var(--fnb)}
.node.store rect{fill:var(--store);stroke:var(--storeb)}.node.other rect{fill:var(--other);stroke:var(--otherb)}
.edge{fill:none;stroke:#8c959f;stroke-width:1.3}.arrowhead{fill:#8c959f}.note{color:var(--muted)}
footer{color:var(--muted);padding:0 28px 24px}
"""

# Sorting compares numbers as numbers; filtering hides rows whose text does not contain every word.
# Only textContent is read and hidden flags are set: the script never builds markup from report text.
_JS = """
(function(){
function cellValue(row,i){var t=row.cells[i]?row.cells[i].textContent.trim():"";
var n=parseFloat(t.replace(/,/g,""));return isNaN(n)||!/^[-\\d.,]+( MB)?$/.test(t)?t.toLowerCase():n;}
document.querySelectorAll("table.sortable").forEach(function(table){
table.querySelectorAll("th").forEach(function(th,i){function sort(){
var asc=th.getAttribute("aria-sort")!=="ascending";
table.querySelectorAll("th").forEach(function(o){o.removeAttribute("aria-sort");});
th.setAttribute("aria-sort",asc?"ascending":"descending");
var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
rows.sort(function(a,b){var x=cellValue(a,i),y=cellValue(b,i);
if(typeof x!==typeof y){x=String(x);y=String(y);}return (x<y?-1:x>y?1:0)*(asc?1:-1);});
rows.forEach(function(r){body.appendChild(r);});}
th.addEventListener("click",sort);th.addEventListener("keydown",function(e){if(e.key==="Enter")sort();});});});
document.querySelectorAll("input.filter").forEach(function(input){input.addEventListener("input",function(){
var table=document.getElementById(input.getAttribute("data-table"));
var words=input.value.toLowerCase().split(/\\s+/).filter(Boolean);
Array.prototype.forEach.call(table.tBodies[0].rows,function(row){var text=row.textContent.toLowerCase();
row.hidden=!words.every(function(w){return text.indexOf(w)>=0;});});});});
})();
"""


def render_html(plans: Sequence[AzurePlan], ignore: Sequence[str] = ()) -> str:
    """One page; several templates get an overview and one section each."""
    single = len(plans) == 1
    title = (
        f"Migration report: {plans[0].name}" if single else f"Migration assessment: {len(plans)} templates"
    )
    keys = [f"t{i + 1}" for i in range(len(plans))]
    nav = ""
    if not single:
        nav = (
            "<nav>"
            + "".join(f'<a href="#{k}">{_e(p.name)}</a>' for k, p in zip(keys, plans, strict=True))
            + "</nav>"
        )
    sections = "".join(_template_section(p, ignore, k, not single) for k, p in zip(keys, plans, strict=True))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{_e(title)}</h1><p>AWS Lambda to Azure Functions (Flex Consumption), generated by "
        f"lambda2func {_e(__version__)}</p></header><main>{nav}{sections}</main>"
        "<footer>Rule descriptions: docs/rules.md in the lambda2func repository (lambda2func rules).</footer>"
        f"<script>{_JS}</script></body></html>\n"
    )

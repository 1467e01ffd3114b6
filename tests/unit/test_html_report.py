"""migration-report.html: self-contained, escaped, and rendered by a real browser (headless Chromium)."""

from __future__ import annotations

import re
import struct
import subprocess
import zlib
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from translator.api import convert
from translator.emit.html import render_html
from translator.plan import InventoryEntry

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is absent (apt-get install -y --no-install-recommends chromium; .ci/run does)",
)


def _orders_page() -> str:
    return convert(
        PROJECT / "samples/orders-api/template.yaml", display_name="samples/orders-api/template.yaml"
    ).files["migration-report.html"]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href", "action", "poster")]


def test_page_loads_nothing_from_outside() -> None:
    page = _orders_page()
    parser = _Links()
    parser.feed(page)
    assert all(link.startswith(("#", "data:")) for link in parser.links), parser.links
    assert "@import" not in page
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", page)
    assert "http://" not in page and "https://" not in page
    assert not {"link", "img", "iframe", "object", "embed"} & set(parser.tags)


def test_every_input_string_is_escaped() -> None:
    result = convert(PROJECT / "samples/orders-api/template.yaml")
    evil = "<script>alert(1)</script>&\"'"
    entry = result.plan.inventory[0]
    poisoned = replace(
        result.plan,
        name=evil,
        inventory=(
            InventoryEntry(evil, evil, entry.loc, entry.disposition, (evil,), ()),
            *result.plan.inventory[1:],
        ),
    )
    page = render_html([poisoned])
    assert "<script>alert" not in page
    assert page.count("<script>") == 1  # the page's own script only
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#x27;" in page


def test_several_templates_one_section_each() -> None:
    plans = [
        convert(PROJECT / p).plan
        for p in ("samples/orders-api/template.yaml", "samples/image-pipeline/template.json")
    ]
    page = render_html(plans)
    assert page.count("<section id=") == 2 and 'href="#t2"' in page
    assert page.count('<svg id="') == 4


def _png_colours(path: Path) -> int:
    """Distinct colours of an 8-bit RGB/RGBA PNG, decoded here (zlib + the five row filters)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour_type = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour_type in (2, 6)
    bpp = 3 if colour_type == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    previous, colours = bytearray(stride), set()
    for y in range(height):
        start = y * (stride + 1)
        kind, row = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = row[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                row[i] = (row[i] + a) & 255
            elif kind == 2:
                row[i] = (row[i] + b) & 255
            elif kind == 3:
                row[i] = (row[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if y % 4 == 0:  # every fourth row is plenty to tell a page from a blank
            colours |= {bytes(row[i : i + 3]) for i in range(0, stride, bpp * 2)}
        previous = row
    return len(colours)


@needs_chromium
def test_chromium_renders_the_page(tmp_path: Path) -> None:
    page = tmp_path / "migration-report.html"
    page.write_text(_orders_page(), encoding="utf-8")
    shot = tmp_path / "shot.png"
    common = [str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    subprocess.run(
        [*common, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert shot.is_file() and shot.stat().st_size > 10_000
    assert _png_colours(shot) > 20  # text, tables, coloured diagram nodes: far from blank

    dom = subprocess.run(
        [*common, "--dump-dom", page.as_uri()], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    for fn in ("CreateOrderFunction", "ProcessOrderFunction", "OrderChangesFunction"):
        assert f'data-id="{fn}"' in dom  # AWS diagram nodes
    assert 'data-id="ordersApi512App"' in dom and 'data-id="ordersQueue"' in dom  # Azure diagram
    resources = re.search(r'<table id="t1-resources".*?</table>', dom, re.S)
    assert resources and resources.group(0).count("<tr>") == 1 + 8  # header + every input resource
    findings = re.search(r'<table id="t1-findings".*?</table>', dom, re.S)
    assert findings and findings.group(0).count("<tr>") == 1 + 21
    assert "Wave 1:" in dom


def test_commands_in_checklists_and_notes_are_code_not_backticks() -> None:
    page = _orders_page()
    assert (
        "<li>Choose a region that offers Flex Consumption (<code>az functionapp list-flexconsumption-locations</code>).</li>"
        in page
    )
    assert "<code>azd provision</code>" in page
    # backticks are kept only where they are the template's own text, never around the tool's commands
    assert "`azd" not in page and "`az " not in page


def test_azure_diagram_shows_cosmos_db_data_plane_roles(tmp_path: Path) -> None:
    from translator.emit.html import azure_graph

    template = tmp_path / "template.yaml"
    template.write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Items:\n"
        "    Type: AWS::Serverless::SimpleTable\n"
        "  Reader:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Runtime: python3.12\n"
        "      Handler: app.handler\n"
        "      CodeUri: src/\n"
        "      Policies:\n"
        "        - DynamoDBReadPolicy: {TableName: !Ref Items}\n",
        encoding="utf-8",
    )
    plan = convert(template).plan
    assert [r.symbol for r in plan.resources if r.type.endswith("/sqlRoleAssignments")]
    [app] = plan.apps
    _, edges = azure_graph(plan)
    cosmos = [e for e in edges if e[2].startswith("Cosmos DB")]
    assert cosmos == [(app.site_symbol, "items", "Cosmos DB Built-in Data Reader")]

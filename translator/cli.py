"""The lambda2func command line.

Exit codes: 0 converted or discovered (findings allowed); 1 findings at or above --fail-on; 2 bad input or usage
(``error: FILE:LINE: what is wrong`` on stderr, nothing written); 3 an internal error (a bug: please
report it; ``--debug`` shows the traceback).

``convert`` and ``assess`` read ``.lambda2func.yaml`` or ``[tool.lambda2func]`` in ``pyproject.toml``
from the current directory (``translator.config``); their options win over the file.
"""

from __future__ import annotations

import difflib
import sys
import traceback
from pathlib import Path

import click

from translator import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
_LEVELS = ("error", "warning", "info", "never")
_FORMATS = ("md", "html", "json", "sarif")


def _fail_on_option(command):  # type: ignore[no-untyped-def]
    # no click default: an unset option must not hide the settings file's fail-on
    return click.option(
        "--fail-on",
        type=click.Choice(_LEVELS),
        default=None,
        help="Exit 1 when a finding that is not ignored is at or above this severity "
        "[default: the settings file's, else never].",
    )(command)


def _ignore_option(command):  # type: ignore[no-untyped-def]
    return click.option(
        "--ignore",
        "ignore",
        multiple=True,
        metavar="RULE",
        help="Suppress a rule id or id prefix (LF3006, LF3); repeatable. Suppressed findings stay in "
        "the Markdown and JSON reports but not in SARIF or the exit code.",
    )(command)


def _mapping_options(command):  # type: ignore[no-untyped-def]
    """The options convert and assess share: how templates are read and mapped, and verbosity."""
    for option in reversed(
        [
            click.option(
                "--app-per-function", is_flag=True, help="Give every function its own function app."
            ),
            click.option(
                "--mappings",
                "mappings",
                type=click.Path(path_type=Path, dir_okay=False, exists=True),
                help="A YAML file whose tables extend or override the built-in mapping tables.",
            ),
            click.option(
                "--stage", help="serverless.yml: the stage (${opt:stage}); default provider.stage, else dev."
            ),
            click.option(
                "--region",
                help="serverless.yml: the region (${opt:region}); default provider.region, else us-east-1.",
            ),
            click.option("-q", "--quiet", is_flag=True, help="Print only errors."),
        ]
    ):
        command = option(command)
    return command


class _Group(click.Group):
    def resolve_command(self, ctx: click.Context, args: list[str]):  # type: ignore[override]
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise click.UsageError(f"no such command '{name}'.{hint}", ctx)
        return super().resolve_command(ctx, args)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lambda2func")
@click.option("--debug", is_flag=True, help="Show a traceback for internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Translate AWS Lambda templates (SAM, CloudFormation) into Azure Functions Flex Consumption."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command()
@click.argument("template", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Output directory (azd project: infra/, src/, reports).",
)
@click.option("--force", is_flag=True, help="Replace a non-empty output directory.")
@_fail_on_option
@_ignore_option
@_mapping_options
def convert(
    template: Path,
    output: Path,
    force: bool,
    fail_on: str | None,
    ignore: tuple[str, ...],
    app_per_function: bool,
    mappings: Path | None,
    stage: str | None,
    region: str | None,
    quiet: bool,
) -> int:
    """Convert TEMPLATE (SAM, CloudFormation or serverless.yml) into Bicep, host.json and a report."""
    from translator.api import convert as run
    from translator.mapping.context import Options
    from translator.output import write_tree

    settings, tables = _settings(fail_on, ignore, mappings)
    options = Options(app_per_function=app_per_function)
    result = run(template, options, tables, stage=stage, region=region, ignore=settings.ignore)
    write_tree(output, result.files, force=force, protect=(template,))
    if not quiet:
        _summary([result.plan], settings.ignore)
        click.echo(f"wrote {output}/ (report: {output}/migration-report.md)")
    return result.exit_code(settings.fail_on)


def _settings(fail_on: str | None, ignore: tuple[str, ...], mappings: Path | None):  # type: ignore[no-untyped-def]
    """The settings file under the command line, and the mapping tables they name."""
    from translator.config import load_config, resolve
    from translator.mapping.tables import Tables

    settings = resolve(load_config(), fail_on, ignore, mappings)
    return settings, (Tables.load(settings.mappings) if settings.mappings else None)


def _summary(plans, ignore: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    """Per template: its errors and warnings that are not suppressed, then one line of counts."""
    from translator.config import is_ignored

    for plan in plans:
        counts: dict[str, int] = {}
        for entry in plan.inventory:
            counts[entry.disposition.value] = counts.get(entry.disposition.value, 0) + 1
        active = [f for f in plan.findings if not is_ignored(f.rule, ignore)]
        severities: dict[str, int] = {}
        for finding in active:
            severities[finding.severity.value] = severities.get(finding.severity.value, 0) + 1
        # one line for a finding repeated per function (a Globals setting): same place, same text, with
        # the count so the lines add up to the summary's
        lines: dict[str, int] = {}
        for finding in active:
            if finding.severity.value in ("error", "warning"):
                where = f"{finding.loc}: " if finding.loc else ""
                line = f"{where}{finding.severity.value}: {finding.rule} {finding.message}"
                lines[line] = lines.get(line, 0) + 1
        for line, times in lines.items():
            click.echo(line if times == 1 else f"{line} (x{times})")
        disposition = ", ".join(f"{n} {d}" for d, n in sorted(counts.items()))
        findings = ", ".join(f"{severities.get(s, 0)} {s}" for s in ("error", "warning", "info"))
        suppressed = len(plan.findings) - len(active)
        if suppressed:
            findings += f" ({suppressed} suppressed)"
        click.echo(
            f"{plan.source_file}: {len(plan.inventory)} resources ({disposition or 'none'}), "
            f"{len(plan.functions)} functions in {len(plan.apps)} function apps; findings: {findings}"
        )


@cli.command()
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "formats",
    type=click.Choice(_FORMATS),
    multiple=True,
    help="Report format; repeat for several [default: md].",
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path),
    help="A file for one format, a directory (migration-report.<ext>) for several; default: stdout.",
)
@_fail_on_option
@_ignore_option
@_mapping_options
def assess(
    inputs: tuple[Path, ...],
    formats: tuple[str, ...],
    output: Path | None,
    fail_on: str | None,
    ignore: tuple[str, ...],
    app_per_function: bool,
    mappings: Path | None,
    stage: str | None,
    region: str | None,
    quiet: bool,
) -> int:
    """Report how INPUT templates (files or directories) map to Azure, without writing Bicep."""
    from translator.assess import TemplateErrors, report_targets, write_reports
    from translator.assess import assess as run
    from translator.mapping.context import Options

    formats = tuple(dict.fromkeys(formats or ("md",)))
    if output is None and len(formats) > 1:
        raise click.UsageError("several formats need -o DIRECTORY (one migration-report.<ext> each)")
    targets = report_targets(formats, output)
    settings, tables = _settings(fail_on, ignore, mappings)
    options = Options(app_per_function=app_per_function)
    try:
        result = run(inputs, tables, options, stage=stage, region=region, ignore=settings.ignore)
    except TemplateErrors as exc:
        for error in exc.errors:
            click.echo(f"error: {error}", err=True)
        return EXIT_INPUT
    for skipped in [] if quiet else result.skipped:
        click.echo(f"note: {skipped.path}: skipped: {skipped.reason}", err=True)
    texts = {fmt: result.render(fmt) for fmt in formats}
    if output is None:
        click.echo(texts[formats[0]], nl=False)
    else:
        write_reports({targets[fmt]: texts[fmt] for fmt in formats})
        if not quiet:
            _summary(result.plans, settings.ignore)
            click.echo("wrote " + ", ".join(str(targets[fmt]) for fmt in formats))
    return result.exit_code(settings.fail_on)


@cli.command()
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The inventory file to write (inventory.json).",
)
@click.option("--region", "regions", multiple=True, metavar="REGION", help="A region to read; repeatable.")
@click.option("--all-regions", is_flag=True, help="Read every region enabled in the account.")
@click.option("--profile", help="The AWS profile (default: the standard credential chain).")
@click.option(
    "--endpoint-url", help="Send every call to this endpoint (also AWS_ENDPOINT_URL), e.g. a moto server."
)
@click.option(
    "--function", "functions", multiple=True, metavar="NAME", help="Only this function; repeatable."
)
@click.option("--stack", help="Compare the functions of this CloudFormation stack with its template (drift).")
@click.option(
    "--template",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="With --stack: the template on disk to compare with [default: the stack's original template].",
)
@click.option(
    "--include-env-values",
    is_flag=True,
    help="Keep environment variable values in the inventory (values that look secret are still redacted).",
)
@click.option("--no-metrics", is_flag=True, help="Do not read 14 days of usage from CloudWatch.")
@click.option(
    "--max-workers",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="Calls in flight at once (regions and functions are read concurrently).",
)
@_fail_on_option
@click.option("-q", "--quiet", is_flag=True, help="Print only errors; no progress bar.")
def discover(
    output: Path,
    regions: tuple[str, ...],
    all_regions: bool,
    profile: str | None,
    endpoint_url: str | None,
    functions: tuple[str, ...],
    stack: str | None,
    template: Path | None,
    include_env_values: bool,
    no_metrics: bool,
    max_workers: int,
    fail_on: str | None,
    quiet: bool,
) -> int:
    """Inventory the Lambda functions that run in an AWS account into an inventory.json for convert."""
    from translator.api import exit_code
    from translator.discover.document import render
    from translator.discover.progress import Progress
    from translator.discover.run import DiscoverOptions
    from translator.discover.run import discover as run
    from translator.findings import Finding
    from translator.output import write_file

    if regions and all_regions:
        raise click.UsageError("give --region or --all-regions, not both")
    if template and not stack:
        raise click.UsageError("--template needs --stack (the stack whose functions it describes)")
    options = DiscoverOptions(
        regions=regions,
        all_regions=all_regions,
        profile=profile,
        endpoint_url=endpoint_url,
        functions=functions,
        stack=stack,
        template=template,
        include_env_values=include_env_values,
        metrics=not no_metrics,
        workers=max_workers,
    )
    result = _aws_errors(
        lambda: run(options, Progress("reading functions", enabled=None if not quiet else False))
    )
    write_file(output, render(result.document), protect=(template,) if template else ())
    findings = [Finding.of("LF6001", f"{g['operation']}: {g['kind']} ({g['code']})") for g in result.gaps]
    drift = result.document.get("drift") or {}
    findings += [Finding.of("LF6003", d["setting"]) for d in drift.get("differences", [])]
    findings += [Finding.of("LF6004", u["reason"]) for u in drift.get("unmatched", [])]
    if not quiet:
        # one line per kind of failure (an endpoint without an API fails it for every function)
        # a function by its name, with its region when the same name is in several regions
        regions: dict[str, set[str]] = {}
        for gap in result.gaps:
            regions.setdefault((gap["function"] or gap["region"]).rsplit(":", 1)[-1], set()).add(
                gap["region"]
            )
        grouped: dict[tuple[str, str, str], list[str]] = {}
        for gap in result.gaps:
            where = (gap["function"] or gap["region"]).rsplit(":", 1)[-1]
            if gap["function"] and len(regions[where]) > 1:
                where = f"{where} ({gap['region']})"
            grouped.setdefault((gap["operation"], gap["kind"], gap["code"]), []).append(where)
        for (operation, kind, code), places in sorted(grouped.items()):
            click.echo(f"warning: LF6001 {operation} failed ({kind}, {code}) for {_first_few(places)}")
        for diff in drift.get("differences", []):
            # names of settings only: values (environment above all) are never printed
            click.echo(f"warning: LF6003 {diff['logicalId']}: {diff['setting']} differs from the template")
        for item in drift.get("unmatched", []):
            click.echo(f"warning: LF6004 {item['logicalId'] or item['function']}: {item['reason']}")
        for name in result.not_found:
            click.echo(f"note: function {name} was not found in the regions read", err=True)
        source = result.document["source"]
        click.echo(
            f"discovered {len(result.document['functions'])} functions in account {source['account'] or 'unknown'} "
            f"({', '.join(source['regions'])}); {len(result.gaps)} gaps; wrote {output}"
        )
    settings_fail_on = _settings(fail_on, (), None)[0].fail_on
    return exit_code(findings, settings_fail_on)


def _aws_errors(call):  # type: ignore[no-untyped-def]
    """boto3's own "cannot even start" errors (no credentials, endpoint unreachable) as bad input."""
    from botocore.exceptions import EndpointConnectionError, NoCredentialsError, NoRegionError

    from translator.load import InputError

    try:
        return call()
    except NoCredentialsError:
        raise InputError(
            "no AWS credentials found: set a profile (--profile, AWS_PROFILE) or AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY"
        ) from None
    except NoRegionError:
        raise InputError("no AWS region: give --region or set AWS_REGION") from None
    except EndpointConnectionError as exc:
        raise InputError(f"cannot reach AWS: {exc}") from None


@cli.command()
@click.argument("output", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option(
    "--types",
    "types_dir",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    help="Bicep type data directory (index.json + types) for type checks.",
)
@click.option(
    "--host-schema",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="host.json JSON Schema to validate each src/*/host.json against.",
)
def validate(output: Path, types_dir: Path | None, host_schema: Path | None) -> int:
    """Check a converted OUTPUT directory: Bicep syntax and types, and host.json."""
    import json

    from translator.load import InputError
    from translator.validate.bicep import BicepCheckerUnavailable, TypeData, check_bicep_files
    from translator.validate.hostjson import check_host_json

    main = output / "infra" / "main.bicep"
    if not main.is_file():
        raise click.UsageError(f"{main} does not exist; give the directory that 'convert' wrote")
    if types_dir and not (types_dir / "index.json").is_file():
        raise InputError(f"{types_dir} has no index.json; give a Bicep type data directory")
    try:
        types = TypeData.load(types_dir) if types_dir else None
        diagnostics = check_bicep_files(main, types)
    except BicepCheckerUnavailable as exc:
        raise InputError(str(exc)) from None
    problems = [str(d) for d in diagnostics if d.severity == "error"]
    # legal but likely wrong (a value outside an open enum, such as kind 'StorageV9'): shown, not counted
    warnings = [str(d) for d in diagnostics if d.severity != "error"]
    schema = None
    if host_schema:
        try:
            schema = json.loads(host_schema.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{host_schema} is not a JSON Schema (not JSON: {exc})") from None
    hosts = sorted((output / "src").glob("*/host.json"))
    for host in hosts:
        problems += check_host_json(host, schema)
    for problem in problems + warnings:
        click.echo(problem)
    # say what was not checked, so "0 problems" is never read as more than it is
    if types_dir is None:
        click.echo(
            "note: Bicep type check skipped (syntax and names only); give --types DIR to check resource "
            "types, API versions and properties",
            err=True,
        )
    if schema is None and hosts:
        click.echo(
            "note: host.json checked for JSON, version, functionTimeout and extensionBundle only; "
            "give --host-schema FILE for the full schema check",
            err=True,
        )
    if not hosts:
        click.echo(f"note: no {output / 'src'}/*/host.json to check", err=True)
    noted = f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if warnings else ""
    click.echo(f"{output}: {len(problems)} problems{noted}")
    return EXIT_FINDINGS if problems else EXIT_OK


@cli.command()
@click.option("--markdown", is_flag=True, help="Print docs/rules.md.")
def rules(markdown: bool) -> int:
    """List the finding rules and their ids."""
    from translator.rules import RULES, rules_markdown

    if markdown:
        click.echo(rules_markdown(), nl=False)
    else:
        for rule in RULES.values():
            click.echo(f"{rule.id}  {rule.severity:<7}  {rule.title}")
    return EXIT_OK


@cli.command(name="mappings")
@click.argument("table", required=False)
def mappings_command(table: str | None) -> int:
    """Show the mapping tables (runtimes, triggers, services, settings, roles, azure, attributes)."""
    import yaml

    from translator.mapping.tables import TABLE_NAMES, Tables

    tables = Tables.load()
    if table is None:
        click.echo("\n".join(TABLE_NAMES))
        return EXIT_OK
    if table not in TABLE_NAMES:
        raise click.UsageError(_unknown_table(table, TABLE_NAMES))
    click.echo(yaml.safe_dump(getattr(tables, table), sort_keys=False), nl=False)
    return EXIT_OK


def _first_few(items: list[str], limit: int = 3) -> str:
    """The first ``limit`` distinct items, then how many other distinct items there are.

    >>> _first_few(["a", "b", "a", "c", "d", "e", "d"])
    'a, b, c (and 2 more)'
    >>> _first_few(["a", "b", "c", "a"])
    'a, b, c'
    """
    distinct = list(dict.fromkeys(items))
    more = f" (and {len(distinct) - limit} more)" if len(distinct) > limit else ""
    return ", ".join(distinct[:limit]) + more


def _unknown_table(table: str, names: tuple[str, ...]) -> str:
    """The tables there are, and the one nearest to what was typed (by spelling, any case).

    >>> _unknown_table("runtime", ("runtimes", "roles"))
    "no mapping table 'runtime'; the tables are runtimes, roles; the closest is 'runtimes'"
    """
    lowered = {name.lower(): name for name in names}
    closest = difflib.get_close_matches(table.lower(), list(lowered), n=1, cutoff=0.0)
    nearest = f"; the closest is '{lowered[closest[0]]}'" if closest else ""
    return f"no mapping table '{table}'; the tables are {', '.join(names)}{nearest}"


def main(argv: list[str] | None = None) -> int:
    from translator.load import InputError
    from translator.mapping.tables import MappingTableError

    args = list(argv if argv is not None else sys.argv[1:])
    debug = "--debug" in args
    if debug:
        # accepted anywhere on the line (the error message says "run with --debug")
        args = ["--debug", *(a for a in args if a != "--debug")]
    try:
        code = cli.main(args=args, prog_name="lambda2func", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        code = EXIT_INPUT
    except click.ClickException as exc:
        exc.show()
        code = EXIT_INPUT
    except (InputError, MappingTableError) as exc:
        click.echo(f"error: {exc}", err=True)
        code = EXIT_INPUT
    except Exception as exc:  # a bug: say so plainly, with the traceback only on request
        if debug:
            traceback.print_exc()
        click.echo(
            f"internal error: {type(exc).__name__}: {exc} (this is a bug in lambda2func; "
            "run with --debug for the traceback)",
            err=True,
        )
        code = EXIT_INTERNAL
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())

"""The `catalogue` command: serve, load, export, graphs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from catalogue import __version__
from catalogue.config import Settings
from catalogue.errors import CatalogueError, InputError
from catalogue.store import Store, open_store

EXPORT_FORMATS = {"ttl": "TURTLE", "trig": "TRIG", "nq": "N_QUADS", "nt": "N_TRIPLES",
                  "jsonld": "JSON_LD", "rdf": "RDF_XML"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    flags: dict[str, Any] = {k: v for k, v in _setting_flags(args).items() if v is not None}
    try:
        settings = Settings(**flags)  # flags override CATALOGUE_* variables
    except ValidationError as exc:
        for error in exc.errors():
            where = "CATALOGUE_" + "_".join(str(p) for p in error["loc"]).upper()
            print(f"catalogue: {where}: {error['msg']}", file=sys.stderr)
        return 2
    try:
        status: int = args.run(args, settings)
    except InputError as exc:
        print(f"catalogue: {exc}", file=sys.stderr)
        return 2
    except CatalogueError as exc:
        print(f"catalogue: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"catalogue: {exc}", file=sys.stderr)
        return 1
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="catalogue", description="Linked-data catalogue and definitions registry."
    )
    parser.add_argument("--version", action="version", version=f"catalogue {__version__}")
    # Before the command too (`catalogue --store DIR load FILE`), where a reader of the
    # settings table would put them; after it, they win.
    parser.add_argument("--store", dest="global_store", help=argparse.SUPPRESS)
    parser.add_argument("--base-iri", dest="global_base_iri", help=argparse.SUPPRESS)
    settings = argparse.ArgumentParser(add_help=False)
    settings.add_argument("--store", help="store directory, or :memory: (CATALOGUE_STORE)")
    settings.add_argument("--base-iri", help="base of minted IRIs (CATALOGUE_BASE_IRI)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", parents=[settings], help="serve the site and APIs")
    serve.add_argument("--host", help="listen address (CATALOGUE_HOST)")
    serve.add_argument("--port", type=int, help="listen port (CATALOGUE_PORT)")
    serve.set_defaults(run=run_serve)

    load = commands.add_parser("load", parents=[settings], help="load RDF files into the store")
    load.add_argument("files", nargs="+", type=Path, metavar="FILE")
    load.add_argument("--graph", help="load every file into this graph IRI")
    load.add_argument("--publisher", help="IRI of the organisation that publishes the files")
    load.set_defaults(run=run_load)

    uses = commands.add_parser(
        "connections", parents=[settings],
        help="load a CSV of which organisation uses which API or dataset (cat:usesService)")
    uses.add_argument("file", type=Path, metavar="FILE", help="CSV with columns organisatie,dienst")
    uses.add_argument("--graph", help="graph IRI (default {base}/id/graph/{file name})")
    uses.add_argument("--publisher", help="IRI of the organisation that publishes the file")
    uses.set_defaults(run=run_connections)

    export = commands.add_parser("export", parents=[settings], help="write the store as RDF")
    export.add_argument("--format", choices=sorted(EXPORT_FORMATS), default="trig")
    export.add_argument("--graph", help="export only this graph")
    export.add_argument("--output", type=Path, help="file to write (default: standard output)")
    export.set_defaults(run=run_export)

    graphs = commands.add_parser("graphs", parents=[settings], help="list graphs with provenance")
    graphs.set_defaults(run=run_graphs)

    reindex = commands.add_parser("reindex", parents=[settings], help="rebuild the search index")
    reindex.set_defaults(run=run_reindex)

    harvest = commands.add_parser("harvest", parents=[settings], help="harvest a DCAT feed")
    harvest.add_argument("url", metavar="URL", help="the feed (Turtle, RDF/XML or JSON-LD)")
    harvest.add_argument("--publisher", help="IRI of the organisation the feed belongs to")
    harvest.add_argument("--timeout", type=float, default=60.0, help="seconds for the whole feed")
    harvest.add_argument("--max-mb", type=float, default=50.0, help="size limit of the feed")
    harvest.add_argument("--profile", default="dcat-ap-nl",
                         help="validation profile for the per-record summary (default dcat-ap-nl)")
    harvest.add_argument("--no-validate", action="store_true", help="skip the validation summary")
    _allow_private_flag(harvest)
    harvest.set_defaults(run=run_harvest)

    validate = commands.add_parser("validate", parents=[settings],
                                   help="validate RDF files against a SHACL profile")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.add_argument("--profile", default="default",
                          help="dcat-ap-nl, nl-sbb, api, default, or a user profile")
    validate.add_argument("--shapes", action="append", type=Path, metavar="SHAPES",
                          help="validate against this shape file or folder of shape files "
                          "instead of a profile (repeat for more)")
    validate.add_argument("--format", choices=("text", "json", "ttl"), default="text")
    validate.add_argument("--lang", choices=("nl", "en"), default="nl",
                          help="language of the summary line (messages come in both)")
    validate.set_defaults(run=run_validate)

    publisher = commands.add_parser("publisher", parents=[settings], help="manage publishers")
    publisher_commands = publisher.add_subparsers(dest="publisher_command", required=True)
    publisher_add = publisher_commands.add_parser(
        "add", parents=[settings], help="register a publisher and print its new token once")
    publisher_add.add_argument("organisation", metavar="ORG_IRI")
    publisher_add.add_argument("--label", default="", help="a note on who holds the token")
    publisher_add.set_defaults(run=run_publisher_add)

    quality = commands.add_parser("quality", parents=[settings],
                                  help="score datasets on data.europa.eu's MQA and store it as DQV")
    quality.add_argument("--publisher", metavar="IRI", help="only this publisher's datasets")
    quality.add_argument("--check-urls", action="store_true",
                         help="ask every access and download URL (HEAD); off by default")
    quality.add_argument("--timeout", type=float, default=5.0, help="seconds per URL check")
    quality.add_argument("--max-urls", type=int, default=1000, help="check at most this many URLs")
    quality.add_argument("--no-store", action="store_true", help="print only; store no DQV")
    _allow_private_flag(quality)
    quality.add_argument("--lang", choices=("nl", "en"), default="nl")
    quality.set_defaults(run=run_quality)
    return parser


def _allow_private_flag(command: argparse.ArgumentParser) -> None:
    # Off by default: a feed or a dataset's URLs could otherwise send this machine to addresses
    # inside its own network. The web has no such switch.
    command.add_argument("--allow-private-addresses", action="store_true",
                         help="also fetch from loopback, private and link-local addresses")


def _setting_flags(args: argparse.Namespace) -> dict[str, object]:
    found = {name: getattr(args, name, None) for name in ("store", "base_iri", "host", "port")}
    for name in ("store", "base_iri"):
        if found[name] is None:
            found[name] = getattr(args, f"global_{name}", None)
    return found


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    from catalogue.web.server import serve

    serve(settings)
    return 0


def run_load(args: argparse.Namespace, settings: Settings) -> int:
    from catalogue.ingest import load_sources
    from catalogue.search import index_listener, open_index

    store = _open(settings)
    index = open_index(settings)
    try:
        results = load_sources(
            store,
            args.files,
            base=settings.base,
            graph=args.graph,
            publisher=args.publisher,
            progress=sys.stderr.isatty(),
            listeners=[index_listener(index)],
            limits=settings.file_limits,
        )
    finally:
        index.close()
        store.close()
    for result in results:
        graphs = ", ".join(f"<{graph}>" for graph in result.graphs)
        print(f"{result.source}: {result.triples} triples into {graphs}")
    return 0


def run_connections(args: argparse.Namespace, settings: Settings) -> int:
    """Every row is read and checked before the one write: a bad row (file:line:column) exits
    2 with nothing written; a second load of the same file replaces its graph."""
    import hashlib

    from catalogue.errors import UnreadableSource
    from catalogue.ingest.connections import parse_connections
    from catalogue.ingest.load import graph_iri_for, write_sources
    from catalogue.ingest.rdf import ParsedSource
    from catalogue.search import index_listener, open_index

    path: Path = args.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableSource(f"{path}: {exc.strerror or exc}") from None
    triples = parse_connections(data, name=str(path))
    graph = args.graph or graph_iri_for(settings.base, path.name)
    source = ParsedSource(name=path.name, uri=path.resolve().as_uri(),
                          content_hash=hashlib.sha256(data).hexdigest(), graphs={graph: triples})
    store = _open(settings)
    index = open_index(settings)
    try:
        write_sources(store, [source], publisher=args.publisher,
                      listeners=[index_listener(index)])
    finally:
        index.close()
        store.close()
    print(f"{path}: {len(triples)} connections into <{graph}>")
    return 0


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    from catalogue.store.terms import RdfFormat

    rdf_format: RdfFormat = getattr(RdfFormat, EXPORT_FORMATS[args.format])
    store = _open(settings)
    try:
        if args.graph and args.graph not in {record.graph for record in store.graphs()}:
            raise InputError(f"no graph <{args.graph}> in the store")
        if args.output is None:
            store.dump(sys.stdout.buffer, format=rdf_format, graph=args.graph)
        else:
            _atomic_dump(store, args.output, rdf_format, args.graph)
    finally:
        store.close()
    return 0


def _atomic_dump(store: Store, output: Path, rdf_format: object, graph: str | None) -> None:
    partial = output.with_name(output.name + ".partial")
    with partial.open("wb") as stream:
        store.dump(stream, format=rdf_format, graph=graph)  # type: ignore[arg-type]
    partial.replace(output)


def run_graphs(args: argparse.Namespace, settings: Settings) -> int:
    store = _open(settings)
    try:
        for record in store.graphs():
            print(f"{record.graph}\t{record.triples}\t{record.loaded_at.isoformat()}\t"
                  f"{record.source}\t{record.publisher or '-'}")
    finally:
        store.close()
    return 0


def run_reindex(args: argparse.Namespace, settings: Settings) -> int:
    from catalogue.derived import follow_store
    from catalogue.search import open_index, rebuild

    store = _open(settings)
    index = open_index(settings)
    try:
        count = rebuild(index, store)
        recovered = follow_store(store, index, settings).history
    finally:
        index.close()
        store.close()
    print(f"catalogue: indexed {count} resources into {settings.index_path or 'memory'}")
    for graph in recovered:
        print(f"catalogue: recovered the history's newest version of {graph}")
    return 0


def run_harvest(args: argparse.Namespace, settings: Settings) -> int:
    from catalogue.fetch import address_policy
    from catalogue.ingest.harvest import harvest
    from catalogue.search import index_listener, open_index

    # A harvest keeps every triple it is given; validation reports per record, it does not stop
    # the write (a publisher fixes the source, the next harvest replaces the graph).
    reports: list[Any] = []
    checks = [] if args.no_validate else [_reporting_check(args.profile, settings, reports)]
    store = _open(settings)
    index = open_index(settings)
    try:
        result = harvest(
            store, args.url, base=settings.base, publisher=args.publisher,
            timeout=args.timeout, max_bytes=int(args.max_mb * 1024 * 1024),
            checks=checks, listeners=[index_listener(index)],
            policy=address_policy(allow_private=args.allow_private_addresses),
            warn=lambda message: print(f"catalogue: warning: {message}", file=sys.stderr),
            limits=settings.file_limits,
        )
    finally:
        index.close()
        store.close()
    counts: dict[str, dict[str, int]] = {}
    for report in reports:
        for problem in report.results:
            by_severity = counts.setdefault(problem.focus, {})
            by_severity[problem.severity] = by_severity.get(problem.severity, 0) + 1
    for record in result.records:
        line = f"{record.kind}\t<{record.iri}>\t{record.title or '-'}"
        if reports:
            found = counts.get(record.iri, {})
            line += (f"\t{found.get('Violation', 0)} violations, "
                     f"{found.get('Warning', 0)} warnings")
        print(line)
    print(f"{args.url}: {len(result.pages)} pages, {len(result.records)} records, "
          f"{result.triples} triples into <{result.graph}>")
    for report in reports:
        print(f"validation: {report.summary('en')}")
    # Exit 1, not 2: what arrived is stored, but the feed is not whole (the warning says why).
    return 1 if result.incomplete else 0


def _reporting_check(name: str, settings: Settings, reports: list[Any]) -> Any:
    from catalogue.validation import find_profile, validate

    profile = find_profile(name, getattr(settings, "profiles_dir", None))

    def check(graphs: Any) -> None:
        reports.append(validate(graphs, profile))

    return check


def run_validate(args: argparse.Namespace, settings: Settings) -> int:
    # Rebuilt by the datasets helper after an edit of theirs dropped the original by mistake:
    # the validation helper should check it against their intent.
    from catalogue.validation import find_profile, profile_from_files, validate_files

    profile = (profile_from_files(list(args.shapes)) if args.shapes
               else find_profile(args.profile, settings.profiles_dir))
    report = validate_files(args.files, profile, limits=settings.file_limits,
                            base=settings.base)
    if args.format == "json":
        sys.stdout.write(report.to_json_text())
    elif args.format == "ttl":
        sys.stdout.buffer.write(report.to_rdf())
    else:
        sys.stdout.write(report.to_text(args.lang))
    return 0 if report.conforms else 1


def run_publisher_add(args: argparse.Namespace, settings: Settings) -> int:
    # Rebuilt by the datasets helper (see run_validate): the publishing helper should check it.
    from catalogue.publish import Publishers, publishing_dir

    token = Publishers(publishing_dir(settings)).add(args.organisation, label=args.label)
    print(token)
    # Only a hash of it is kept: a lost token can only be replaced by a new one.
    print("catalogue: this token is shown only this once; keep it safe (only its hash is stored)",
          file=sys.stderr)
    return 0


def run_quality(args: argparse.Namespace, settings: Settings) -> int:
    from catalogue.fetch import address_policy
    from catalogue.quality.cli import quality

    store = _open(settings)
    try:
        quality(store, settings, publisher=args.publisher, check_urls=args.check_urls,
                timeout=args.timeout, max_urls=args.max_urls, save=not args.no_store,
                lang=args.lang, out=sys.stdout,
                policy=address_policy(allow_private=args.allow_private_addresses))
    finally:
        store.close()
    return 0


def _open(settings: Settings) -> Store:
    # A command holds the embedded store alone (it is locked against other processes).
    return open_store(settings, exclusive=True)

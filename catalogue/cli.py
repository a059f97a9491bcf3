"""The `catalogue` command: serve, load, export, graphs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
    settings = Settings(**flags)  # flags override CATALOGUE_* variables
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

    export = commands.add_parser("export", parents=[settings], help="write the store as RDF")
    export.add_argument("--format", choices=sorted(EXPORT_FORMATS), default="trig")
    export.add_argument("--graph", help="export only this graph")
    export.add_argument("--output", type=Path, help="file to write (default: standard output)")
    export.set_defaults(run=run_export)

    graphs = commands.add_parser("graphs", parents=[settings], help="list graphs with provenance")
    graphs.set_defaults(run=run_graphs)

    reindex = commands.add_parser("reindex", parents=[settings], help="rebuild the search index")
    reindex.set_defaults(run=run_reindex)
    return parser


def _setting_flags(args: argparse.Namespace) -> dict[str, object]:
    return {name: getattr(args, name, None) for name in ("store", "base_iri", "host", "port")}


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
        )
    finally:
        index.close()
        store.close()
    for result in results:
        graphs = ", ".join(f"<{graph}>" for graph in result.graphs)
        print(f"{result.source}: {result.triples} triples into {graphs}")
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
    from catalogue.search import open_index, rebuild

    store = _open(settings)
    index = open_index(settings)
    try:
        count = rebuild(index, store)
    finally:
        index.close()
        store.close()
    print(f"catalogue: indexed {count} resources into {settings.index_path or 'memory'}")
    return 0


def _open(settings: Settings) -> Store:
    return open_store(settings)

"""Copy the bundled OpenAPI documents from ../shared/data into content/openapi/, adding `x-begrip`
links from schema fields to our begrippen (begrippen.ttl). Run by a developer, never at run
time: `python -m catalogue.content.build_openapi`. The output is committed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from catalogue.namespaces import BUNDLED_BASE

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
FOLDER = Path(__file__).resolve().parent / "openapi"
BAG = "bag-individuele-bevragingen-v2.openapi.yaml"
BRP = "haal-centraal-brp-bevragen.openapi.yaml"
BEGRIP = BUNDLED_BASE + "begrip/"

# (schema, property) -> begrip slug: the fields whose value identifies (or names) a BAG object.
BAG_FIELDS: dict[tuple[str, str], str] = {
    ("Pand", "identificatie"): "pand",
    ("PandIOHal", "pand"): "pand",
    ("Adres", "pandIdentificaties"): "pand",
    ("Verblijfsobject", "identificatie"): "verblijfsobject",
    ("VerblijfsobjectIOHal", "verblijfsobject"): "verblijfsobject",
    ("AdresseerbaarObjectIOHal", "verblijfsobject"): "verblijfsobject",
    ("Nummeraanduiding", "identificatie"): "nummeraanduiding",
    ("NummeraanduidingIOHal", "nummeraanduiding"): "nummeraanduiding",
    ("Adres", "nummeraanduidingIdentificatie"): "nummeraanduiding",
    ("OpenbareRuimte", "identificatie"): "openbare-ruimte",
    ("OpenbareRuimteIOHal", "openbareRuimte"): "openbare-ruimte",
    ("Adres", "openbareRuimteIdentificatie"): "openbare-ruimte",
    ("Adres", "openbareRuimteNaam"): "openbare-ruimte",
    ("Woonplaats", "identificatie"): "woonplaats",
    ("WoonplaatsIOHal", "woonplaats"): "woonplaats",
    ("Adres", "woonplaatsIdentificatie"): "woonplaats",
    ("Adres", "woonplaatsNaam"): "woonplaats",
    ("Verblijfsobject", "maaktDeelUitVan"): "pand",
    ("AdresseerbaarObject", "heeftAlsHoofdAdres"): "nummeraanduiding",
    ("AdresseerbaarObject", "heeftAlsNevenAdres"): "nummeraanduiding",
    ("Ligplaats", "identificatie"): "ligplaats",
    ("Standplaats", "identificatie"): "standplaats",
    ("Adres", "adresseerbaarObjectIdentificatie"): "adresseerbaar-object",
}

BRP_FIELDS: dict[tuple[str, str], str] = {
    ("Persoon", "burgerservicenummer"): "burgerservicenummer",
    ("PersoonBeperkt", "burgerservicenummer"): "burgerservicenummer",
    ("RaadpleegMetBurgerservicenummer", "burgerservicenummer"): "burgerservicenummer",
}

# file -> (keeper and licence, the fields to annotate)
DOCUMENTS: dict[str, tuple[str, dict[tuple[str, str], str]]] = {
    BAG: ("Kadaster, EUPL-1.2", BAG_FIELDS),
    BRP: ("RvIG, EUPL-1.2", BRP_FIELDS),
}


def header(name: str) -> str:
    return (
        f"# Copy of ../shared/data/apis/openapi/{name} ({DOCUMENTS[name][0]}), made by\n"
        "# `python -m catalogue.content.build_openapi`. The only change: `x-begrip` lines on the\n"
        "# fields listed in that script, linking them to begrippen in\n"
        "# catalogue/content/begrippen.ttl"
        f" (the loader rewrites {BUNDLED_BASE} to the configured base).\n"
    )


def annotate(name: str, text: str) -> str:
    """Insert `x-begrip: IRI` under each (schema, property) of components/schemas, keeping every
    other byte. Raises SystemExit when a listed field is not found."""
    fields = DOCUMENTS[name][1]
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    schema: str | None = None
    in_schemas = False
    properties_at: int | None = None  # indent of the `properties:` we are in (schema or allOf part)
    done: set[tuple[str, str]] = set()
    for line in lines:
        out.append(line)
        stripped = line.rstrip("\n")
        indent = len(stripped) - len(stripped.lstrip(" "))
        if stripped == "  schemas:":
            in_schemas = True
            continue
        if not in_schemas or not stripped.strip():
            continue
        if indent <= 2:
            in_schemas = False
        elif indent == 4 and stripped.endswith(":"):
            schema, properties_at = stripped.strip()[:-1], None
        elif indent in (6, 8, 10) and stripped.strip() == "properties:":
            properties_at = indent
        elif properties_at is not None and indent <= properties_at:
            properties_at = None
        elif properties_at is not None and indent == properties_at + 2 and schema \
                and stripped.endswith(":"):
            key = (schema, stripped.strip()[:-1])
            if key in fields:
                out.append(f"{' ' * (indent + 2)}x-begrip: {BEGRIP}{fields[key]}\n")
                done.add(key)
    missing = sorted(set(fields) - done)
    if missing:
        raise SystemExit(f"{name}: fields not found in the OpenAPI document: {missing}")
    return header(name) + "".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    args = parser.parse_args(argv)
    FOLDER.mkdir(exist_ok=True)
    for name, (_, fields) in DOCUMENTS.items():
        source = args.data / "apis" / "openapi" / name
        if not source.is_file():
            print(f"{source}: no such file (use --data)", file=sys.stderr)
            return 2
        target = FOLDER / name
        target.write_text(annotate(name, source.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"wrote {target} ({len(fields)} x-begrip links)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

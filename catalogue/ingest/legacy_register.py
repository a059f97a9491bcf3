"""The former developer.overheid.nl API register (one JSON file per API, 2019-2021) mapped to
DCAT-AP-NL data services, with organisations keyed by their OIN."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from catalogue.errors import InvalidDocument, SourceSyntaxError, UnreadableSource
from catalogue.ingest.openapi import slugify
from catalogue.ingest.rdf import ParsedSource
from catalogue.iris import is_iri
from catalogue.namespaces import CAT, DCAT, DCT, FOAF, PREFIXES, RDF_TYPE
from catalogue.store.terms import Literal, NamedNode, Triple

VCARD = PREFIXES["vcard"]
ACCESS = "http://publications.europa.eu/resource/authority/access-right/"
AUTHENTICATION = {"api_key": "API key", "none": "geen (open)"}
SERVICE_TYPES = {"wfs": "http://www.opengis.net/def/serviceType/ogc/wfs"}


def legacy_register(folder: Path, *, base: str, graph: str) -> ParsedSource:
    """Every `apis/*.json` of the register folder as one source for `graph`."""
    files = sorted((folder / "apis").glob("*.json"))
    if not files:
        raise UnreadableSource(f"{folder}: no apis/*.json files (not the legacy register)")
    triples: list[Triple] = []
    digest = hashlib.sha256()
    for path in files:
        data = path.read_bytes()
        digest.update(data)
        try:
            entry = json.loads(data)
        except json.JSONDecodeError as exc:
            raise SourceSyntaxError(str(path), exc.lineno, exc.colno, exc.msg) from None
        triples += entry_triples(entry, base=base, name=str(path), reference=path.stem)
    parsed = ParsedSource(name=str(folder), uri=folder.resolve().as_uri(),
                          content_hash=digest.hexdigest())
    parsed.graphs = {graph: list(dict.fromkeys(triples))}  # organisations repeat: once each
    return parsed


def entry_triples(entry: Any, *, base: str, name: str, reference: str) -> list[Triple]:
    """One register entry as triples about `{base}/id/api/legacy-{reference}`."""
    if not isinstance(entry, dict) or not isinstance(entry.get("service_name"), str):
        raise InvalidDocument(name, "/service_name", "a register entry needs a service_name")
    api = f"{base}/id/api/legacy-{slugify(reference)}"
    out: list[Triple] = []

    def add(subject: str, predicate: str, value: object, *, iri: bool = False) -> None:
        if not isinstance(value, str) or not value.strip():
            return
        value = value.strip()
        # the register has malformed URLs; a bad link is left out
        if iri and not (value.startswith(("http:", "https:", "mailto:", "tel:")) and is_iri(value)):
            return
        obj = NamedNode(value) if iri else Literal(value, language="nl")
        out.append(Triple(NamedNode(subject), NamedNode(predicate), obj))

    add(api, RDF_TYPE, DCAT + "DataService", iri=True)
    add(api, DCT + "title", entry["service_name"])
    add(api, DCT + "description", entry.get("description"))
    out.append(Triple(NamedNode(api), NamedNode(DCT + "identifier"), Literal(api)))
    oin = str(entry.get("organization_oin") or "").strip()
    if re.fullmatch(r"\d{20}", oin):
        organisation = f"{base}/id/organisatie/oin-{oin}"
        add(api, DCT + "publisher", organisation, iri=True)
        add(organisation, RDF_TYPE, FOAF + "Organization", iri=True)
        add(organisation, FOAF + "name", entry.get("organization_name"))
        out.append(Triple(NamedNode(organisation), NamedNode(DCT + "identifier"), Literal(oin)))
    environments = [e for e in entry.get("environments") or [] if isinstance(e, dict)]
    production = [e for e in environments if e.get("name") == "production"] or environments[:1]
    for environment in production:
        add(api, DCAT + "endpointURL", environment.get("api_url"), iri=True)
        add(api, DCAT + "endpointDescription", environment.get("specification_url"), iri=True)
        add(api, FOAF + "page", environment.get("documentation_url"), iri=True)
    for environment in environments:
        add(api, CAT + "server", environment.get("api_url"), iri=True)
    auth = AUTHENTICATION.get(str(entry.get("api_authentication")))
    add(api, CAT + "authentication", auth)
    add(api, DCT + "conformsTo", SERVICE_TYPES.get(str(entry.get("api_type"))), iri=True)
    terms = entry.get("terms_of_use") or {}
    if isinstance(terms, dict) and "government_only" in terms:
        access = "RESTRICTED" if terms["government_only"] else "PUBLIC"
        add(api, DCT + "accessRights", ACCESS + access, iri=True)
    for tag in entry.get("tags") or []:
        add(api, DCAT + "keyword", tag)
    contact = entry.get("contact")
    if isinstance(contact, dict) and any(contact.values()):
        point = f"{api}/contact"
        add(api, DCAT + "contactPoint", point, iri=True)
        add(point, RDF_TYPE, VCARD + "Kind", iri=True)
        add(point, VCARD + "fn", entry.get("organization_name"))
        if contact.get("email"):
            add(point, VCARD + "hasEmail", f"mailto:{str(contact['email']).strip()}", iri=True)
        if contact.get("phone"):
            add(point, VCARD + "hasTelephone",
                "tel:" + re.sub(r"[^\d+]", "", str(contact["phone"])), iri=True)
        add(point, VCARD + "hasURL", contact.get("url"), iri=True)
    return out

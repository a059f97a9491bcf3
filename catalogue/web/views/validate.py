"""Validation for everyone: the /validate page (upload, paste or URL) and POST /api/validate."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from catalogue.errors import ClientGone, InputError, PayloadTooLarge
from catalogue.i18n import texts
from catalogue.validation import DEFAULT_PROFILE, ValidationReport, all_profiles, find_profile
from catalogue.validation.fetch import fetch_source
from catalogue.validation.validate import validate_bytes
from catalogue.web.bodies import (
    BODY_FORMATS,
    SOURCE_BODY_OPENAPI,
    body_syntax,
    read_body,
    read_form,
)
from catalogue.web.negotiation import RDF_REPRESENTATIONS, parse_accept
from catalogue.web.site import Site, language, site_of
from catalogue.web.work import bounded

router = APIRouter()


# A report of a whole catalogue file holds tens of thousands of results (a 2,500-dataset file:
# 37,826, a 38 MB page with its CSV inside): the page shows the kinds of problem with their
# counts, the results of the first focus nodes, and the CSV button gives all of them.
FOCUS_SHOWN = 100
EMBEDDED_CSV_RESULTS = 2_000


@router.get("/validate", include_in_schema=False)
def validate_form(request: Request) -> Response:
    return _page(request)


@router.post("/validate", include_in_schema=False)
async def validate_page(request: Request) -> Response:
    site = site_of(request)
    limit = site.settings.max_body_bytes
    form = await read_form(request, limit)
    profile_name = str(form.get("profile") or DEFAULT_PROFILE)
    try:
        try:
            source = await _source(form, site)
        finally:
            await form.close()  # an uploaded file's spooled temporary file
        if source is None:
            return _page(request, error=texts(language(request)).gettext("validate.nothing"),
                         status=400, chosen=profile_name)
        data, name, media = source
        profile = find_profile(profile_name, site.settings.profiles_dir)
        fmt = BODY_FORMATS.get(media) if media else None
        report = await bounded(request, site.settings.max_request_seconds, validate_bytes, data,
                               name=name, profile=profile, format=fmt,
                               limits=site.settings.request_limits, base=site.settings.base)
    except ClientGone:
        raise
    except (InputError, PayloadTooLarge) as exc:
        return _page(request, error=str(exc), status=exc.status_code, chosen=profile_name,
                     pasted=str(form.get("text") or ""))
    if form.get("format") == "csv":
        return _csv(report, language(request))
    return _page(request, report=report, chosen=profile_name, pasted=str(form.get("text") or ""))


@router.post("/api/validate", tags=["validation"], openapi_extra=SOURCE_BODY_OPENAPI)
async def validate_api(
    request: Request, profile: str = Query(default=DEFAULT_PROFILE),
    name: str = Query(default="body"),
) -> Response:
    """Validate the body (an RDF syntax by its Content-Type, or an OpenAPI description as JSON or
    YAML) against a profile. Answers JSON, or an sh:ValidationReport in Turtle, JSON-LD or
    RDF/XML by Accept. 200 whether or not it conforms."""
    site = site_of(request)
    body = await read_body(request, site.settings.max_body_bytes)
    chosen = find_profile(profile, site.settings.profiles_dir)
    content_type = request.headers.get("content-type")
    fmt, media_type = body_syntax(content_type) if content_type else (None, None)
    report = await bounded(request, site.settings.max_request_seconds, validate_bytes, body,
                           name=name, profile=chosen, format=fmt, media_type=media_type,
                           limits=site.settings.request_limits, base=site.settings.base)
    for media, quality in parse_accept(request.headers.get("accept") or "application/json"):
        if quality <= 0:
            continue
        if media in ("application/json", "*/*", "application/*"):
            break
        for representation in RDF_REPRESENTATIONS:
            if representation.media_type == media and representation.rdf_format is not None:
                return Response(report.to_rdf(representation.rdf_format),
                                media_type=representation.media_type)
    return JSONResponse(report.to_json())


async def _source(form: object, site: Site) -> tuple[bytes, str, str | None] | None:
    """The source from the form: an uploaded file, else pasted text, else a URL to fetch (at a
    public address only: the site's policy); None when nothing was given."""
    limit = site.settings.max_body_bytes
    get = form.get  # type: ignore[attr-defined]
    upload = get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise PayloadTooLarge(f"{upload.filename}: larger than {limit} bytes")
        return data, upload.filename, None
    text = str(get("text") or "").strip()
    if text:
        return text.encode("utf-8"), "pasted.ttl", None
    url = str(get("url") or "").strip()
    if url:
        data, media = await run_in_threadpool(
            fetch_source, url, timeout=site.settings.fetch_timeout, max_bytes=limit,
            policy=site.fetch_policy)
        return data, url, media if media in BODY_FORMATS else None
    return None


def _page(request: Request, *, report: ValidationReport | None = None, error: str = "",
          status: int = 200, chosen: str = DEFAULT_PROFILE, pasted: str = "") -> Response:
    site = site_of(request)
    profiles = all_profiles(site.settings.profiles_dir)
    csv_href = ""
    if report is not None and len(report.results) <= EMBEDDED_CSV_RESULTS:
        csv_href = "data:text/csv;charset=utf-8," + quote(report.to_csv(language(request)))
    return site.render(request, "validate.html", status=status, report=report, error=error,
                       profiles=list(profiles.values()), chosen=chosen, pasted=pasted,
                       csv_href=csv_href, focus_shown=FOCUS_SHOWN)


def _csv(report: ValidationReport, lang: str) -> Response:
    return Response(report.to_csv(lang), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="validation.csv"'})


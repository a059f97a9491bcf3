"""The built package works outside the checkout: a wheel installed into a fresh venv serves
the site with its templates, static files, shapes, ontology and bundled content."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from tests.web.live import free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[1]
# What a wheel is built from; nothing else of the checkout reaches it.
SOURCES = ("pyproject.toml", "README.md", "catalogue", "site", "shapes", "ontologies")
PAGES = ("/", "/doc/begrip/pand", "/doc/dataset/bag", "/doc/api/bag-individuele-bevragingen",
         "/sparql", "/begrippen", "/validate")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the sources (so the build leaves nothing in the checkout)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation",
                    "--outdir", str(work / "dist"), str(source)],
                   check=True, capture_output=True, cwd=work)
    (built,) = (work / "dist").glob("catalogue-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv outside the checkout with the wheel and its dependencies really installed
    (resolved by pip; its cache keeps this quick). Returns the venv's bin folder."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                    "install", "--quiet", str(wheel)], check=True, capture_output=True)
    return venv / "bin"


@pytest.fixture(scope="module")
def serve(installed: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The installed `catalogue serve` on a temp store, run from a folder outside the checkout
    with nothing of the checkout on its path: its address and process (output piped)."""
    home = tmp_path_factory.mktemp("run")
    port = free_port()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("CATALOGUE_", "PYTHON"))}
    command = [str(installed / "catalogue"), "serve", "--store", str(home / "store"),
               "--port", str(port)]
    with subprocess.Popen(command, cwd=home, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT) as proc:
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url + "/graphs", seconds=120, process=proc)
            yield url, proc
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@pytest.fixture(scope="module")
def served(serve: tuple[str, subprocess.Popen[bytes]]) -> str:
    return serve[0]


def test_the_wheel_holds_the_package_data_and_every_module(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {str(path.relative_to(ROOT)) for path in (ROOT / "catalogue").rglob("*.py")}
    assert modules - names == set()
    for expected in ("catalogue/_site/templates/base.html", "catalogue/_site/static/site.css",
                     "catalogue/_shapes/dcat-ap-nl.ttl", "catalogue/_ontologies/catalogue.ttl",
                     "catalogue/content/begrippen.ttl",
                     "catalogue/content/openapi/haal-centraal-brp-bevragen.openapi.yaml"):
        assert expected in names


def test_the_installed_package_runs_from_the_venv_not_the_checkout(installed: Path,
                                                                   tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed / "python"), "-c", "import catalogue; print(catalogue.__file__)"],
        check=True, capture_output=True, text=True, cwd=tmp_path,
    ).stdout.strip()
    assert Path(where).is_relative_to(installed.parent)


@pytest.mark.parametrize("page", PAGES)
def test_the_installed_catalogue_serves_its_pages_and_static_files(served: str, page: str
                                                                   ) -> None:
    answer = httpx.get(served + page, headers={"accept": "text/html"}, timeout=30)
    assert answer.status_code == 200, page
    html = BeautifulSoup(answer.text, "html.parser")
    assert html.find("main") is not None
    assets = [tag["href"] for tag in html.select("link[href^='/static/']")]
    assets += [tag["src"] for tag in html.select("script[src^='/static/']")]
    assert assets, "the page links no static file"
    for asset in assets:
        assert httpx.get(served + str(asset), timeout=30).status_code == 200, asset


def test_the_installed_catalogue_validates_with_its_shapes(installed: Path, tmp_path: Path
                                                           ) -> None:
    turtle = tmp_path / "dataset.ttl"
    turtle.write_text("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
                      "<http://example.org/d> a dcat:Dataset .\n")
    run = subprocess.run([str(installed / "catalogue"), "validate", str(turtle)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr  # violations found, shapes were read


def test_the_last_line_serve_prints_is_the_address_to_open(
        serve: tuple[str, subprocess.Popen[bytes]]) -> None:
    url, proc = serve
    assert proc.stdout is not None
    lines = []
    while not lines or "http://" not in lines[-1]:  # a hang here is a missing address line
        lines.append(proc.stdout.readline().decode().strip())
    assert lines[-1] == f"catalogue: open {url}/ (Ctrl+C stops)"
    assert not any("unix socket" in line or "Uvicorn running" in line for line in lines)
    httpx.get(url + "/", timeout=30)
    os.set_blocking(proc.stdout.fileno(), False)
    assert not proc.stdout.read(), "serve printed more after the address"

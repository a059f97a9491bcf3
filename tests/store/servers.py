"""Real SPARQL servers for the remote-store tests, each started in its own temp folder on free
loopback ports and stopped afterwards: Oxigraph server (PyPI `oxigraph`) and Virtuoso (Debian's
`virtuoso-opensource`, installed by .ci/run), set up as the README says."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from catalogue.config import Settings
from tests.conftest import BASE
from tests.web.live import free_port, wait_until_up

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
# The account the catalogue writes with: update rights for it, never for the anonymous user.
WRITER, PASSWORD = "catalogue", "catalogue-test-password"


@dataclass(frozen=True)
class Server:
    name: str
    query: str
    update: str  # with the writer's credentials where the server needs them
    graph_store: str
    sql_port: int | None = None  # Virtuoso's, for isql

    def settings(self, folder: Path) -> Settings:
        return Settings(
            store=folder / "unused", index=folder / "index.sqlite", base_iri=BASE,
            sparql_endpoint=self.query, sparql_update_endpoint=self.update,
            graph_store_endpoint=self.graph_store, publish_dir=folder / "publishing",
        )

    def environment(self, folder: Path) -> dict[str, str]:
        return {
            "CATALOGUE_SPARQL_ENDPOINT": self.query,
            "CATALOGUE_SPARQL_UPDATE_ENDPOINT": self.update,
            "CATALOGUE_GRAPH_STORE_ENDPOINT": self.graph_store,
            "CATALOGUE_INDEX": str(folder / "index.sqlite"),
            "CATALOGUE_STORE": str(folder / "unused"),
            "CATALOGUE_PUBLISH_DIR": str(folder / "publishing"),
        }


@contextmanager
def oxigraph(folder: Path, *, union: bool = True) -> Iterator[Server]:
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    process = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--location", str(folder / "oxigraph"),
         "--bind", f"127.0.0.1:{port}", *(["--union-default-graph"] if union else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/", process=process)
        yield Server("oxigraph", url + "/query", url + "/update", url + "/store")
    finally:
        process.terminate()
        process.wait(timeout=10)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 60
DirsAllowed = ., {folder}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""

# Run as dba once: a writer account with SPARQL_UPDATE, and the anonymous SPARQL user kept
# read-only (its default), as the README tells operators.
VIRTUOSO_GRANTS = (
    f"DB.DBA.USER_CREATE('{WRITER}', '{PASSWORD}'); "
    f'GRANT SPARQL_UPDATE TO "{WRITER}"; '
    f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 1); "
    f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{WRITER}', 3);"
)


@contextmanager
def virtuoso(folder: Path) -> Iterator[Server]:
    assert VIRTUOSO and ISQL
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(folder=folder, sql_port=sql_port, http_port=http_port))
    process = subprocess.Popen(
        [VIRTUOSO, "+configfile", str(ini), "+foreground"], cwd=folder,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{http_port}"
    try:
        _wait_for_virtuoso(url, process)
        subprocess.run([ISQL, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={VIRTUOSO_GRANTS}"],
                       check=True, capture_output=True, timeout=60)
        yield Server("virtuoso", url + "/sparql",
                     f"http://{WRITER}:{PASSWORD}@127.0.0.1:{http_port}/sparql-auth",
                     f"http://{WRITER}:{PASSWORD}@127.0.0.1:{http_port}/sparql-graph-crud-auth",
                     sql_port)
    finally:
        process.terminate()
        process.wait(timeout=60)


def _wait_for_virtuoso(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with {process.returncode}")
        try:
            if httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("virtuoso did not come up within 120 s")


SERVERS = [name for name, there in (("oxigraph", OXIGRAPH.exists()), ("virtuoso", VIRTUOSO))
           if there]


@contextmanager
def started(name: str, folder: Path) -> Iterator[Server]:
    with (oxigraph(folder) if name == "oxigraph" else virtuoso(folder)) as server:
        yield server


__all__ = ["SERVERS", "Server", "started", "wait_until_up"]

"""`cms serve` on the embedded PostgreSQL, run as a process and stopped as process managers stop
it: SIGTERM (docker stop, systemd), SIGINT (Ctrl-C) or SIGHUP (its terminal closed). The tests
share one data dir, so that the embedded server is initialised once."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from cms.db.migrate import head_revision

ROOT = Path(__file__).parent.parent

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pgserver") is None, reason="needs the embedded PostgreSQL: pip install -e '.[embedded]'"
)


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMS_")}
    # As in containers and CI, where platformdirs used to warn through pgserver.
    env.pop("XDG_RUNTIME_DIR", None)
    return {**env, "CMS_DATA_DIR": str(data_dir)}


def cms(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cms", *args],
        capture_output=True,
        text=True,
        env=_env(data_dir),
        cwd=ROOT,
        timeout=120,
        check=False,
    )


@dataclass
class Server:
    """A `cms serve` process and what it wrote to stderr."""

    process: subprocess.Popen[str]
    port: int
    output: Path

    def lines(self) -> list[str]:
        """The lines written so far, without the timestamp."""
        return [line.split(" ", 2)[2] for line in self.output.read_text().splitlines() if line[:2] == "20"]

    def stop(self, signum: int) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout=60)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    data = tmp_path_factory.mktemp("cms-data")
    yield data
    if (data / "pgdata" / "postmaster.pid").exists():
        # A failed test left it running: the next cms process to let go of it stops it.
        cms(data, "migrate")


@pytest.fixture(scope="module")
def first_start(data_dir: Path) -> Server:
    """The first `cms serve` on the data dir, stopped with SIGTERM; later ones find it set up."""
    server = _start(data_dir, data_dir.parent / "first-start.log")
    try:
        server.stop(signal.SIGTERM)
    except subprocess.TimeoutExpired:
        server.process.kill()
        raise
    return server


@pytest.fixture
def serve(first_start: Server, data_dir: Path, tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Starts `cms serve` on the data dir, with more settings if given."""
    started: list[Server] = []

    def start(**settings: str) -> Server:
        server = _start(data_dir, tmp_path / f"serve-{len(started)}.log", **settings)
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


def test_first_start_sets_up_and_says_so(first_start, data_dir):
    lines = first_start.lines()

    assert first_start.process.returncode == 0
    assert lines[0] == f"INFO cms.db.engine embedded PostgreSQL started; its data is in {data_dir.resolve()}/pgdata"
    assert re.fullmatch(rf"INFO cms migrations applied: (\d{{4}}, )*{head_revision()}", lines[1])
    loaded = re.fullmatch(r"INFO cms demo newsroom loaded \((\d+) articles\)", lines[2])
    assert loaded is not None
    assert int(loaded[1]) > 0
    assert lines[3] == (
        f"INFO cms ready at http://127.0.0.1:{first_start.port}/graphql (open it in a browser for GraphiQL)"
    )
    assert lines[-2:] == ["INFO cms stopped on SIGTERM", "INFO cms.db.engine embedded PostgreSQL stopped"]
    _assert_no_warnings(first_start)


@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=["SIGTERM", "SIGINT", "SIGHUP-terminal-closed"]
)
def test_signal_finishes_the_request_in_flight_then_stops_postgres(serve, data_dir, signum):
    server = serve()
    postmaster = _postmaster_pid(data_dir)
    body = json.dumps({"query": "{ articles(first: 1) { totalCount } }"}).encode()
    head = (
        b"POST /graphql HTTP/1.1\r\nHost: cms.test\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
    )
    in_flight = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    # One whole request first, so that the server is warm; then one whose body is still on its
    # way when the signal arrives, and which needs the database once the body is complete.
    in_flight.sendall(head + body)
    assert _read_response(in_flight).startswith(b"HTTP/1.1 200 OK\r\n")
    in_flight.sendall(head + body[:10])
    time.sleep(0.5)

    server.process.send_signal(signum)
    _wait_until_refused(server.port)
    time.sleep(0.3)
    assert server.process.poll() is None
    in_flight.sendall(body[10:])
    response = _read_all(in_flight)

    assert response.startswith(b"HTTP/1.1 200 OK\r\n")
    assert json.loads(response.split(b"\r\n\r\n", 1)[1])["data"]["articles"]["totalCount"] > 0
    assert server.process.wait(timeout=60) == 0
    assert server.lines()[:4] + server.lines()[-2:] == [
        f"INFO cms.db.engine embedded PostgreSQL started; its data is in {data_dir.resolve()}/pgdata",
        f"INFO cms database up to date (migration {head_revision()})",
        "INFO cms demo newsroom skipped: the database already has articles",
        f"INFO cms ready at http://127.0.0.1:{server.port}/graphql (open it in a browser for GraphiQL)",
        f"INFO cms stopped on {signal.Signals(signum).name}",
        "INFO cms.db.engine embedded PostgreSQL stopped",
    ]
    _assert_no_warnings(server)
    _assert_postgres_stopped(data_dir, postmaster)


def test_every_command_shares_the_embedded_database(serve, data_dir):
    server = serve()
    postmaster = _postmaster_pid(data_dir)

    # While the server runs, a command joins its PostgreSQL and leaves it running.
    token = cms(data_dir, "create-token", "--name", "shared", "--role", "ADMIN")
    assert token.returncode == 0, token.stderr
    assert f"embedded PostgreSQL already running for process {server.process.pid}" in token.stderr
    assert f"embedded PostgreSQL left running for the cms process {server.process.pid} still using it" in token.stderr
    viewer = httpx.post(
        f"http://127.0.0.1:{server.port}/graphql",
        json={"query": "{ viewer { role } }"},
        headers={"Authorization": f"Bearer {token.stdout.strip().splitlines()[-1]}"},
    )
    assert viewer.json() == {"data": {"viewer": {"role": "ADMIN"}}}
    assert server.stop(signal.SIGTERM) == 0
    _assert_postgres_stopped(data_dir, postmaster)

    # Alone, a command starts it and stops it again.
    assert cms(data_dir, "migrate").stdout.strip() == "database already up to date"
    assert cms(data_dir, "demo").stdout.strip() == "demo newsroom loaded (0 new articles)"
    assert not (data_dir / "pgdata" / "postmaster.pid").exists()
    assert _postgres_processes(data_dir) == []


def test_a_server_killed_outright_does_not_keep_postgres_running(serve, data_dir):
    killed = serve()
    postmaster = _postmaster_pid(data_dir)
    killed.process.kill()
    killed.process.wait()
    assert json.loads((data_dir / "pgdata" / ".handle_pids.json").read_text()) == [killed.process.pid]
    assert _postgres_processes(data_dir) != []

    server = serve()
    assert server.lines()[0] == (
        f"INFO cms.db.engine embedded PostgreSQL found running, left by process {killed.process.pid}, "
        f"which ended without stopping it; its data is in {data_dir.resolve() / 'pgdata'}"
    )
    assert _postmaster_pid(data_dir) == postmaster
    assert server.stop(signal.SIGTERM) == 0

    assert server.lines()[-1] == "INFO cms.db.engine embedded PostgreSQL stopped"
    _assert_postgres_stopped(data_dir, postmaster)


def test_client_address_comes_from_trusted_proxies_only(serve):
    # A second loopback address stands for the proxy; uvicorn's default would trust 127.0.0.1.
    if not _can_bind("127.0.0.2"):
        pytest.skip("no second loopback address here")
    server = serve(CMS_FORWARDED_ALLOW_IPS="127.0.0.2")

    for source in ("127.0.0.2", "127.0.0.1"):
        with httpx.Client(transport=httpx.HTTPTransport(local_address=source)) as client:
            client.post(
                f"http://127.0.0.1:{server.port}/graphql",
                json={"query": f'mutation {{ login(email: "{source}@example.com", password: "wrong") {{ token }} }}'},
                headers={"X-Forwarded-For": "203.0.113.7"},
            )
    assert server.stop(signal.SIGTERM) == 0

    failures = [re.search(r"email='(\S+)@example.com' address=(\S+)", line) for line in server.lines()]
    assert [m.groups() for m in failures if m] == [("127.0.0.2", "203.0.113.7"), ("127.0.0.1", "127.0.0.1")]


def _start(data_dir: Path, output: Path, **settings: str) -> Server:
    """`cms serve` on a free port, once it answers /healthz."""
    port = _free_port()
    with output.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "cms", "serve", "--port", str(port), "--graceful-timeout", "30"],
            env={**_env(data_dir), **settings},
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    server = Server(process, port, output)
    try:
        _wait_until_healthy(server)
    except BaseException:
        process.kill()
        process.wait()
        raise
    return server


def _can_bind(address: str) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((address, 0))
        except OSError:
            return False
        return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_healthy(server: Server) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"cms serve exited with {server.process.returncode}:\n{server.output.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{server.port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"cms serve did not answer /healthz:\n{server.output.read_text()}")


def _wait_until_refused(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except ConnectionRefusedError:
            return
        time.sleep(0.05)
    pytest.fail("the server still accepts connections")


def _read_response(sock: socket.socket) -> bytes:
    """One response whose body has a Content-Length, leaving the connection open."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    length = int(re.search(rb"(?i)content-length: (\d+)", data)[1])  # type: ignore[index]
    while len(data.split(b"\r\n\r\n", 1)[1]) < length:
        data += sock.recv(65536)
    return data


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    sock.close()
    return b"".join(chunks)


def _postmaster_pid(data_dir: Path) -> int:
    return int((data_dir / "pgdata" / "postmaster.pid").read_text().split()[0])


def _postgres_processes(data_dir: Path) -> list[int]:
    import psutil

    pgdata = str(data_dir.resolve() / "pgdata")
    return [
        p.pid
        for p in psutil.process_iter(["name", "cmdline"])
        if p.info["name"] == "postgres" and pgdata in (p.info["cmdline"] or [])
    ]


def _assert_no_warnings(server: Server) -> None:
    output = server.output.read_text()
    assert "Warning" not in output
    assert "Traceback" not in output
    assert not [line for line in server.lines() if not line.startswith("INFO ")]


def _assert_postgres_stopped(data_dir: Path, postmaster: int) -> None:
    import psutil

    def running() -> bool:
        try:
            return bool(psutil.Process(postmaster).status() != psutil.STATUS_ZOMBIE)
        except psutil.NoSuchProcess:
            return False

    assert not (data_dir / "pgdata" / "postmaster.pid").exists()
    # pg_ctl stop -w returns once the server has removed postmaster.pid, its last act but exit.
    deadline = time.monotonic() + 5
    while running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running()
    assert _postgres_processes(data_dir) == []

"""gunicorn's own log lines keep no client address either (docs/security.md): a malformed
request, which gunicorn answers itself before the application sees it, is logged as
"Invalid request from ip=..." on gunicorn.error; with the project's gunicorn.conf.py the
address is scrubbed, and no access line is written for a request that succeeds.

Runs gunicorn for real, on a free port of 127.0.0.1, with one worker."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def send(port: int, raw: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


@pytest.fixture
def gunicorn(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_LOGLEVEL": "info",  # the most a deployment would log
        "DEBUG": "0",
        "STATIC_MANIFEST": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite3",
        "SECRET_KEY": "gunicorn-log-test-key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    }
    out = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--no-control-socket",
         "archive.wsgi"],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            # The worker has loaded the application once a static file is served.
            if b" 200 " in send(port, b"GET /static/css/site.css HTTP/1.0\r\n\r\n"):
                break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            out.seek(0)
            pytest.fail(f"gunicorn did not start:\n{out.read()}")
        time.sleep(0.3)

    def logs() -> str:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        out.seek(0)
        return out.read()

    yield port, logs
    if server.poll() is None:
        server.kill()
        server.wait()
    out.close()


def test_gunicorn_logs_a_malformed_request_without_the_clients_address(gunicorn):
    port, logs = gunicorn
    answer = send(port, b"\x01\x02GARBAGE /\x00 HTTP/9.9\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400")
    served = send(port, b"GET /static/css/print.css HTTP/1.0\r\n\r\n")
    assert b" 200 " in served.split(b"\r\n", 1)[0]  # a request that succeeds
    text = logs()
    assert "Invalid request from ip=[address]" in text, text
    assert "127.0.0.1" not in text, text
    assert "print.css" not in text, text  # no access log line

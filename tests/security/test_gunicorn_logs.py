"""gunicorn's own log lines keep no client address either (docs/security.md): a malformed
request, which gunicorn answers itself before the application sees it, is logged as
"Invalid request from ip=..." on gunicorn.error; with the project's gunicorn.conf.py the
address is scrubbed, and no access line is written for a request that succeeds.

Runs gunicorn for real, on a free port of 127.0.0.1, with one worker."""


def test_gunicorn_logs_a_malformed_request_without_the_clients_address(gunicorn):
    server = gunicorn()
    answer = server.send(b"\x01\x02GARBAGE /\x00 HTTP/9.9\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400")
    served = server.get("/static/css/print.css")
    assert b" 200 " in served.split(b"\r\n", 1)[0]  # a request that succeeds
    text = server.stop()
    assert "Invalid request from ip=[address]" in text, text
    assert "127.0.0.1" not in text, text
    assert "print.css" not in text, text  # no access log line

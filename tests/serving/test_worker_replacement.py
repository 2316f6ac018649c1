"""gunicorn's workers are replaced when they have grown past a memory limit, not after a
count of requests (``archive/serving.py``): a healthy worker keeps serving, so readers
never wait on a replacement (at a million people the rounds of readers in which one fell
waited 130-200 ms), and a worker that has grown is still replaced, after its answer."""

import time

import pytest

from archive.serving import DEFAULT_LIMIT_MB, grown_past, memory_limit_mb, resident_mb


def served(answer: bytes) -> bool:
    return b" 200 " in answer.split(b"\r\n", 1)[0]


def test_a_worker_serves_thousands_of_requests_and_is_still_the_same_worker(gunicorn):
    # gunicorn's max_requests (2,000 and up to 200 more) replaced it before 2,200.
    server = gunicorn()
    (worker,) = server.workers()
    for _ in range(2_300):
        assert served(server.get("/static/css/site.css"))
    assert server.workers() == {worker}


def test_a_worker_grown_past_its_limit_answers_then_is_replaced(gunicorn):
    # A limit every worker is over: each is replaced after its first answer.
    server = gunicorn(GUNICORN_WORKER_MAX_MB="1")
    (first,) = server.workers()
    assert served(server.get("/static/css/print.css"))  # the answer is whole
    deadline = time.monotonic() + 30
    while first in server.workers() or not server.workers():
        assert time.monotonic() < deadline, "the grown worker was never replaced"
        time.sleep(0.1)
    assert served(server.get("/static/css/print.css"))  # its successor serves
    log = server.stop()
    assert f"Worker {first} holds" in log and "over 1 MB (GUNICORN_WORKER_MAX_MB)" in log, log


def test_gunicorn_refuses_to_start_with_a_limit_that_is_not_a_number(gunicorn):
    with pytest.raises(pytest.fail.Exception) as failed:
        gunicorn(GUNICORN_WORKER_MAX_MB="512MB")
    assert "GUNICORN_WORKER_MAX_MB must be a whole number of megabytes" in str(failed.value)
    assert "'512MB'" in str(failed.value)


@pytest.mark.parametrize(
    ("raw", "limit"), [("", DEFAULT_LIMIT_MB), (" 768 ", 768), ("0", 0)]
)  # fmt: skip
def test_the_limit_is_read_from_the_environment_with_512_mb_by_default(raw, limit):
    assert memory_limit_mb({"GUNICORN_WORKER_MAX_MB": raw}) == limit
    assert memory_limit_mb({}) == DEFAULT_LIMIT_MB


@pytest.mark.parametrize("raw", ["-1", "1.5", "lots"])
def test_a_limit_that_is_not_a_whole_number_of_megabytes_is_refused(raw):
    with pytest.raises(ValueError, match="GUNICORN_WORKER_MAX_MB must be a whole number"):
        memory_limit_mb({"GUNICORN_WORKER_MAX_MB": raw})


def test_the_resident_memory_read_grows_with_what_the_process_holds():
    before = resident_mb()
    held = bytearray(64 * 2**20)  # 64 MB, written: resident
    after = resident_mb()
    assert before is not None and after - before > 48, (before, after)
    del held


def test_only_a_worker_over_its_limit_is_replaced_and_a_limit_of_zero_replaces_none():
    assert grown_past(512, 600.0)
    assert not grown_past(512, 400.0)
    assert not grown_past(0, 10_000.0)
    assert not grown_past(512, None)  # no /proc: never replaced for its size

"""gunicorn settings for production (``gunicorn archive.wsgi``).

Workers are stateless: sessions, cache and rate-limit counters live in the database, media
in the file system or S3, so any number of workers on any number of machines can serve."""

import multiprocessing
import os
import sys
from pathlib import Path

# The project's own log filter, importable before the application is loaded (it needs
# nothing of Django).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive.security import ScrubPersonalData
from archive.serving import memory_limit_mb, replace_if_grown

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One worker per core: the work is CPU (rendering, ranking) and PostgreSQL's backends share
# the cores. Measured on 2 cores with PostgreSQL on the same machine (docs/benchmarks.md),
# in paired runs: record pages at 199-217/s with 2 workers, 166-212/s with 3; earlier, 5
# workers were 20 % slower than 3. A machine that runs no database can take one or two
# more (GUNICORN_WORKERS).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# A worker is replaced when it has grown past GUNICORN_WORKER_MAX_MB (512 by default), not
# after a count of requests: replaced every 2,000, a worker was gone for a moment and its
# successor rendered its first pages inline, and the rounds of readers that fell there
# waited 130-200 ms (archive/serving.py). A worker does not grow with its requests.
max_requests = 0
worker_max_mb = memory_limit_mb()


def post_request(worker, req, environ, resp):
    replace_if_grown(worker, worker_max_mb)


# The application is loaded and warmed up once, in the master (archive/wsgi.py), and each
# worker is a fork of it. Loaded in each worker instead, a replaced worker spent about a
# second importing and warming up while readers waited (p95 after an edit 104-158 ms on
# the pages where it fell; see docs/benchmarks.md). A new release needs a restart, not a
# HUP.
preload_app = True
# No access log: it would record every reader's address (docs/security.md).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "warning")
# Every line gunicorn writes goes through the application's scrubbing: its own errors
# ("Invalid request from ip=..." for a malformed request, which never reaches Django) are
# logged on gunicorn.error, outside Django's logging. A logconfig_dict turns gunicorn's
# access log on, so the access logger is silenced here as well (accesslog alone no longer
# does it).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": ScrubPersonalData}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
            "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
        }
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "plain",
            "filters": ["scrub"],
        },
    },
    "root": {"level": "WARNING", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
    },
}
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

"""gunicorn settings for production (``gunicorn archive.wsgi``).

Workers are stateless: sessions, cache and rate-limit counters live in the database, media
in the file system or S3, so any number of workers on any number of machines can serve."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One worker per core and one more: the work is CPU (rendering, ranking), and measured on
# 2 cores with PostgreSQL on the same machine, 3 workers served record pages at 226/s,
# 5 workers at 179/s (docs/benchmarks.md). More machines, not more workers per core.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
max_requests = 2000  # recycle workers to bound memory growth
max_requests_jitter = 200
# No access log: it would record every reader's address (docs/security.md).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "warning")
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

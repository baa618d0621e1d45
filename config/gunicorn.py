"""gunicorn's settings for every way the portal is served: the Docker image, docker-compose and
`make bench`, so the benchmark measures the server as it runs in production (command-line options
still override these; the benchmark sets its own port and the issue's two workers).

    gunicorn -c config/gunicorn.py config.wsgi:application
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Sync workers: measured against 2 workers x 4 threads on the payment notifications, threads gave
# a lower rate and a longer p99 on 2 cores (the work is CPU-bound, not waiting on the database).
worker_class = "sync"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# The request id nginx sent (X-Request-ID), as in the app's log lines and nginx's access log.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}i)s'


def child_exit(server, worker):
    """With PROMETHEUS_MULTIPROC_DIR (compose), a finished worker's live gauges are dropped."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

"""`make bench`'s surge only (GOODDAY_SERVER_TIMING): each answer says what it cost the server, in a Server-Timing
header the surge benchmark (bench/giving_surge.py) reads to show where the time goes per step:

    Server-Timing: app;dur=12.4, cpu;dur=9.1, sql;dur=2.3, stmts;desc="5"

`app` is the request's time in the web process (the whole middleware stack: the client's figure
minus it is the network and the wait for a free worker), `cpu` the processor time the worker spent
on it, `sql` the time spent waiting on the database's answers to `stmts` statements. Never
installed in production: settings add it only under GOODDAY_SERVER_TIMING,
which only the surge's gunicorn sets (the public pages are measured without it).
"""

import time

from django.db import connections


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sql = [0, 0.0]

        def count(execute, query, params, many, context):
            started = time.perf_counter()
            try:
                return execute(query, params, many, context)
            finally:
                sql[0] += 1
                sql[1] += time.perf_counter() - started

        wall, cpu = time.perf_counter(), time.process_time()
        with connections["default"].execute_wrapper(count):
            response = self.get_response(request)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        response["Server-Timing"] = (
            f'app;dur={wall * 1000:.1f}, cpu;dur={cpu * 1000:.1f}, sql;dur={sql[1] * 1000:.1f}, stmts;desc="{sql[0]}"'
        )
        return response

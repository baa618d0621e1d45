from bench.web import median_run, parse_wrk, spread

WRK_OUTPUT = """Running 8s test @ http://127.0.0.1:18900/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.12ms    1.20ms  30.11ms   90.00%
  Latency Distribution
     50%    3.90ms
     75%    4.50ms
     90%    5.60ms
     99%   12.34ms
  31000 requests in 8.00s, 10.00MB read
Requests/sec:   3875.50
Transfer/sec:      1.25MB
"""


def test_parse_wrk_reads_rate_and_p99():
    assert parse_wrk(WRK_OUTPUT) == (3875.5, 12.34)


def test_parse_wrk_converts_microseconds_and_seconds():
    assert parse_wrk(WRK_OUTPUT.replace("12.34ms", "800.00us"))[1] == 0.8
    assert parse_wrk(WRK_OUTPUT.replace("12.34ms", "1.50s"))[1] == 1500.0


def test_median_run_is_the_run_with_the_median_p99_and_lists_every_p99():
    runs = [(900.0, 80.0), (1000.0, 20.0), (950.0, 30.0)]
    assert median_run(runs) == (950.0, 30.0, [20.0, 30.0, 80.0])
    assert spread([20.0, 30.0, 80.4]) == "runs 20, 30, 80"


def test_the_surge_reads_the_server_timing_header():
    from bench.giving_surge import _server_timing

    header = 'app;dur=12.4, cpu;dur=9.1, sql;dur=2.3, stmts;desc="5"'
    assert _server_timing(header) == (12.4, 9.1, 2.3, 5.0)
    assert _server_timing("") is None  # an answer without it (not a bench server)

"""Smoke runs of the benchmarks (a few clients, a second or two, small data), so they cannot rot.

The figures of a smoke run mean nothing; these tests check that each benchmark still runs end to
end and writes a result with the contract's fields and sane values, not that it meets its goals.
"""

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from bench.dataset import PG_ADMIN_URL
from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = ("name", "metric", "value", "baseline", "ratio", "unit", "p50_ms", "p99_ms")


def own_redis_url():
    """This test process's own Redis database (tests/conftest.py), for the benchmarks that use Redis: they
    empty theirs, and their defaults may be another test process's."""
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def run_smoke(name, results_dir, env=None):
    """`python -m bench.run NAME --smoke` into `results_dir`, `env` added; (the result, what it printed)."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", name, "--smoke", "--results-dir", str(results_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=100,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads((results_dir / f"{name}.json").read_text()), done.stdout


def require_services(redis_url):
    """PostgreSQL and Redis answer (a failure in CI, else a skip)."""
    import redis

    try:
        redis.Redis.from_url(redis_url).ping()
    except redis.RedisError as error:
        unavailable("Redis", error)
    require_postgres()


def require_postgres():
    """PostgreSQL answers (a failure in CI, else a skip)."""
    engine = create_engine(PG_ADMIN_URL)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as error:
        unavailable("PostgreSQL", error)
    finally:
        engine.dispose()


def check_contract(result, name, may_be_zero=()):
    """The fields every benchmark writes, with finite numbers and the machine facts.

    `may_be_zero` names figures that a smoke run's handful of clients can leave at 0 (a wait, say).
    """
    missing = [key for key in REQUIRED if key not in result]
    assert not missing, missing
    assert result["name"] == name
    assert result["smoke"] is True
    for key in ("value", "baseline", "ratio", "p50_ms", "p99_ms"):
        assert isinstance(result[key], int | float) and math.isfinite(result[key]), key
        assert result[key] >= 0 if key in may_be_zero else result[key] > 0, key
    assert result["p50_ms"] <= result["p99_ms"]
    assert result["machine"]["cpu_count"] >= 1
    assert result["machine"]["date"]


@pytest.mark.postgres
@pytest.mark.redis
def test_thread_page_smoke(tmp_path):
    """Both apps behind nginx on PostgreSQL and Redis, wrk reading the request list, the writer replying."""
    from bench.nginx import nginx_path
    from bench.thread_page import SMOKE
    from bench.thread_page_result import GOALS

    if shutil.which("wrk") is None:
        unavailable("wrk", "it is not installed (run `make wrk`)")
    try:
        nginx_path()
    except RuntimeError as error:
        unavailable("nginx", error)
    require_services(own_redis_url())
    result, printed = run_smoke("thread_page", tmp_path, {"BENCH_REDIS_URL": own_redis_url()})
    check_contract(result, "thread_page")
    assert result["unit"] == "requests/s"
    phases = result["phases"]
    assert (
        result["value"] == phases["mixed"]["rps"]["median"]
        and result["baseline"] == phases["hello"]["rps"]["median"]
    )
    assert result["ratio"] == phases["mixed"]["ratio"]["median"]
    assert set(result["goals"]) == set(result["goals_met"]) == set(GOALS)
    assert len(result["rounds"]) == SMOKE["rounds"]
    for figures in result["rounds"]:
        for kind in ("hello", "mixed", "anonymous", "anonymous_app", "signed_in"):
            run = figures[kind]
            assert run["requests"] > 0 and run["cpu_ms_per_request"] > 0, kind
            assert not any(run["errors"].values()), (kind, run["errors"])
        for kind in ("mixed", "anonymous", "anonymous_app", "signed_in"):
            assert figures[kind]["writer"]["posted"] > 0 and not figures[kind]["writer"]["failures"]
        assert figures["cold"]["requests"] == result["setup"]["cold_requests_per_round"] > 0
    for kind, figures in result["cpu_ms_per_request"].items():
        assert 0 < figures["min"] <= figures["median"] <= figures["max"], kind
    assert result["cold_render_cpu_ms"] == result["cpu_ms_per_request"]["cold_render"]["median"]
    assert result["writer"]["replies"] >= 3 and result["writer"]["failures"] == []
    assert set(result["writer"]["threads"]) <= set(range(1, SMOKE["threads"] + 1))
    readers = result["setup"]["readers"]
    assert readers["accounts_signed_in"] == SMOKE["accounts"]
    assert len(readers["locales"]) == 6 and readers["distinct_requests"] > 1
    assert result["setup"]["posts"] == result["setup"]["load"]["rows"]["post"]
    assert (
        "cache hit" in result["single_url_cache_hit"]["label"] and result["single_url_cache_hit"]["rps"] > 0
    )
    assert printed.count("thread_page: mixed") == 1


@pytest.mark.postgres
def test_dashboard_smoke(tmp_path):
    """The participation dashboard on a small PostgreSQL data set: every kind of row loaded, pages timed."""
    require_postgres()
    result, printed = run_smoke("dashboard", tmp_path)
    check_contract(result, "dashboard")
    assert result["baseline"] == 300 and result["samples"] == 4  # one round of the four filters
    assert result["first_request_ms"] > 0 and result["chart"]["samples"] == 9
    assert result["two_days_live"]["samples"] == 4 and result["tally_count_s"] >= 0
    assert result["report"]["pdf_bytes"] > 0 and result["report"]["pdf_process_cpu_s"] > 0
    rows = result["setup"]["rows"]
    assert (rows["users"], rows["post"], rows["question_vote"]) == (200, 2_000, 500)
    assert printed.startswith("dashboard: running (smoke)")


@pytest.mark.postgres
def test_search_smoke(tmp_path):
    """search() on a small corpus in SQLite and in PostgreSQL, every query answered."""
    require_postgres()
    result, printed = run_smoke("search", tmp_path)
    check_contract(result, "search")
    assert result["unit"] == "ms"
    assert result["baseline"] == 50
    assert set(result["databases"]) == {"sqlite", "postgresql"}
    for figures in result["databases"].values():
        assert figures["samples"] >= 50
        assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"]
        assert figures["load"]["indexed_rows"] == figures["load"]["posts"]
        # The slowest queries are the common words: they found posts, so the queries really searched.
        assert any(entry["matches"] > 0 for entry in figures["slowest"])
    assert result["value"] == max(f["p95_ms"] for f in result["databases"].values())
    assert printed.count("search: sqlite") == 1


@pytest.mark.postgres
@pytest.mark.redis
def test_vote_storm_smoke(tmp_path):
    """Readers and voters on the production stack (PostgreSQL, Redis): no vote lost, counts exact."""
    import redis

    from bench.vote_storm import SMOKE

    try:
        redis.Redis.from_url(own_redis_url()).ping()
    except redis.RedisError as error:
        unavailable("Redis", error)
    result, printed = run_smoke("vote_storm", tmp_path, {"BENCH_REDIS_URL": own_redis_url()})
    check_contract(result, "vote_storm")
    assert result["unit"] == "ms" and result["baseline"] == 100
    assert result["votes_sent"] == result["votes_stored"] > 0
    assert result["lost_votes"] == 0 and result["refused_votes"] == 0
    assert result["final_counts_exact"] is True
    assert 1 <= result["count_broadcasts_per_s"] <= 4
    assert result["disconnected_clients"] == 0
    assert result["setup"]["readers_subscribed"] == SMOKE["readers"]
    # Every reader heard the counts, the readers in the load-client process too.
    assert result["broadcasts_per_reader_min"] >= 1
    assert printed.count("vote_storm: ") == 2


def check_fanout(result, name, printed):
    """Every reader got every reply, from the forum and from the bare app, with sane latencies."""
    # A wait after the response can be 0 with a handful of readers: the server publishes before answering.
    check_contract(result, name, may_be_zero=("value", "baseline", "p50_ms", "p99_ms"))
    assert result["unit"] == "ms"
    for side in ("forum", "bare"):
        figures = result[side]
        assert sum(process["subscribed"] for process in figures["setup"]) == result["readers"]
        assert figures["rounds"] == result["setup"]["rounds"] and figures["missed_receipts"] == 0
        assert figures["last_receipt_from_request"]["p50_ms"] > 0
        assert figures["first_to_last_receipt"]["p50_ms"] >= 0
    # Readers received the rendered post (its HTML), not a bare notice.
    assert result["setup"]["message_bytes"] > 500
    assert result["goals_met"]["all_received"] is True and result["goals_met"]["all_subscribed"] is True
    assert result["forum"]["server_errors"] == {}
    assert result["goals_met"]["no_server_errors"] is True
    assert len(result["repeats"]) == result["setup"]["repeats"]
    for ratio in ("delivery_ratio", "response_ratio"):
        assert 0 < result[ratio]["min"] <= result[ratio]["median"] <= result[ratio]["max"]
    # CPU of the forum's own server processes, read from /proc (clock ticks: the bare app's few
    # replies of a smoke run may cost less than one).
    assert all(cpu > 0 for cpu in result["server_cpu_ms_per_reply"])
    assert printed.count(f"{name}: {result['readers']} readers") == 1


def test_fanout_one_process_smoke(tmp_path):
    """A reply posted through the form reaches every Socket.IO reader of one process, as a bare event does."""
    result, printed = run_smoke("fanout_1000", tmp_path)
    check_fanout(result, "fanout_1000", printed)
    assert "sqlite" in result["setup"]["database"]


@pytest.mark.parametrize(("name", "readers"), [("fanout_1000", 1000), ("fanout_2000", 2000)])
def test_the_one_process_fanouts_differ_only_by_their_readers(monkeypatch, name, readers):
    """fanout_2000 is fanout_1000's run with more readers: its smoke run would repeat the one above."""
    import importlib

    module = importlib.import_module(f"bench.{name}")
    calls = []
    monkeypatch.setattr(module, "run_one", lambda *args: calls.append(args))
    module.run(smoke=True)
    assert calls == [(name, readers, True)]


@pytest.mark.postgres
@pytest.mark.redis
def test_fanout_2proc_4000_smoke(tmp_path):
    """Two server processes on PostgreSQL and the Redis queue: readers of both get the reply posted on one."""
    import redis

    try:
        redis.Redis.from_url(own_redis_url()).ping()
    except redis.RedisError as error:
        unavailable("Redis", error)
    engine = create_engine(PG_ADMIN_URL)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as error:
        unavailable("PostgreSQL", error)
    finally:
        engine.dispose()
    result, printed = run_smoke("fanout_2proc_4000", tmp_path, {"BENCH_FANOUT_REDIS_URL": own_redis_url()})
    check_fanout(result, "fanout_2proc_4000", printed)
    assert result["setup"]["load_processes"] == 2
    assert "postgresql" in result["setup"]["database"]


def test_idle_capacity_smoke(tmp_path):
    """Idle readers on the forum and on the bare app: all connect, memory is read, replies still arrive."""
    result, printed = run_smoke("idle_capacity", tmp_path)
    check_contract(result, "idle_capacity", may_be_zero=("p50_ms", "p99_ms"))
    assert result["unit"] == "KiB/connection"
    assert result["connected"] == result["readers"] and result["goals_met"]["connected"] is True
    assert result["join_seconds"] > 0 and result["baseline_join_seconds"] > 0 and result["join_ratio"] > 0
    for side in ("forum", "bare"):
        figures = result[side]
        assert figures["connected"] == result["readers"] and figures["missed_receipts"] == 0
        assert 0 < figures["rss_before_kib"] <= figures["rss_after_kib"] + 1024
    assert printed.count(f"idle_capacity: {result['readers']}/") == 1


def test_ip_country_smoke(tmp_path):
    """The place-of-sign-in lookup over the installed DB-IP file: loaded, measured, addresses placed."""
    result, printed = run_smoke("ip_country", tmp_path)
    check_contract(result, "ip_country")
    assert result["unit"] == "ms" and result["baseline"] == 0.1
    assert result["all"]["samples"] == 2_000 and result["ipv4"]["samples"] == result["ipv6"]["samples"]
    # Most of the IPv4 space and part of 2000::/3 are allocated to some country.
    assert 0.3 < result["placed_share"] < 1
    assert result["kept_mib"] >= result["file_mib"] > 1 and result["load_ms"] > 0
    assert result["setup"]["ranges"]["4"] > 100_000 and "DB-IP" in result["setup"]["source"]
    assert printed.count("ip_country: lookup") == 1

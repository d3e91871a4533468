"""A restore drill next to production, on the same Redis: neither hears the other (issue 25, item 1).

Both databases come from the same demo data, so they give the same thread the same id and the same
room numbers to different posts: on a shared channel each side's readers would get the other's posts.
"""

import subprocess

import pytest

from bench.server import BIN
from tests.conftest import new_postgres_database
from tests.deploy.conftest import ROOT, prepare, production_env, server, sign_in, thread_id

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_a_drill_on_the_same_redis_neither_hears_nor_is_heard(tmp_path, shared_postgres_database, own_redis):
    for side in ("prod", "drill"):
        (tmp_path / side).mkdir()
    prod_env = production_env(tmp_path / "prod", shared_postgres_database, own_redis.url, "dialogue")
    with new_postgres_database("forum_drill") as drill_url:
        drill_env = production_env(tmp_path / "drill", drill_url, own_redis.url, "dialogue-restore")
        for env in (prod_env, drill_env):
            prepare(env)
        thread = thread_id(shared_postgres_database)
        assert thread_id(drill_url) == thread  # the same room on both sides
        room = f"thread:{thread}"
        with (
            server(prod_env, tmp_path / "prod.log") as prod,
            server(drill_env, tmp_path / "drill.log") as drill,
        ):
            prod_reader, drill_reader = sign_in(prod), sign_in(drill)
            for reader in (prod_reader, drill_reader):
                reader.connect()
                assert reader.subscribe(room)["ok"]
            assert (
                sign_in(drill, "delegate.kenya@demo.dialogue.int").reply(thread, "Drill").status_code == 302
            )
            assert sign_in(prod, "delegate.kenya@demo.dialogue.int").reply(thread, "Real").status_code == 302
            for reader, mine in ((prod_reader, "Real"), (drill_reader, "Drill")):
                event = reader.wait_for(lambda name, payload: name == "post.created")
                assert event is not None and mine in event[1]["html"]
            # Each heard its own post; a stray one from the other side would have arrived by now too.
            for reader in (prod_reader, drill_reader):
                assert len(reader.ids("post.created")) == 1
                reader.close()

            # The drill started by mistake under production's name refuses to start, and says why.
            mistaken = {**drill_env, "FORUM_DEPLOYMENT": "dialogue"}
            refused = subprocess.run(
                [str(BIN / "flask"), "--app", "wsgi", "db", "current"],
                cwd=ROOT,
                env=mistaken,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert refused.returncode != 0
            assert "FORUM_DEPLOYMENT='dialogue' is in use on this Redis by another database" in refused.stderr

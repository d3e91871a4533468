"""The test processes themselves: two runs of the suite on one machine never share a Redis database."""

import os

import pytest
import redis

from tests.conftest import CLAIM, CLAIMABLE, REDIS_SERVER, _claim_redis_database

pytestmark = pytest.mark.redis


def test_each_test_process_claims_a_redis_database_no_other_holds():
    claims = redis.Redis.from_url(f"{REDIS_SERVER}/0")
    taken = [_claim_redis_database(), _claim_redis_database()]
    try:
        assert None not in taken and taken[0] != taken[1]
        assert set(taken) <= set(CLAIMABLE)
        for database in taken:
            assert claims.get(CLAIM.format(database)) == str(os.getpid()).encode()
            assert claims.ttl(CLAIM.format(database)) > 0  # a killed run frees its database in the end
        # This process's own database is claimed too, unless the run was given one.
        own = int(os.environ["TEST_REDIS_URL"].rsplit("/", 1)[1])
        assert own not in taken
    finally:
        claims.delete(*(CLAIM.format(database) for database in taken if database is not None))
        claims.close()

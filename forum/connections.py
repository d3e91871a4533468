"""PostgreSQL's connection budget: what the deployment's processes may open against what the server allows.

Each server process keeps a pool of DATABASE_POOL_SIZE connections and opens up to DATABASE_MAX_OVERFLOW
more under load; FORUM_PROCESSES processes (on every machine together) may hold all of them at once,
plus a few for the commands and timers (mail, migrations, a backup). Past `max_connections` the server
refuses the next connection ("too many clients"), under load, on the day: the documented three
processes needed 120 of PostgreSQL's default 100. `make serve` checks it before starting
(`flask --app wsgi forum check-connections`).
"""

from dataclasses import dataclass

from sqlalchemy import text

# Connections kept for what runs beside the server processes: the mail timer, migrations, a backup, psql.
SPARE = 5


@dataclass
class Budget:
    """The connections the deployment may open, and those the server lets it."""

    processes: int
    pool_size: int
    max_overflow: int
    max_connections: int
    reserved: int

    @property
    def per_process(self):
        """What one process may hold at once: its pool and the overflow."""
        return self.pool_size + self.max_overflow

    @property
    def needed(self):
        """What every process and the spare connections may hold at once."""
        return self.processes * self.per_process + SPARE

    @property
    def available(self):
        """What the server lets ordinary roles open: max_connections less the reserved slots."""
        return self.max_connections - self.reserved

    def describe(self):
        """The sum, in words, as the check prints it."""
        return (
            f"FORUM_PROCESSES={self.processes} × {self.per_process} (DATABASE_POOL_SIZE={self.pool_size} + "
            f"DATABASE_MAX_OVERFLOW={self.max_overflow}) + {SPARE} for commands and timers = {self.needed} "
            f"connections; PostgreSQL allows {self.available} (max_connections={self.max_connections} "
            f"less {self.reserved} reserved)"
        )

    def problem(self):
        """Why the budget does not fit, with the ways out; None when it fits."""
        if self.needed <= self.available:
            return None
        return (
            f"PostgreSQL connection budget exceeded: {self.describe()}. Under load a process would be "
            f"refused a connection ('too many clients'). Raise max_connections to at least "
            f"{self.needed + self.reserved}, lower DATABASE_POOL_SIZE or DATABASE_MAX_OVERFLOW, run fewer "
            "processes, or put PgBouncer in front (then set DATABASE_CONNECTIONS_CHECK=warn)."
        )


def server_limits(engine):
    """(max_connections, reserved slots) of the PostgreSQL server behind `engine`."""
    names = ("max_connections", "superuser_reserved_connections", "reserved_connections")
    with engine.connect() as conn:
        # pg_settings rather than SHOW: reserved_connections exists from PostgreSQL 16 only.
        query = text("SELECT name, setting FROM pg_settings WHERE name = ANY(:names)")
        settings = dict(conn.execute(query, {"names": list(names)}).all())
    reserved = sum(int(settings.get(name, 0)) for name in names[1:])
    return int(settings["max_connections"]), reserved


def budget(engine, config):
    """The deployment's budget from `config` against the server behind `engine`."""
    options = config["SQLALCHEMY_ENGINE_OPTIONS"]
    max_connections, reserved = server_limits(engine)
    return Budget(
        processes=config["FORUM_PROCESSES"],
        pool_size=options.get("pool_size", 5),
        max_overflow=options.get("max_overflow", 10),
        max_connections=max_connections,
        reserved=reserved,
    )

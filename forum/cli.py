"""`flask --app wsgi forum ...`: create users and load the demo data."""

import sys

import click
from flask.cli import AppGroup

from forum import connections
from forum.accounts import services as accounts
from forum.accounts import twofactor
from forum.accounts.models import STAKEHOLDER_GROUPS
from forum.demo import DEMO_PASSWORD, USERS, seed
from forum.extensions import db
from forum.mail import digests, sender
from forum.permissions import ROLES, Role
from forum.privacy import retention
from forum.qa import reconcile, votes
from forum.rules import RuleViolation
from forum.webhooks import delivery
from forum.worker import models as _worker_models  # noqa: F401 - the worker's table joins the schema
from forum.worker.loop import Worker

forum_cli = AppGroup("forum", help="Dialogue Forum administration.")


def _read_password():
    """The password from a hidden prompt on a terminal, else the first line of stdin."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@forum_cli.command("create-user")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([role.value for role in ROLES]),
    default=Role.PARTICIPANT.value,
    show_default=True,
)
@click.option("--name", default=None, help="Full name (defaults to the part of EMAIL before @).")
@click.option("--group", type=click.Choice(list(STAKEHOLDER_GROUPS)), default="un_entity", show_default=True)
@click.option("--country", default=None, help="ISO 3166-1 alpha-2 code, e.g. CH.")
@click.option("--organisation", default="ITU", show_default=True)
def create_user(email, role, name, group, country, organisation):
    """Create a verified account; the password comes from a prompt or stdin."""
    data = {
        "email": email,
        "name": name or email.split("@")[0],
        "password": _read_password(),
        "stakeholder_group": group,
        "country": country.upper() if country else None,
        "organisation": organisation,
    }
    try:
        user = accounts.create_verified_user(data, role=role)
    except RuleViolation as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"Created {user.email} ({role}).")


@forum_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only load the demo data into a database without accounts.")
def seed_demo(if_empty):
    """Load the demo themes, agenda, users and threads; running it again adds nothing twice."""
    if if_empty and accounts.has_accounts():
        click.echo("The database already has accounts: demo data not loaded.")
    else:
        created = seed()
        click.echo(f"Demo data ready ({created} new records).")
    present = [user for user in USERS if accounts.find_by_email(user["email"])]
    if present:
        click.echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for user in present:
        click.echo(f"  {user['role']:<12} {user['status']:<9} {user['email']}")


@forum_cli.command("send-mail")
def send_mail():
    """Send the mail that is due (for a cron job or timer); failures are retried on a later run."""
    sent, failed = sender.drain()
    click.echo(f"Mail sent: {sent}; failed attempts: {failed}.")


@forum_cli.command("send-digests")
def send_digests():
    """Queue the daily digests that are due, then send the outbox."""
    queued = digests.send_due()
    sent, failed = sender.drain()
    click.echo(f"Digests queued: {queued}; mail sent: {sent}; failed attempts: {failed}.")


@forum_cli.command("send-webhooks")
def send_webhooks():
    """Send the webhook deliveries that are due (the worker sends them continuously); failures wait."""
    delivered, undelivered = delivery.deliver_due()
    click.echo(f"Webhooks delivered: {delivered}; not delivered: {undelivered}.")


@forum_cli.command("worker")
def worker():
    """Run the background jobs until SIGTERM: mail, webhooks, daily digests, retention, old live events."""
    from flask import current_app

    looping = Worker(current_app._get_current_object())
    looping.handle_signals()
    click.echo(f"Worker started: {', '.join(job.name for job in looping.jobs)}.")
    rounds = looping.run()
    click.echo(f"Worker stopped after {rounds} rounds.")


@forum_cli.command("reconcile-votes")
@click.option("--wait", default=30, show_default=True, help="Seconds to wait for the counts to be sent.")
def reconcile_votes(wait):
    """Recount the questions whose stored vote count differs from their votes, and broadcast the counts."""
    found = reconcile.reconcile()
    if not votes.coalescer().wait(wait):
        raise click.ClickException(f"{found} vote counts differed; not all were stored and sent in {wait} s.")
    click.echo(f"Vote counts corrected: {found}.")


@forum_cli.command("reset-two-factor")
@click.argument("email")
def reset_two_factor(email):
    """Remove an account's authenticator, recovery codes and keys (a lost device); sign it out everywhere."""
    user = accounts.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the address {email}.")
    twofactor.reset(user)
    click.echo(f"Two-factor sign-in removed for {user.email}; it is set up again at the next sign-in.")


@forum_cli.command("purge")
def purge():
    """Delete sent mail and sign-in address records older than their retention (for a daily timer)."""
    counts = retention.purge()
    click.echo(f"Purged: {counts['mail']} mails, {counts['sessions']} session records.")


@forum_cli.command("check-connections")
def check_connections():
    """Check that the deployment's processes fit in PostgreSQL's max_connections (make serve runs it)."""
    from flask import current_app
    from sqlalchemy.exc import OperationalError

    if db.engine.dialect.name != "postgresql":
        click.echo("Connection budget: not PostgreSQL, nothing to check.")
        return
    try:
        found = connections.budget(db.engine, current_app.config)
    except OperationalError as error:
        raise click.ClickException(
            f"Connection budget not checked, the database did not answer: {error}"
        ) from None
    problem = found.problem()
    if problem is None:
        click.echo(f"Connection budget: {found.describe()}.")
    elif current_app.config["DATABASE_CONNECTIONS_CHECK"] == "warn":
        click.echo(f"Warning: {problem}", err=True)
    else:
        raise click.ClickException(problem)


def init_app(app):
    """Register the `forum` command group."""
    app.cli.add_command(forum_cli)

"""Dialogue Forum: the application factory."""

from flask import Flask

from config import config_from_env


def create_app(config=None):
    """Build the application with `config` (a class), or from the environment when it is None."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    config = config or config_from_env()
    app.config.from_object(config)
    config.prepare(app)
    from forum import assets, logging_setup

    # First: every later line (and request hook) logs with the request's id.
    logging_setup.init_app(app)

    # Before anything builds a URL: a release's static files go by their hashed names.
    assets.init_app(app)

    from forum import (
        caching,
        database,
        deployment,
        http_cache,
        i18n,
        params,
        policy,
        security,
        throttle,
    )
    from forum.extensions import csrf, db, login_manager, migrate, socketio

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            database.ping_when_idle(engine, app.config["DATABASE_PING_AFTER_IDLE_S"])
    # First of the request hooks: a marked view's user and reads come after it, on its connection.
    database.autocommit_marked_views(app)
    # Then the permission policy's guard: no view runs before its endpoint's rule is checked.
    policy.init_app(app)
    # Named before anything writes to Redis: every key and the Socket.IO channel carry the name.
    deployment.init_app(app)
    migrate.init_app(app, db, directory=str(app.config["MIGRATIONS_DIR"]), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    throttle.init_app(app)
    caching.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    http_cache.init_app(app)
    params.init_app(app)
    # Handlers must be declared before the first init_app so that every app's server receives them.
    from forum.qa import events as qa_events  # noqa: F401
    from forum.realtime import events  # noqa: F401
    from forum.realtime.managers import client_manager

    # A manager per app, or None for the in-process one: SocketIO keeps its options across init_app calls,
    # and an app without a queue must not inherit the queue of an app built before it.
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        manage_session=False,
        client_manager=client_manager(app.config.get("REDIS_URL"), app.config["DEPLOYMENT_NAME"]),
        max_http_buffer_size=app.config["SOCKETIO_MAX_BUFFER"],
    )
    from forum.realtime import publish

    publish.init_app(app)

    from forum import (
        accounts,
        admin,
        api,
        cli,
        errors,
        hub,
        insights,
        mail,
        main,
        moderation,
        notifications,
        privacy,
        qa,
        report,
        search,
        synthesis,
        templating,
        threads,
        webhooks,
    )

    blueprints = (
        accounts,
        admin,
        api,
        errors,
        hub,
        insights,
        mail,
        main,
        moderation,
        notifications,
        privacy,
        qa,
        report,
        search,
        synthesis,
        threads,
        webhooks,
    )
    for package in blueprints:
        app.register_blueprint(package.bp)
    app.register_blueprint(api.pages)
    from forum import proxies

    # Outermost, around Socket.IO's middleware too: the forwarded client address reaches the rate
    # limits, the socket handlers and gunicorn's access log (which reads the same environ) alike.
    proxies.init_app(app)
    from forum.mail import sender
    from forum.qa import reconcile

    sender.init_app(app)
    reconcile.init_app(app)
    cli.init_app(app)
    templating.init_app(app)
    return app

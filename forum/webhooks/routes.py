"""The secretariat's webhook pages: endpoints, their secret (shown once) and their delivery log."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.extensions import db
from forum.forms import attach_error
from forum.rules import RuleViolation
from forum.webhooks import bp, services
from forum.webhooks.forms import EndpointForm, NewEndpointForm
from forum.webhooks.models import DELIVERY_STATES, WebhookEndpoint
from forum.webhooks.outbox import EVENTS


def endpoint_or_404(endpoint_id):
    """The endpoint, or 404."""
    return db.session.get(WebhookEndpoint, endpoint_id) or abort(404)


def _secret_page(endpoint, secret, status=200):
    """The one page that shows a secret: after creating an endpoint or rotating its secret."""
    return render_template("webhooks/secret.html", endpoint=endpoint, secret=secret), status


@bp.route("/", methods=["GET", "POST"])
def endpoints():
    """The endpoints with their delivery counts, and a form to add one (admins only)."""
    form = NewEndpointForm(enabled=True)
    if form.validate_on_submit():
        try:
            endpoint = services.create(
                current_user, form.url.data, form.events.data, form.description.data, form.secret.data
            )
        except RuleViolation as error:
            attach_error(form, error)
        else:
            return _secret_page(endpoint, endpoint.secret, 201)
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "webhooks/endpoints.html",
        form=form,
        endpoints=services.endpoints(),
        events=EVENTS,
        states=DELIVERY_STATES,
    ), status


@bp.route("/<int:endpoint_id>", methods=["GET", "POST"])
def endpoint(endpoint_id):
    """One endpoint: change it, and read its delivery log with a redeliver button (admins only)."""
    found = endpoint_or_404(endpoint_id)
    form = EndpointForm(obj=found)
    if form.validate_on_submit():
        try:
            services.update(
                current_user, found, form.url.data, form.events.data, form.description.data, form.enabled.data
            )
        except RuleViolation as error:
            attach_error(form, error)
        else:
            flash(_("The endpoint is saved."), "success")
            return redirect(url_for("webhooks.endpoint", endpoint_id=found.id), code=303)
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "webhooks/endpoint.html",
        endpoint=found,
        form=form,
        deliveries=services.delivery_log(found),
        events=EVENTS,
        states=DELIVERY_STATES,
    ), status


@bp.route("/<int:endpoint_id>/secret", methods=["POST"])
def rotate_secret(endpoint_id):
    """Give the endpoint a new signing secret and show it once (admins only)."""
    found = endpoint_or_404(endpoint_id)
    return _secret_page(found, services.rotate_secret(current_user, found))


@bp.route("/<int:endpoint_id>/delete", methods=["POST"])
def delete(endpoint_id):
    """Remove the endpoint and its log (admins only)."""
    services.delete(current_user, endpoint_or_404(endpoint_id))
    flash(_("The endpoint is deleted."), "success")
    return redirect(url_for("webhooks.endpoints"), code=303)


@bp.route("/<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver", methods=["POST"])
def redeliver(endpoint_id, delivery_id):
    """Send a delivery's event to the endpoint again (admins only)."""
    found = endpoint_or_404(endpoint_id)
    try:
        services.redeliver(current_user, found, delivery_id)
    except RuleViolation as error:
        if error.code == "not_found":
            abort(404)
        flash(error.message, "error")
    else:
        flash(_("The event will be delivered again."), "success")
    return redirect(url_for("webhooks.endpoint", endpoint_id=found.id) + "#deliveries", code=303)

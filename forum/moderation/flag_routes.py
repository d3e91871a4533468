"""The flag page, where a participant reports a post: on the threads' blueprint beside the post's other
pages (/posts/<id>/flag, endpoint threads.flag); moderation, a layer above threads, adds it there."""

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_login import current_user

from forum.forms import attach_error, form_page
from forum.moderation import flags
from forum.moderation.forms import FlagForm
from forum.policy import allowed, requires
from forum.rules import RuleViolation
from forum.threads import bp as threads_bp
from forum.threads.posts import post_url, visible_post


@threads_bp.route("/posts/<int:post_id>/flag", methods=["GET", "POST"])
@requires("signed_in")
def flag(post_id):
    """Report a post to the moderators, with a reason."""
    found = visible_post(post_id)
    if not allowed(current_user, "post.flag", found):
        abort(403)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            flags.flag_post(current_user, found, form.reason.data, form.note.data)
        except RuleViolation as error:
            attach_error(form, error)
        else:
            thanks = _("Thank you: the moderators will look at this post. You will hear what they decide.")
            flash(thanks, "success")
            return redirect(post_url(found), code=303)
    return form_page("threads/flag.html", form, post=found)

"""The staff archive's page and downloads: one JSON document, or a zip of one JSON file per kind, streamed."""

import contextvars
import json
import zipfile

from flask import Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from forum import audit
from forum.accounts.models import User
from forum.accounts.twofactor_routes import recent_second_factor
from forum.database import utcnow
from forum.extensions import db
from forum.policy import requires
from forum.synthesis import bp
from forum.synthesis.archive import KINDS

FORMAT = "dialogue-forum-staff-archive/1"


def notice():
    """What the page and the archive say of who it names, in the reader's language."""
    return _(
        "This is a staff export: it names who wrote every post, under the Chatham House Rule too, and who "
        "asked every anonymous question. Keep it within the secretariat."
    )


def _array(rows):
    """A JSON array written piece by piece: one row per line."""
    yield "["
    for index, row in enumerate(rows):
        yield ("\n" if index == 0 else ",\n") + json.dumps(row, ensure_ascii=False)
    yield "\n]"


def json_chunks(viewer, header):
    """The whole archive as one JSON object, in pieces."""
    head = json.dumps(header, ensure_ascii=False)
    yield head[:-1]
    for name, rows in KINDS.items():
        yield f', "{name}": '
        yield from _array(rows(viewer))
    yield "}\n"


class _Sink:
    """A write-only file that keeps what is written until taken: zipfile writes into it, we stream it out."""

    def __init__(self):
        self.pending, self.offset = [], 0

    def write(self, data):
        """Keep the bytes."""
        self.pending.append(bytes(data))
        self.offset += len(data)
        return len(data)

    def tell(self):
        """How much has been written in all (zipfile records offsets)."""
        return self.offset

    def flush(self):
        """Nothing to do: the bytes go out when taken."""

    def take(self):
        """The bytes written since the last call."""
        data, self.pending = b"".join(self.pending), []
        return data


def zip_chunks(viewer, header):
    """The archive as a zip of manifest.json and one JSON array per kind, in pieces."""
    sink = _Sink()
    # Not seekable: zipfile writes each entry's sizes after its data, so nothing is held back.
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        manifest = {**header, "files": [f"{name}.json" for name in KINDS]}
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        yield sink.take()
        for name, rows in KINDS.items():
            with archive.open(f"{name}.json", "w") as entry:
                for piece in _array(rows(viewer)):
                    entry.write(piece.encode())
                    yield sink.take()
            yield sink.take()
    yield sink.take()


@bp.route("/synthesis/archive")
@requires("administer")
def archive():
    """The staff archive: what it holds, who it names, and its downloads."""
    return render_template(
        "synthesis/archive.html", files=", ".join(f"{name}.json" for name in KINDS), notice=notice()
    )


def _written_later(chunks, viewer_id, header):
    """`chunks` for the viewer, written after the view's request has ended, in a context of its own.

    Its request context (database session, the reader's language, the links of citations) lives in a
    contextvars.Context of its own, so it is never left pushed over another request's, whenever and
    wherever the server reads or drops the response (Flask's stream_with_context pushes onto the caller's).
    """
    app, environ = current_app._get_current_object(), request.environ

    def inner():
        """Read and write the archive, batch by batch, in the request context."""
        with app.request_context(environ):
            yield from chunks(db.session.get(User, viewer_id), header)

    def generate():
        """Each piece made inside the archive's own context."""
        own, pieces = contextvars.Context(), inner()
        try:
            while True:
                try:
                    piece = own.run(next, pieces)
                except StopIteration:
                    return
                yield piece
        finally:
            own.run(pieces.close)

    return generate()


def _download(chunks, mimetype, extension):
    """Audit the download, then stream it."""
    viewer_id = current_user.id
    header = {"format": FORMAT, "generated_at": utcnow().isoformat(), "notice": notice()}
    audit.log(current_user, "archive.export", "archive", None, extension)
    db.session.commit()
    name = f"dialogue-archive-{header['generated_at'][:10]}.{extension}"
    return Response(
        _written_later(chunks, viewer_id, header),
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


@bp.route("/synthesis/archive.json")
@requires("administer")
@recent_second_factor
def archive_json():
    """The staff archive as one JSON document, streamed."""
    return _download(json_chunks, "application/json", "json")


@bp.route("/synthesis/archive.zip")
@requires("administer")
@recent_second_factor
def archive_zip():
    """The staff archive as a zip of one JSON file per kind, streamed."""
    return _download(zip_chunks, "application/zip", "zip")

"""HTML to PDF with WeasyPrint, in a child process: the server's process never runs the engine.

A report's PDF takes seconds of CPU. Run in a server process, it would hold that process's event loop
(gevent) for all of it, and every other request on it would wait; in a child the server only waits for
the child's answer, cooperatively. The child runs at a lower priority and is killed past its time limit.

Each process keeps the last PDFs it made by a digest of their HTML and style sheet (the content's
version: the same figures and texts in the same language give the same PDF, with no render), and makes
one at a time: a request that would wait too long for the one being made is told to come back.

`python -m forum.pdfs STYLESHEET < page.html > page.pdf` is the child. It fetches nothing: the page's
images are data: addresses, the style sheet is read from the file it is given, anything else is refused.
"""

import hashlib
import os
import subprocess
import sys
import threading
from collections import OrderedDict
from pathlib import Path

KEPT = 12
NICENESS = 10


class Busy(Exception):
    """Another PDF is being made in this process; try again later."""


class Failed(Exception):
    """The engine failed or ran out of time."""


class Pdfs:
    """The PDFs this process made, by digest, at most KEPT; one made at a time."""

    def __init__(self, kept=KEPT):
        self.kept = kept
        self.done = OrderedDict()
        self.lock = threading.Lock()
        self.making = threading.BoundedSemaphore(1)

    def key(self, html, stylesheet):
        """The digest of a page and its style sheet: the PDF's version."""
        return hashlib.sha256(html.encode("utf-8") + Path(stylesheet).read_bytes()).hexdigest()

    def kept_pdf(self, key):
        """The PDF made for `key`, if this process still keeps it."""
        with self.lock:
            found = self.done.get(key)
            if found is not None:
                self.done.move_to_end(key)
            return found

    def make(self, key, html, stylesheet, seconds, wait, allow=lambda: None):
        """The PDF of `html`: kept, or made now in a child (at most `seconds`), after `allow()` (which
        raises to refuse: a rate limit). Raises Busy when another is still being made after `wait` seconds,
        Failed when the engine fails."""
        found = self.kept_pdf(key)
        if found is not None:
            return found
        if not self.making.acquire(timeout=wait):
            raise Busy
        try:
            found = self.kept_pdf(key)  # made by the request this one waited for
            if found is not None:
                return found
            allow()
            pdf = render(html, stylesheet, seconds)
            with self.lock:
                self.done[key] = pdf
                while len(self.done) > self.kept:
                    self.done.popitem(last=False)
            return pdf
        finally:
            self.making.release()


def render(html, stylesheet, seconds):
    """The PDF of `html` made by a child process within `seconds`; raises Failed."""
    command = [sys.executable, "-m", "forum.pdfs", str(stylesheet)]
    root = Path(__file__).resolve().parents[1]
    try:
        done = subprocess.run(  # noqa: S603 - our own module, on this interpreter; the page comes on stdin
            command, input=html.encode("utf-8"), capture_output=True, timeout=seconds, cwd=root, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise Failed(f"the PDF took more than {seconds} s") from error
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        raise Failed(done.stderr.decode("utf-8", "replace")[-2000:])
    return done.stdout


def main(stylesheet):
    """The child: the HTML on standard input, its PDF on standard output."""
    os.nice(NICENESS)
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    # data: addresses only (the page's charts): no file, no network.
    fetcher = URLFetcher(allowed_protocols={"data"})
    page = HTML(string=sys.stdin.buffer.read().decode("utf-8"), url_fetcher=fetcher)
    sheet = CSS(string=Path(stylesheet).read_text(encoding="utf-8"), url_fetcher=fetcher)
    sys.stdout.buffer.write(page.write_pdf(stylesheets=[sheet]))


if __name__ == "__main__":
    main(sys.argv[1])

"""The thread page benchmark's readers: accounts signed in through /login, and the requests wrk sends.

Readers pick a thread by its popularity and a page within it by a Zipf law; 80 % of requests are
signed in, each as one of many accounts (each account always in its own language), the others are
anonymous in a language drawn from the same shares. The list is written to files that report.lua
reads at start (path, cookie, Accept-Language a line).
"""

import http.client
import random
import re
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import accumulate

from bench.posting import Poster
from bench.server import USER_AGENT

POSTS_PER_PAGE = 20
# The UN's six languages with made-up shares of the readers; Accept-Language as a browser sends it.
LOCALES = {"en": 40, "fr": 15, "es": 13, "ar": 11, "zh": 11, "ru": 10}
ACCEPT = {
    "en": "en-GB,en;q=0.9",
    "fr": "fr-CH,fr;q=0.9,en;q=0.6",
    "es": "es-ES,es;q=0.9,en;q=0.6",
    "ar": "ar,en;q=0.5",
    "zh": "zh-CN,zh;q=0.9,en;q=0.5",
    "ru": "ru-RU,ru;q=0.9,en;q=0.5",
}
SIGNED_IN_SHARE = 0.8
LANG = re.compile(r'<html[^>]*\blang="([^"]+)"')


@dataclass(frozen=True)
class Entry:
    """One request: a path, the reader's Cookie header ("-" when anonymous) and their language."""

    path: str
    cookie: str
    locale: str

    @property
    def signed_in(self):
        """True for a signed-in reader."""
        return self.cookie != "-"


def zipf(count, exponent=1.0):
    """Cumulative Zipf weights of ranks 1..count."""
    return list(accumulate(1 / rank**exponent for rank in range(1, count + 1)))


def pages_by_rank(pages):
    """A thread's pages from most to least read: the first, the newest, then the others in order."""
    return list(dict.fromkeys([1, pages, *range(2, pages)]))


def sign_in(base, email, password, probe):
    """The Cookie header of `email` signed in through /login (CSRF and all), as their browser keeps it.

    The first page with a form adds the form token's secret to the session, so `probe` is loaded until
    the server sends no new cookie (a browser would keep the new one; a fixed cookie would make every
    response set it again).
    """
    poster = Poster(base)
    poster.sign_in(email, password)
    for _ in range(3):
        before = dict(poster.cookies)
        status, _headers, _body = poster.request("GET", probe)
        if status != 200:
            raise RuntimeError(f"{email} signed in, then {probe} answered {status}")
        if poster.cookies == before:
            break
    poster.http.close()
    return "; ".join(f"{name}={value}" for name, value in poster.cookies.items())


def sign_in_all(base, emails, password, probe, workers=4):
    """Cookie headers of every account in `emails`, signed in a few at a time."""
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda email: sign_in(base, email, password, probe), emails))


def request_list(ranked, sizes, cookies, count, seed=2026):
    """`count` Entries: thread by Zipf rank in `ranked` (thread ids, hottest first), page by Zipf rank.

    `sizes` gives each thread's posts, `cookies` the signed-in accounts' Cookie headers; each account
    reads in one language, given out by the shares of LOCALES.
    """
    rng = random.Random(seed)
    locales, shares = list(LOCALES), list(accumulate(LOCALES.values()))
    # Spread over the shares by the golden ratio, so that even a dozen accounts get several languages.
    spread = ((n * 61.803) % 100 for n in range(len(cookies)))
    account_locale = [locales[next(i for i, s in enumerate(shares) if x < s)] for x in spread]
    thread_weights = zipf(len(ranked))
    page_ranks = {t: pages_by_rank(-(-sizes[t] // POSTS_PER_PAGE)) for t in ranked}
    entries = []
    for _ in range(count):
        thread = rng.choices(ranked, cum_weights=thread_weights)[0]
        pages = page_ranks[thread]
        page = rng.choices(pages, cum_weights=zipf(len(pages)))[0]
        path = f"/threads/{thread}" + (f"?page={page}" if page > 1 else "")
        if rng.random() < SIGNED_IN_SHARE:
            account = rng.randrange(len(cookies))
            entries.append(Entry(path, cookies[account], account_locale[account]))
        else:
            entries.append(Entry(path, "-", rng.choices(locales, cum_weights=shares)[0]))
    return entries


def cold_pages(threads, sizes, seed=2026):
    """(path, locale) of every full page (20 posts) of `threads` in each language, shuffled."""
    combos = [
        (f"/threads/{t}" + (f"?page={page}" if page > 1 else ""), locale)
        for t in threads
        for page in range(1, sizes[t] // POSTS_PER_PAGE + 1)
        for locale in LOCALES
    ]
    random.Random(seed).shuffle(combos)
    return combos


def write_list(path, entries, same_path=None):
    """Write entries for report.lua; `same_path` replaces every path (hello-world's "/")."""
    lines = (f"{same_path or e.path}\t{e.cookie}\t{ACCEPT[e.locale]}\n" for e in entries)
    path.write_text("".join(lines))
    return path


class Client:
    """GETs over one keep-alive connection per thread, as a browser of the given language would."""

    def __init__(self, base):
        """A client of the server at `base` (nothing is opened yet)."""
        self.netloc = urllib.parse.urlsplit(base).netloc
        self.local = threading.local()

    def get(self, path, locale, cookie="-"):
        """(status, body) of one GET."""
        headers = {"User-Agent": USER_AGENT, "Accept-Language": ACCEPT[locale]}
        if cookie != "-":
            headers["Cookie"] = cookie
        for attempt in (1, 2):
            connection = getattr(self.local, "connection", None) or http.client.HTTPConnection(
                self.netloc, timeout=30
            )
            self.local.connection = connection
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                return response.status, response.read().decode()
            except (ConnectionError, http.client.HTTPException):
                # The proxy closed an idle keep-alive connection: open a new one, once.
                connection.close()
                self.local.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def check_page(status, html, locale, signed_in):
    """Why a thread page is not what its reader should get (None when it is): status, language, sign-in."""
    found = LANG.search(html)
    shown = found.group(1) if found else None
    if status != 200:
        return f"status {status}"
    if shown != locale:
        return f"language {shown}, not {locale}"
    if ('action="/logout"' in html) != signed_in:
        return "signed in" if signed_in is False else "not signed in"
    if 'id="post-' not in html:
        return "no post"
    return None


def sample(entries, each=3):
    """The first `each` entries of every language, anonymous and signed in: what the checks load."""
    counts, chosen = {}, []
    for entry in entries:
        key = (entry.locale, entry.signed_in)
        if counts.get(key, 0) < each:
            counts[key] = counts.get(key, 0) + 1
            chosen.append(entry)
    return chosen


def visit(base, entries, workers=6):
    """GET each page once per language, anonymously and signed in, a few at a time; the failures.

    A signed-in page is loaded as the first account whose entry asks for it. Returns [(entry, why)].
    """
    client = Client(base)
    distinct = {}
    for entry in entries:
        distinct.setdefault((entry.path, entry.locale, entry.signed_in), entry)

    def one(entry):
        """Why the entry's page is wrong, or None."""
        status, html = client.get(entry.path, entry.locale, entry.cookie)
        return check_page(status, html, entry.locale, entry.signed_in)

    with ThreadPoolExecutor(workers) as pool:
        found = list(pool.map(one, distinct.values()))
    return [(entry, why) for entry, why in zip(distinct.values(), found, strict=True) if why]

"""TOTP codes for tests that sign in to a real server process on the wall clock.

The server accepts the code of the step before, of and after its clock, each once: this helper hands
out, per account, the earliest such step after the last one it handed out, and waits for the clock to
move on only when all three are used (a fourth sign-in of one account within 30 seconds).
"""

import re
import time

import pyotp

STEP = 30
SECRET_ON_PAGE = re.compile(r'id="totp-secret">([A-Z2-7 ]+)<')
SECRETS = {}
LAST_STEP = {}


def remember_secret(email, secret):
    """Keep the secret an enrolment page showed for `email`."""
    SECRETS[email] = secret.replace(" ", "")


def secret_from_page(email, html):
    """Read and keep the secret shown on an enrolment page."""
    remember_secret(email, SECRET_ON_PAGE.search(html)[1])


def code_for(email):
    """The next code the server will accept for `email`."""
    step = max(int(time.time() // STEP) - 1, LAST_STEP.get(email, -1) + 1)
    while step > int(time.time() // STEP) + 1:
        time.sleep(0.2)  # polls the wall clock until the server's window reaches the step
    LAST_STEP[email] = step
    return pyotp.TOTP(SECRETS[email]).generate_otp(step)

"""What happens in a session's Q&A that a feature above acts on: the dashboard's tally (forum.insights).

Sent inside the writer's transaction, so that what a receiver adds is committed, or rolled back, with it.
"""

from blinker import Namespace

_signals = Namespace()
# A vote was withdrawn; `cast_at` is when it had been cast (the day whose count it leaves).
vote_withdrawn = _signals.signal("vote-withdrawn")

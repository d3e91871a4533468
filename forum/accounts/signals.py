"""What happens to an account that a feature above acts on: mail (forum.mail) sends its letters.

Each signal is sent inside the writer's transaction, with the user as sender: a receiver adds its rows
(a mail in the outbox) to that transaction, so they are committed, or rolled back, with the change.
"""

from blinker import Namespace

_signals = Namespace()
# A new account: its address is to be confirmed.
registered = _signals.signal("account-registered")
# Someone registered again with the address of `sender`, an existing account.
registered_again = _signals.signal("address-registered-again")
# The secretariat verified or rejected the registration of `sender`.
registration_decided = _signals.signal("registration-decided")

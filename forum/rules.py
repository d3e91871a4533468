"""The errors services raise when a rule refuses an action."""


class RuleViolation(Exception):
    """An action a rule refuses; `field` names the form field the message belongs beside."""

    def __init__(self, message, field=None, code="invalid"):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code

    def as_dict(self):
        """The structured error an API or socket caller receives."""
        return {"error": self.code, "message": str(self.message), "field": self.field}


class Throttled(RuleViolation):
    """Too many attempts; `retry_after` is how many seconds to wait."""

    def __init__(self, message, retry_after):
        super().__init__(message, code="throttled")
        self.retry_after = retry_after

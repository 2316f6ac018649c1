"""What keeps people's traces out of the archive: no client address is kept, and log
lines are scrubbed of addresses and of what families send (see docs/security.md)."""

from __future__ import annotations

import logging
import re

IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6 = re.compile(r"\b(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{0,4}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def no_client_ip(request) -> None:
    """django-axes asks for the client's address to record a failed sign-in; we lock by
    username and give it none, so no address is stored."""
    return None


def scrub(text: str) -> str:
    text = IPV4.sub("[address]", text)
    text = IPV6.sub("[address]", text)
    return EMAIL.sub("[email]", text)


class ScrubPersonalData(logging.Filter):
    """Removes IP and e-mail addresses from every log record (the application's, through
    LOGGING, and gunicorn's own, through gunicorn.conf.py), and drops the request
    object Django attaches to error records (it holds the client's address and POST
    data, such as a submission's text)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(str(record.getMessage()))
        record.args = ()
        if hasattr(record, "request"):
            record.request = None
        if record.exc_info and not record.exc_text:
            # A traceback names what was at hand (an address in a connection error): it
            # is written out here, where it can be scrubbed, not later by the formatter.
            record.exc_text = _traceback.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


_traceback = logging.Formatter()

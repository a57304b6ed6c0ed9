"""The base of every exception specc's library API raises on purpose.

`except specc.SpeccError` catches a bad spec, a bad configuration, an unusable path, schema or
cassette, a missing API key and a catalog problem alike, and never a bug (those stay what they are).
"""

from __future__ import annotations


class SpeccError(Exception):
    """Something specc refused, with a message meant for the person who can fix it."""

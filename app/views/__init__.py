"""The areas people recognise, one blueprint each."""
from flask import g

from ..settings import load as load_settings


def request_settings() -> dict:
    """The center's settings, read once per request and shared with the templates (the layout reads `g.settings`)."""
    if g.get("settings") is None:
        g.settings = load_settings()
    return g.settings

"""Commands of run.py beyond serving: each module adds its own with `register(subparsers)`.

A module's `register` adds a subparser and sets `handler=function(args) -> int`; the function runs
with the app context pushed and a database connection open.
"""
import importlib
import pkgutil


def modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        yield importlib.import_module(f"{__name__}.{info.name}")

"""The methods engage knows: one line each, name → module that defines ``METHOD``.

Modules are imported on first use, so naming the methods (help text, the schema, an
unknown-name message) loads none of them, and ranking loads only the one it runs.
"""

from __future__ import annotations

import importlib
from functools import cache

from engage.methods.base import Method

_MODULES = {
    "weighted-sum": "engage.methods.weighted_sum",
    "topsis": "engage.methods.topsis",
    "promethee": "engage.methods.promethee",
}

DEFAULT = "weighted-sum"
"""The method of a model that names none."""


def names() -> tuple[str, ...]:
    """Every method's name, in the order help text and the schema list them."""
    return tuple(_MODULES)


def listing(last: str = "or") -> str:
    """The names as a phrase: ``weighted-sum, topsis or promethee``."""
    *rest, final = names()
    return f"{', '.join(rest)} {last} {final}" if rest else final


@cache
def get(name: str) -> Method:
    """The method called ``name``; KeyError for a name not in the registry (callers
    check names against :func:`names` first and report unknown ones as usage errors)."""
    method = importlib.import_module(_MODULES[name]).METHOD
    if not isinstance(method, Method) or method.name != name:
        raise TypeError(f"{_MODULES[name]}.METHOD is not the method {name!r}")
    return method

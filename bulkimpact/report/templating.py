"""HTML from Jinja2 templates (``templates/pages``), with autoescape.

Every value is escaped unless it is :class:`markupsafe.Markup` the templates
built themselves. "$" is escaped too: a report's banner is the source of a
markdown cell, where "$" would start TeX.
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2
from markupsafe import Markup, escape

__all__ = ["environment", "render", "macros"]


def _finalize(value: Any) -> Any:
    if value is None or isinstance(value, Markup):
        return value
    return escape(str(value)).replace("$", Markup("&#36;"))


@functools.cache
def environment() -> jinja2.Environment:
    """The template environment (one per process).

    Examples
    --------
    >>> environment().from_string("{{ x }}").render(x="<b>$5</b>")
    '&lt;b&gt;&#36;5&lt;/b&gt;'
    """
    return jinja2.Environment(
        loader=jinja2.PackageLoader("bulkimpact.report", "templates/pages"),
        autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
        finalize=_finalize)


def render(template: str, **values: Any) -> str:
    """A whole template rendered with ``values``."""
    return environment().get_template(template).render(**values)


def macros(template: str) -> Any:
    """The macros of a template, as callables returning :class:`markupsafe.Markup`."""
    return environment().get_template(template).module

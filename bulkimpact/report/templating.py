"""HTML from Jinja2 templates (``templates/pages``), with autoescape.

Every value is escaped unless it is :class:`markupsafe.Markup` the templates
built themselves. "$" is escaped too: a report's banner is the source of a
markdown cell, where "$" would start TeX.

Templates are written once for every language: words go through ``_()``
(Jinja's i18n extension, new-style gettext with named placeholders), looked
up in the message catalogue of :mod:`bulkimpact.present.i18n`; Babel
extracts them from the templates with the rest of the messages.
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
def environment(lang: str = "en") -> jinja2.Environment:
    """The template environment of a language (one per language and process).

    Examples
    --------
    >>> environment().from_string("{{ x }}").render(x="<b>$5</b>")
    '&lt;b&gt;&#36;5&lt;/b&gt;'
    >>> environment("nl").from_string("{{ _('yes') }}").render()
    'ja'
    """
    from bulkimpact.present.i18n import translator

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("bulkimpact.report", "templates/pages"),
        autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
        finalize=_finalize, extensions=["jinja2.ext.i18n"])
    translations = translator(lang).translations
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals["lang"] = lang
    return env


def render(template: str, lang: str = "en", **values: Any) -> str:
    """A whole template rendered in ``lang`` with ``values``."""
    return environment(lang).get_template(template).render(**values)


def macros(template: str, lang: str = "en") -> Any:
    """The macros of a template in ``lang``, as callables returning :class:`markupsafe.Markup`."""
    return environment(lang).get_template(template).module

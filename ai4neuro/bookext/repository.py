"""The repository, issue, edit and launch buttons appear only once the book knows its repository.

They all point into ``repository.url`` of ``_config.yml``. Until the author sets it (it ships as
:data:`PLACEHOLDER`, and may be left empty), each would lead to a 404 or a Binder error page, and
an empty address with launch buttons on stops Jupyter Book. So while the address is unset or still a
placeholder (anything in ``<...>``), this part turns those buttons off and says once, at info level
(the tests build with warnings as errors), how to turn them on. When the launch buttons are on, the build
has the tag :data:`LAUNCH_TAG`, so that a page mentions them only then (Sphinx's ``only`` directive,
as ``chapters/index.md`` does).
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)
PLACEHOLDER = "https://github.com/<owner>/<repository>"
LAUNCH_TAG = "launch_buttons"
REPOSITORY_BUTTONS = ("use_repository_button", "use_issues_button", "use_edit_page_button", "use_source_button")


def is_placeholder(url: str | None) -> bool:
    """Whether ``url`` is unset or still the placeholder's ``<owner>/<repository>``."""
    text = (url or "").strip()
    return not text or ("<" in text and ">" in text)


def hide_buttons_without_repository(app: Sphinx, config: Config) -> None:
    options = config.html_theme_options
    if not is_placeholder(options.get("repository_url")):
        if (options.get("launch_buttons") or {}).get("binderhub_url"):
            app.tags.add(LAUNCH_TAG)
        return
    shown = [button for button in REPOSITORY_BUTTONS if options.get(button)]
    if shown or options.get("launch_buttons"):
        for button in shown:
            options[button] = False
        options["launch_buttons"] = {}
        logger.info(
            "[ai4neuro] repository and launch buttons are off: set repository.url in _config.yml to the book's "
            "repository (e.g. https://github.com/owner/name) to turn them on"
        )


def setup(app: Sphinx) -> None:
    app.connect("config-inited", hide_buttons_without_repository)

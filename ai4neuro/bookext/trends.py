"""Says once per build, in the build's output, how to add the Google Trends data when ``data/`` has none.

Part 1 shows readers a short note in the figure's place (:func:`ai4neuro.views.trends.notice`); the
commands are for the author, so they go here, at info level (the tests build with warnings as errors),
and to About the data ("Rebuilding the figures").
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from ai4neuro.sources import trends_query  # the book's query without pandas: no cost to a build

logger = logging.getLogger(__name__)


def say_how_to_add_the_trends_data(app: Sphinx, config: Config) -> None:
    line = trends_query.missing_snapshot_line()
    if line:
        logger.info(line)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", say_how_to_add_the_trends_data)

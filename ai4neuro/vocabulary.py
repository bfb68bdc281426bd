"""The book's words for its evidence, written down once: everything else imports them from here.

- **Labels** of a neuroscience-related paper (:data:`LABELS`), the three a labeller may give
  (:data:`DEFINITE`), how the book names them (:data:`LABEL_NAMES`) and draws them (:data:`LABEL_COLORS`);
  an empty label (:data:`NOT_NEURO`) means not neuroscience-related.
- **Bases**: which text a count classifies (:data:`BASES`), the title alone (comparable across all years)
  or the title and the authors' keywords (only OpenReview years have keywords).
- **Conferences**: Paper Copilot's folder names and the book's (:data:`CONFERENCES`), in the figures' order.
- **Periods** of a Google Trends series: their names and adjectives (:data:`PERIODS`) and how a period
  reads in a sentence (:func:`period_text`).
- **Colours** for series that are not labels (:data:`PALETTE`, Okabe & Ito's).
"""

from __future__ import annotations

from datetime import datetime

NOT_NEURO = ""
CONTRASTED = ("neuroai", "ai4neuro")  # the two kinds of work the essay tells apart
DEFINITE = (*CONTRASTED, "both")  # a paper of each is "both"
LABELS = (*DEFINITE, "unclear")
LABEL_NAMES = {"neuroai": "NeuroAI", "ai4neuro": "AI4Neuro", "both": "Both", "unclear": "Unclear"}
NOT_NEURO_NAME = "not neuroscience"
# Stacking and legend order, bottom up: the two labels the essay contrasts first, in Okabe & Ito's blue and
# vermillion; "both" in their reddish purple, darkened, and "unclear" in grey: each at least 3:1 against both
# the light and the dark page, so visible, but quieter than the two the figure is about.
LABEL_COLORS = {"NeuroAI": "#0072B2", "AI4Neuro": "#D55E00", "Both": "#B5619A", "Unclear": "#8C8C8C"}
# Okabe & Ito (2008), without black (invisible in dark mode), ordered so that the first
# colours keep at least 3:1 contrast against both the light and the dark page background.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442"]

BASES = {"title": "title_label", "title+keywords": "label"}  # a count's basis -> the column of its label
BASIS_NAMES = {"title": "title", "title+keywords": "title and keywords", "title+abstract": "title and abstract"}

CONFERENCES = {"nips": "NeurIPS", "iclr": "ICLR", "icml": "ICML"}

PERIODS = {  # a Trends series' granularity -> (its name, its adjective)
    "month": ("Month", "monthly"),
    "week": ("Week", "weekly"),
    "day": ("Day", "daily"),
    "hour": ("Hour", "hourly"),
}


def period_text(moment: datetime, granularity: str) -> str:
    """A period as a sentence names it: ``January 2024``, ``the week of 7 January 2024``, ``7 January 2024, 10:00``."""
    day = f"{moment.day} {moment:%B %Y}"
    return {"month": f"{moment:%B %Y}", "week": f"the week of {day}", "day": day, "hour": f"{day}, {moment:%H}:00"}[
        granularity
    ]

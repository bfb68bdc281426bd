"""The logic behind the book "Beyond #NeuroAI, we need #AI4Neuro".

Chapters and the command line (``python -m ai4neuro ...``) call into this package:

- ``sources``: each data source in one shape, fetch → tidy → snapshot (``trends``: Google Trends;
  ``papers`` + ``classify``: conference-paper counts); ``snapshots`` keeps them in ``data/`` with
  provenance;
- ``views``: what chapters show of each source (figures, tables, or a notice), drawn through
  ``figures``, the book's one figure convention;
- ``posts``: imports Jekyll posts as MyST chapters; ``cli``: the commands;
- ``bookext``: the book's Sphinx extension (imports only what it renders); ``testing``: shared by the
  tests and the benchmarks.
"""

__version__ = "0.1.0"

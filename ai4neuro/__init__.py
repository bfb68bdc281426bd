"""The logic behind the book "Beyond #NeuroAI, we need #AI4Neuro".

Chapters and the command line (``python -m ai4neuro ...``) call into this package:
``posts`` imports Jekyll posts as MyST chapters, ``trends`` and ``papers`` fetch and
tidy the evidence, ``snapshots`` keeps it in ``data/`` with provenance, and
``figures`` draws it. ``bookext`` is the book's local Sphinx extension.
"""

__version__ = "0.1.0"

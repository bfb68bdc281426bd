"""The book's data sources, each in one shape: fetch → tidy → snapshot.

A source module declares its snapshot(s) as :class:`ai4neuro.snapshots.Dataset` and has
``refresh()`` (fetch live, tidy, validate, replace ``data/<name>.csv`` and its provenance
atomically; one line for the command) and ``load(refresh_first=None)`` (what chapters call:
the snapshot, refreshed first when asked or when ``AI4NEURO_REFRESH=1``; a failed refresh
keeps the snapshot).

- :mod:`~ai4neuro.sources.trends`: Google Trends interest over time;
- :mod:`~ai4neuro.sources.papers`: conference-paper counts from the Paper Copilot lists,
  labelled by :mod:`~ai4neuro.sources.classify`.
"""

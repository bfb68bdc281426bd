"""What chapters show: each source's figures and tables, or a notice where a source has no data.

- :mod:`ai4neuro.views.trends`: Google Trends interest in the two terms (Part 1);
- :mod:`ai4neuro.views.papers`: conference-paper counts, the paper table and the method (About the data);
- :mod:`ai4neuro.views.notice`: the one notice shown in place of a figure or table without data.
"""

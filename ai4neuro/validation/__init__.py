"""How well the classification rules find neuroscience-related papers, measured on hand-labelled papers.

- :mod:`~ai4neuro.validation.design`: which papers are labelled. Two samples drawn from the published
  papers of the pinned lists, neither by the rules: ``uniform``, papers drawn uniformly at random within
  each era (the unbiased estimate), and ``vocabulary``, papers drawn by fixed words that over-sample likely
  neuroscience (more examples of each label). Each sample is split once into a tuning and a held-out half.
- :mod:`~ai4neuro.validation.labels`: the labelling worksheet, and ``data/paper_labels.csv``.
- :mod:`~ai4neuro.validation.scoring`: recall, precision, definite share and agreement, weighted by the
  design, with 90 % Wilson intervals.
- :mod:`~ai4neuro.validation.estimates`: the scores the book quotes, written by ``refresh papers`` into
  ``data/paper_validation.csv``, and the estimated number of neuroscience-related papers per year.
- :mod:`~ai4neuro.validation.bases`: titles alone against titles and abstracts.
"""

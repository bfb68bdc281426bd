"""Which papers are about neuroscience, and are they NeuroAI or AI4Neuro?

The rules are a table of regular expressions, ``ai4neuro/sources/classification_rules.csv``
(columns ``rule, label, fields, case, pattern, note``), matched regardless of case unless ``case`` is
``exact``:

- ``exclude`` rules run first: the text they match is blanked out, so the other rules
  do not see it (``dead neurons``, ``spike-and-slab``, ``Optimal Brain Damage``, ...);
- a paper is *neuroscience-related* when any ``neuro``, ``neuroai`` or ``ai4neuro``
  rule matches its title or its author keywords (``fields`` says where a rule looks);
- its label is ``neuroai`` when only NeuroAI rules (brain-inspired AI, models of brain
  computation, comparing networks with brains, models of perception and cognition) matched
  besides generic ones, ``ai4neuro`` when only AI4Neuro rules (machine learning as a tool for
  neural data) did, and ``both`` when rules of both kinds did;
- where only generic neuroscience rules matched, the two *cue* rules decide: words of a model
  or theory (``cue-neuroai``) or of data and its analysis (``cue-ai4neuro``); cues never make a
  paper neuroscience-related, and when none or both point, the label is ``unclear``.
  Plain "neural network" matches no rule.

The patterns are written in the part of regular-expression syntax that Python and JavaScript read
alike (:func:`portability_problem`): ASCII only, no inline flags, no ``\\s``, no possessive or atomic
groups, never matching an empty text. Python matches them with ``re.ASCII``, so ``\\w`` and ``\b`` mean
the same in both, and the book's "Try a title" box gives the same verdicts in the browser. No
alternative begins with an unbounded repeat, so a long word costs time in proportion to its length.

The codebook in "About the data" says what the labels mean; :mod:`ai4neuro.validation` measures the
rules against papers labelled by it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ai4neuro.errors import Ai4NeuroError
from ai4neuro.snapshots import sha256_file
from ai4neuro.sources.rule_table import (
    CASES,
    CUES,
    FIELDS,
    FINDERS,
    LABELS,
    RULE_COLUMNS,
    RULES_FILE,
    portability_problem,
    read_rows,
)
from ai4neuro.vocabulary import CONTRASTED, NOT_NEURO


@dataclass(frozen=True)
class Rule:
    """One row of the rule table: ``regex`` is the pattern as written (case-insensitive);
    ``gate`` a broader, faster form of it for lower-case ASCII text (:func:`gate_pattern`)."""

    name: str
    label: str
    fields: tuple[str, ...]
    regex: re.Pattern
    gate: re.Pattern

    def search(self, text: str, lower_ascii: str | None) -> bool:
        """Whether the rule matches ``text``; ``lower_ascii`` is ``text.lower()`` when ``text`` is ASCII."""
        if lower_ascii is not None and not self.gate.search(lower_ascii):
            return False
        return self.regex.search(text) is not None


def gate_pattern(pattern: str) -> re.Pattern:
    """A quick first test for a pattern, on lower-cased ASCII text.

    Python's case-insensitive matching of long alternations is slow (most of a refresh went
    there); matched case-sensitively against lower-cased text, the same alternation with its
    letters lower-cased is about three times faster. An ``exact`` rule's gate is relaxed the same way,
    so the gate matches everything the pattern does, and more; the pattern itself then decides.
    """
    relaxed, escaped = [], False
    for char in pattern:
        relaxed.append(char if escaped else char.lower())
        escaped = not escaped and char == "\\"
    return re.compile("".join(relaxed), re.ASCII)


def rules_sha256(path: Path = RULES_FILE) -> str:
    """The version of the rule table: the SHA-256 of its bytes."""
    return sha256_file(Path(path))


def rules_table(path: Path = RULES_FILE) -> pd.DataFrame:
    """The rule table as written, for the book's methods page."""
    return pd.DataFrame(read_rows(path), columns=RULE_COLUMNS)


@lru_cache(maxsize=4)
def _load_rules(path: Path, sha256: str) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for line, row in enumerate(rules_table(path).itertuples(index=False), start=2):
        where = f"{path}, line {line} (rule {row.rule!r})"
        fields = tuple(row.fields.split())
        if not row.rule or row.rule in {rule.name for rule in rules}:
            raise Ai4NeuroError(f"{where}: every rule needs a unique name.")
        if row.label not in LABELS:
            raise Ai4NeuroError(f"{where}: label must be one of {', '.join(LABELS)}, not {row.label!r}.")
        if not fields or set(fields) - set(FIELDS):
            raise Ai4NeuroError(f"{where}: fields must be 'title', 'keywords' or both, not {row.fields!r}.")
        if row.case not in CASES:
            raise Ai4NeuroError(f"{where}: case must be empty (any case) or 'exact', not {row.case!r}.")
        try:
            regex = re.compile(row.pattern, re.ASCII | (0 if row.case == "exact" else re.IGNORECASE))
        except re.error as error:
            raise Ai4NeuroError(
                f"{where}: the pattern is not a valid regular expression ({error}). Fix the pattern."
            ) from None
        if problem := portability_problem(row.pattern):
            raise Ai4NeuroError(f"{where}: {problem}.")
        rules.append(Rule(row.rule, row.label, fields, regex, gate_pattern(row.pattern)))
    return tuple(rules)


def load_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    """The compiled rules, ``exclude`` rules first (in table order)."""
    path = Path(path)
    rules = _load_rules(path, rules_sha256(path))
    return tuple(sorted(rules, key=lambda rule: rule.label != "exclude"))


def matching_rules(texts: pd.Series, field: str, rules: tuple[Rule, ...]) -> pd.Series:
    """For each text, the names of the (non-exclude) rules that match it, joined by ``;``.

    Exclude rules only take matches away, so they run only where another rule matched;
    cue rules are reported only beside a rule that finds neuroscience.
    """
    texts = texts.fillna("").astype(str)
    masks = [rule.regex for rule in rules if rule.label == "exclude" and field in rule.fields]
    finders = [rule for rule in rules if rule.label in FINDERS and field in rule.fields]
    cues = [rule for rule in rules if rule.label in CUES and field in rule.fields]
    hits = pd.Series("", index=texts.index, dtype=object)
    for position, text in texts.items():
        if not any(rule.search(text, _lower_ascii(text)) for rule in finders):
            continue
        for mask in masks:
            text = mask.sub(" ", text)
        lower = _lower_ascii(text)
        found = [rule.name for rule in finders if rule.search(text, lower)]
        if found:
            hits[position] = ";".join(found + [rule.name for rule in cues if rule.search(text, lower)])
    return hits


def _lower_ascii(text: str) -> str | None:
    return text.lower() if text.isascii() else None


def label_for(rule_names: str, rules: tuple[Rule, ...]) -> str:
    """``neuroai``, ``ai4neuro``, ``both``, ``unclear`` or ``""`` (not neuroscience) for matched rule names.

    NeuroAI and AI4Neuro rules decide; where only generic neuroscience rules matched, the
    cues do when they point one way (a model or theory: NeuroAI; data and analysis: AI4Neuro).
    """
    by_name = {rule.name: rule.label for rule in rules}
    labels = {by_name[name] for name in rule_names.split(";") if name}
    if not labels & set(FINDERS):
        return NOT_NEURO
    decided = labels & set(CONTRASTED) or {CUES[label] for label in labels & set(CUES)}
    if decided == set(CONTRASTED):
        return "both" if labels & set(CONTRASTED) else "unclear"
    return decided.pop() if decided else "unclear"


def classify(papers: pd.DataFrame, rules_path: Path = RULES_FILE, read_abstracts: bool = False) -> pd.DataFrame:
    """Add matched rules and labels to a frame with ``title`` and ``keywords``.

    ``title_rules`` and ``keyword_rules`` name the rules that matched each field;
    ``label`` uses both fields, ``title_label`` the title alone (comparable across years,
    since only some years have keywords). With ``read_abstracts`` the ``abstract`` column is
    read too, with the title rules (``abstract_rules``), and counts in ``label``: the lists
    have abstracts only until 2018-2019, so the book's counts never read them.
    """
    rules = load_rules(rules_path)
    out = papers.copy()
    out["title_rules"] = matching_rules(out["title"], "title", rules)
    out["keyword_rules"] = matching_rules(out["keywords"], "keywords", rules)
    out["title_label"] = out["title_rules"].map(lambda names: label_for(names, rules))
    names = out["title_rules"] + ";" + out["keyword_rules"]
    if read_abstracts:
        out["abstract_rules"] = matching_rules(out["abstract"], "title", rules)
        names = names + ";" + out["abstract_rules"]
    out["label"] = names.map(lambda names: label_for(names, rules))
    return out


def classify_title(title: str, keywords: str = "", rules_path: Path = RULES_FILE) -> str:
    """The label of one paper: handy for trying out the rules."""
    frame = classify(pd.DataFrame({"title": [title], "keywords": [keywords]}), rules_path)
    return frame["label"].iloc[0]


AUDIT_COLUMNS = ["title", "neuro", "label", "title_label", "title_rules", "keyword_rules", "abstract_rules"]


def audit(papers: pd.DataFrame) -> pd.DataFrame:
    """What ``python -m ai4neuro classify`` prints: for each paper, whether it is neuroscience-related,
    its label from all the text given, its label from the title alone (what the figures count),
    and the rules that matched in each field. ``keywords`` and ``abstract`` are optional."""
    given = pd.DataFrame({field: papers.get(field, "") for field in ("title", "keywords", "abstract")}).astype(str)
    out = classify(given, read_abstracts=True)
    return out.assign(neuro=out["label"] != NOT_NEURO)[AUDIT_COLUMNS]


def read_title_lines(text: str) -> pd.DataFrame:
    """Titles, one per line (blank lines skipped), as a frame with ``title``."""
    titles = [line.strip() for line in text.splitlines() if line.strip()]
    if not titles:
        raise Ai4NeuroError("stdin: no titles. Give one title per line, or a CSV file with a 'title' column.")
    return pd.DataFrame({"title": titles})


def read_csv_input(path: Path) -> pd.DataFrame:
    """Papers to classify from a CSV with a ``title`` column and optional ``abstract`` and ``keywords``."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise Ai4NeuroError(f"{path}: no such file. Give a CSV with a 'title' column, or titles on stdin.") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise Ai4NeuroError(f"{path}: not a readable CSV ({error}). Save it as UTF-8 CSV with a header.") from None
    if "title" not in frame.columns:
        raise Ai4NeuroError(
            f"{path}: no 'title' column (columns: {', '.join(frame.columns) or 'none'}). "
            "Name the title column 'title'; 'abstract' and 'keywords' are optional."
        )
    return frame

"""Which papers are about neuroscience, and are they NeuroAI or AI4Neuro?

The rules are a table of regular expressions, ``ai4neuro/sources/classification_rules.csv``
(columns ``rule, label, fields, pattern, note``), matched case-insensitively:

- ``exclude`` rules run first: the text they match is blanked out, so the other rules
  do not see it (``dead neurons``, ``spike-and-slab``, ``Optimal Brain Damage``, ...);
- a paper is *neuroscience-related* when any ``neuro``, ``neuroai`` or ``ai4neuro``
  rule matches its title or its author keywords (``fields`` says where a rule looks);
- its label is ``neuroai`` when only NeuroAI rules (brain-inspired AI, models of brain
  computation, comparing networks with brains) matched besides generic ones,
  ``ai4neuro`` when only AI4Neuro rules (machine learning as a tool for neural data) did,
  ``both`` when rules of both kinds matched, and ``unclear`` when only generic
  neuroscience rules did. Plain "neural network" matches no rule.

:func:`validate_titles` measures the title rules against the authors' own keywords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ai4neuro.errors import Ai4NeuroError
from ai4neuro.snapshots import sha256_file

RULES_FILE = Path(__file__).with_name("classification_rules.csv")
RULE_COLUMNS = ["rule", "label", "fields", "pattern", "note"]
LABELS = ("neuro", "neuroai", "ai4neuro", "exclude")
FIELDS = ("title", "keywords")
NOT_NEURO = ""


@dataclass(frozen=True)
class Rule:
    name: str
    label: str
    fields: tuple[str, ...]
    regex: re.Pattern


def rules_sha256(path: Path = RULES_FILE) -> str:
    """The version of the rule table: the SHA-256 of its bytes."""
    return sha256_file(Path(path))


def rules_table(path: Path = RULES_FILE) -> pd.DataFrame:
    """The rule table as written, for the book's methods page."""
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise Ai4NeuroError(f"{path}: cannot read the rule table ({error}). Restore it with git checkout.") from None
    if list(table.columns) != RULE_COLUMNS:
        raise Ai4NeuroError(f"{path}: columns must be {', '.join(RULE_COLUMNS)}; found {', '.join(table.columns)}.")
    return table


@lru_cache(maxsize=4)
def _load_rules(path: Path, sha256: str) -> tuple[Rule, ...]:
    rules = []
    for line, row in enumerate(rules_table(path).itertuples(index=False), start=2):
        where = f"{path}, line {line} (rule {row.rule!r})"
        fields = tuple(row.fields.split())
        if not row.rule or row.rule in {rule.name for rule in rules}:
            raise Ai4NeuroError(f"{where}: every rule needs a unique name.")
        if row.label not in LABELS:
            raise Ai4NeuroError(f"{where}: label must be one of {', '.join(LABELS)}, not {row.label!r}.")
        if not fields or set(fields) - set(FIELDS):
            raise Ai4NeuroError(f"{where}: fields must be 'title', 'keywords' or both, not {row.fields!r}.")
        try:
            regex = re.compile(row.pattern, re.IGNORECASE)
        except re.error as error:
            raise Ai4NeuroError(
                f"{where}: the pattern is not a valid regular expression ({error}). Fix the pattern."
            ) from None
        rules.append(Rule(row.rule, row.label, fields, regex))
    return tuple(rules)


def load_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    """The compiled rules, ``exclude`` rules first (in table order)."""
    path = Path(path)
    rules = _load_rules(path, rules_sha256(path))
    return tuple(sorted(rules, key=lambda rule: rule.label != "exclude"))


def matching_rules(texts: pd.Series, field: str, rules: tuple[Rule, ...]) -> pd.Series:
    """For each text, the names of the (non-exclude) rules that match it, joined by ``;``.

    Exclude rules only take matches away, so they run only where another rule matched.
    """
    texts = texts.fillna("").astype(str)
    masks = [rule.regex for rule in rules if rule.label == "exclude" and field in rule.fields]
    finders = [rule for rule in rules if rule.label != "exclude" and field in rule.fields]
    hits = pd.Series("", index=texts.index, dtype=object)
    for position, text in texts.items():
        if not any(rule.regex.search(text) for rule in finders):
            continue
        for mask in masks:
            text = mask.sub(" ", text)
        hits[position] = ";".join(rule.name for rule in finders if rule.regex.search(text))
    return hits


def label_for(rule_names: str, rules: tuple[Rule, ...]) -> str:
    """``neuroai``, ``ai4neuro``, ``both``, ``unclear`` or ``""`` (not neuroscience) for matched rule names."""
    by_name = {rule.name: rule.label for rule in rules}
    labels = {by_name[name] for name in rule_names.split(";") if name}
    if not labels:
        return NOT_NEURO
    if {"neuroai", "ai4neuro"} <= labels:
        return "both"
    if "neuroai" in labels:
        return "neuroai"
    if "ai4neuro" in labels:
        return "ai4neuro"
    return "unclear"


def classify(papers: pd.DataFrame, rules_path: Path = RULES_FILE) -> pd.DataFrame:
    """Add matched rules and labels to a frame with ``title`` and ``keywords``.

    ``title_rules`` and ``keyword_rules`` name the rules that matched each field;
    ``label`` uses both fields, ``title_label`` the title alone (comparable across years,
    since only some years have keywords).
    """
    rules = load_rules(rules_path)
    out = papers.copy()
    out["title_rules"] = matching_rules(out["title"], "title", rules)
    out["keyword_rules"] = matching_rules(out["keywords"], "keywords", rules)
    out["title_label"] = out["title_rules"].map(lambda names: label_for(names, rules))
    both = out["title_rules"] + ";" + out["keyword_rules"]
    out["label"] = both.map(lambda names: label_for(names, rules))
    return out


def classify_title(title: str, keywords: str = "", rules_path: Path = RULES_FILE) -> str:
    """The label of one paper: handy for trying out the rules."""
    frame = classify(pd.DataFrame({"title": [title], "keywords": [keywords]}), rules_path)
    return frame["label"].iloc[0]


@dataclass(frozen=True)
class Validation:
    """Title rules against the authors' keywords, over papers that have keywords."""

    papers_with_keywords: int
    title_hits: int
    keyword_hits: int
    agree: int
    false_hits: pd.DataFrame
    misses: pd.DataFrame

    @property
    def precision(self) -> float:
        return self.agree / self.title_hits if self.title_hits else float("nan")

    @property
    def recall(self) -> float:
        return self.agree / self.keyword_hits if self.keyword_hits else float("nan")


def validate_titles(papers: pd.DataFrame, papers_with_keywords: int, examples: int = 8) -> Validation:
    """Precision and recall of the title rules, taking the keyword rules as the reference.

    ``papers`` are classified papers (columns ``title_rules``, ``keyword_rules``,
    ``has_keywords``); only those with author keywords count. The reference is
    independent text written by the authors: a paper is neuroscience by the keywords
    when one of its keywords matches a rule. ``papers_with_keywords`` is how many
    published papers had keywords at all (for the record). Examples are a fixed-seed
    sample (the same on every build), in (conference, year, title) order.
    """
    scored = papers[papers["has_keywords"]].sort_values(["conference", "year", "title"])
    by_title = scored["title_rules"] != ""
    by_keywords = scored["keyword_rules"] != ""
    columns = ["conference", "year", "title", "title_rules", "keywords", "keyword_rules"]
    columns = [column for column in columns if column in scored]
    return Validation(
        papers_with_keywords=int(papers_with_keywords),
        title_hits=int(by_title.sum()),
        keyword_hits=int(by_keywords.sum()),
        agree=int((by_title & by_keywords).sum()),
        false_hits=_examples(scored.loc[by_title & ~by_keywords, columns], examples),
        misses=_examples(scored.loc[~by_title & by_keywords, columns], examples),
    )


def _examples(frame: pd.DataFrame, count: int) -> pd.DataFrame:
    picked = frame.sample(min(count, len(frame)), random_state=0) if len(frame) else frame
    return picked.sort_values(["conference", "year", "title"]).reset_index(drop=True)

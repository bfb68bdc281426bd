"""The rule table's shape and the syntax of its patterns, written once for Python and the browser.

``ai4neuro/sources/classification_rules.csv`` has one row per rule: ``rule, label, fields, case, pattern,
note``. :mod:`ai4neuro.sources.classify` compiles and applies it; the book's "Try a title" box
(:mod:`ai4neuro.bookext.titlebox`) sends it, with the kinds below, to the reader's browser. This module
imports neither pandas nor the classifier, so the book's extension can read the table cheaply.

The patterns are written in the part of regular-expression syntax that Python and JavaScript read
alike (:func:`portability_problem`): ASCII only, no inline flags (the ``case`` column says ``exact`` for a
case-sensitive rule), no ``\\s``, no possessive or atomic groups, never matching an empty text. Python
matches them with ``re.ASCII``, so ``\\w`` and ``\\b`` mean the same in both. No alternative begins with an
unbounded repeat, so a long word costs time in proportion to its length.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ai4neuro.errors import Ai4NeuroError
from ai4neuro.vocabulary import CONTRASTED

RULES_FILE = Path(__file__).with_name("classification_rules.csv")
RULE_COLUMNS = ["rule", "label", "fields", "case", "pattern", "note"]
CASES = ("", "exact")
FINDERS = ("neuro", *CONTRASTED)  # the kinds of rule that make a paper neuroscience-related
CUES = {f"cue-{label}": label for label in CONTRASTED}  # kinds that only decide a label
LABELS = (*FINDERS, *CUES, "exclude")  # every kind of rule (the "label" column)
FIELDS = ("title", "keywords")


def read_rows(path: Path = RULES_FILE) -> list[dict[str, str]]:
    """The table's rows as written (strings), its columns checked: one clear error otherwise."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise Ai4NeuroError(f"{path}: cannot read the rule table ({error}). Restore it with git checkout.") from None
    if reader.fieldnames != RULE_COLUMNS:
        found = ", ".join(reader.fieldnames or [])
        raise Ai4NeuroError(f"{path}: columns must be {', '.join(RULE_COLUMNS)}; found {found}.")
    return rows


# Constructs Python and JavaScript read differently (or JavaScript lacks): inline flags and named or
# atomic groups, anchors of the whole text, Unicode-dependent classes, possessive repeats.
UNPORTABLE = re.compile(r"\(\?(?![:=!]|<[=!])|\\[AZzGsSpPNuUx]|[*+?}][+]")


def opens_with_unbounded_repeat(items) -> bool:
    """Whether a parsed pattern can begin with an unbounded repeat (``\\w+ brain``): such a pattern is
    tried from every position of a long word, each try running to its end, so its time grows with the
    square of the word's length."""
    from re import _constants as c  # type: ignore[attr-defined]  # the parser's codes (stable since 3.11)

    for op, arg in items:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, high, repeated = arg
            if high == c.MAXREPEAT or opens_with_unbounded_repeat(repeated):
                return True
            if low > 0:
                return False
        elif op is c.SUBPATTERN:
            return opens_with_unbounded_repeat(arg[-1])
        elif op is c.BRANCH:
            return any(opens_with_unbounded_repeat(branch) for branch in arg[1])
        elif op not in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return False
    return False


def portability_problem(pattern: str) -> str | None:
    """Why ``pattern`` may not read alike in Python and JavaScript, or run in time linear in the text (None: fine)."""
    if not pattern.isascii():
        return "it holds characters beyond ASCII (write the letters plainly: the rules read ASCII case-insensitively)"
    if found := UNPORTABLE.search(pattern):
        return f"{found.group()!r} reads differently in JavaScript (use plain groups, a space for \\s, the case column)"
    from re import _parser  # type: ignore[attr-defined]  # Python's own pattern parser

    if opens_with_unbounded_repeat(_parser.parse(pattern)):
        return "an alternative begins with an unbounded repeat (e.g. \\w+): start it with a word, or bound it ({1,40})"
    if re.fullmatch(pattern, "", re.ASCII | re.IGNORECASE) is not None or re.search(pattern, "", re.ASCII):
        return "it matches an empty text"
    return None

"""Code blocks the book's highlighter cannot colour, shown without colours (as Rouge does on the blog).

Sphinx highlights code with Pygments and warns (failing the ``-W`` build) about a language Pygments
does not know, or code it cannot read as that language; the fence's language becomes ``text`` instead.
"""

from __future__ import annotations

import re

from pygments.filters import ErrorToken
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from ai4neuro.posts.blocks import Block
from ai4neuro.posts.notes import Notes
from ai4neuro.posts.reader import POST_PARSER

CODE_DIRECTIVES = {"{code-block}", "{code}", "{sourcecode}"}


def without_unknown_languages(block: Block, notes: Notes) -> Block:
    """``block`` with every code fence whose language Pygments cannot highlight marked ``text`` (a warning each)."""
    lines = block.text.split("\n")
    for token in POST_PARSER.parse(block.text):
        if token.type != "fence" or not token.map:
            continue
        language = _language(token.info)
        if not language:
            continue
        problem = highlight_problem(language, token.content)
        if problem is None:
            continue
        notes.warn(block.line + token.map[0], f"{problem}: the code is shown without colours")
        at = token.map[0]
        lines[at] = re.sub(rf"(?<![\w-]){re.escape(language)}(?![\w-])", "text", lines[at], count=1)
    text = "\n".join(lines)
    return block if text == block.text else Block(text, block.kind, block.line)


def _language(info: str) -> str:
    """The language a fence's info string names (```` ```python ```` or ```` ```{code-block} python ````), or ""."""
    words = info.split()
    directive = bool(words) and words[0] in CODE_DIRECTIVES
    language = (words[1] if len(words) > 1 else "") if directive else (words[0] if words else "")
    if not language or words[0].startswith("{") and not directive:
        return ""
    return language


def highlight_problem(language: str, code: str) -> str | None:
    """Why Sphinx would warn about highlighting ``code`` as ``language`` (its rules), or None."""
    name = language.lower()
    if name in {"none", "text", "default", "guess"}:
        return None
    if name in {"py", "python", "py3", "python3"}:
        name = "pycon" if code.startswith(">>>") else "python"
    name = "pycon" if name == "pycon3" else name
    try:
        lexer = get_lexer_by_name(name)
    except ClassNotFound:
        return f"the code language {language!r} is unknown to the book's highlighter (Pygments)"
    lexer.add_filter("raiseonerror")
    try:
        for _ in lexer.get_tokens(code):
            pass
    except ErrorToken:
        return f"the book's highlighter (Pygments) cannot read this code as {language}"
    return None

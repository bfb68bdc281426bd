"""Liquid, as Jekyll runs it before Markdown: the tags bloggers use, turned into Markdown/MyST.

- ``{% raw %}…{% endraw %}`` → its text as written; ``{% comment %}…{% endcomment %}`` → nothing.
- ``{% highlight lang [linenos] %}…{% endhighlight %}`` → a code fence.
- ``{% include figure … %}``, ``gallery``, ``video``, ``toc`` (the helpers of minimal-mistakes,
  al-folio and the like) → a MyST figure, a row of images, a video, a table of contents. Their paths go
  through ``relative_url`` as in those themes (``assets/x.png`` is the site's ``/assets/x.png``). Inside raw
  HTML, where the blog shows the include's HTML, each has an HTML form (:attr:`LiquidContext.html_forms`).
- ``{% post_url name %}`` / ``{% link path %}`` → the chapter of that post when it is in the book,
  else its address on the blog; the post itself → its own page (``{% post_url me %}#part`` → ``#part``).
  A ``{{ site.url }}``/``{{ site.baseurl }}`` right before one (Jekyll's usual ``{{ site.baseurl }}{% post_url
  x %}``) is part of that address, so it is not written twice. A missing post is listed with every
  other missing target in one error.
- ``{{ site.x }}``, ``{{ page.x }}`` and strings, with the ``relative_url``, ``absolute_url``,
  ``prepend``, ``append`` and ``escape`` filters, from ``posts/_config.yml`` and the front matter.

A variable with no value there is nothing, as on the blog (Jekyll's ``strict_variables`` is off), with a warning.
Anything else (``{% if %}``, ``{% for %}``, an unknown include, ...) is one error naming the tag and the line.
"""

from __future__ import annotations

import bisect
import html
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ai4neuro.posts.jekyll import names_its_host, relative_url
from ai4neuro.posts.notes import Notes
from ai4neuro.posts.site import Site

MARKUP = re.compile(r"\{%-?\s*(?P<tag>\w+)(?P<args>.*?)-?%\}|\{\{-?(?P<output>.*?)-?\}\}", re.DOTALL)
BLOCKS = {"raw": "endraw", "comment": "endcomment", "highlight": "endhighlight"}
INCLUDE_ARGUMENT = re.compile(r"""(\w+)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^\s"']+)""")
YOUTUBE = "https://www.youtube-nocookie.com/embed/{id}"
VIMEO = "https://player.vimeo.com/video/{id}"


@dataclass(frozen=True)
class HtmlForm:
    """What an include's MyST output is inside raw HTML (MyST's syntax is text there)."""

    tag: str  # the tag, for messages
    html: str | None  # its HTML, or None where the book has none


@dataclass
class LiquidContext:
    site: Site
    page: dict
    notes: Notes
    post_link: Callable[[str, int, bool], str]  # (post file name or path, line, a #fragment follows) → target
    html_forms: dict[str, HtmlForm] = field(default_factory=dict)  # an include's MyST output → its HTML form


def render_liquid(text: str, context: LiquidContext) -> tuple[str, list[int]]:
    """``text`` with every Liquid tag converted; also, per output line, the input line it came from."""
    newlines = [index for index, char in enumerate(text) if char == "\n"]

    def line_of(position: int) -> int:
        return bisect.bisect_left(newlines, position)

    parts: list[tuple[str, int, bool]] = []  # (text, input line it starts on, lines map one to one)
    cursor = 0
    while match := MARKUP.search(text, cursor):
        parts.append((text[cursor : match.start()], line_of(cursor), True))
        line = line_of(match.start())
        if match.group("output") is not None:
            prefix = _is_site_prefix(match.group("output")) and _prefixes_post_link(text, match.end())
            value = "" if prefix else output(match.group("output"), line, context, match.group(0))
            parts.append((value, line, False))
            cursor = match.end()
            continue
        tag, args = match.group("tag"), match.group("args").strip()
        if tag in BLOCKS:
            end = re.compile(r"\{%-?\s*" + BLOCKS[tag] + r"\s*-?%\}").search(text, match.end())
            if not end:
                raise context.notes.error(line, f"{{% {tag} %}} has no {{% {BLOCKS[tag]} %}}. Close it.")
            inner = text[match.end() : end.start()]
            if tag == "highlight":  # Jekyll runs Liquid inside it ({% raw %} shows template code)
                inner = render_liquid(inner, context)[0]
            parts.append((block_tag(tag, args, inner), line_of(match.end()) if tag == "raw" else line, tag == "raw"))
            cursor = end.end()
        elif tag in {"post_url", "link"}:
            fragment = text.startswith("#", match.end())
            parts.append((context.post_link(args.strip(), line, fragment), line, False))
            cursor = match.end()
        else:
            parts.append((tag_output(tag, args, line, context), line, False))
            cursor = match.end()
    parts.append((text[cursor:], line_of(cursor), True))
    return "".join(part for part, _, _ in parts), _line_map(parts)


SITE_PREFIX = re.compile(r"^\s*site\.(?:url|baseurl)\s*$")
POST_LINK_TAG = re.compile(r"\{%-?\s*(?:post_url|link)\b")


def _is_site_prefix(expression: str) -> bool:
    return bool(SITE_PREFIX.match(expression))


def _prefixes_post_link(text: str, at: int) -> bool:
    """Whether ``text[at:]`` goes on with more ``{{ site.url/baseurl }}`` and then a post_url or link tag."""
    while (following := MARKUP.match(text, at)) is not None and following.group("output") is not None:
        if not _is_site_prefix(following.group("output")):
            return False
        at = following.end()
    return bool(POST_LINK_TAG.match(text, at))


def _line_map(parts: list[tuple[str, int, bool]]) -> list[int]:
    """For each output line, the input line it comes from (the text a tag became maps to the tag's line)."""
    result = [0]
    for text, start, one_to_one in parts:
        for index in range(text.count("\n")):
            result.append(start + index + 1 if one_to_one else start)
    return result


def block_tag(tag: str, args: str, inner: str) -> str:
    if tag == "raw":
        return inner
    if tag == "comment":
        return ""
    words = args.split()
    language = words[0] if words else ""
    code = inner.strip("\n")
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", code)), default=0))
    if "linenos" in words[1:]:
        return f"\n{fence}{{code-block}} {language}\n:linenos:\n\n{code}\n{fence}\n"
    return f"\n{fence}{language}\n{code}\n{fence}\n"


def tag_output(tag: str, args: str, line: int, context: LiquidContext) -> str:
    if tag == "include":
        return include(args, line, context)
    if tag == "gist":
        words = args.split()
        context.notes.warn(line, "{% gist %} shown as a link to the gist (the book embeds no scripts)")
        return f"<https://gist.github.com/{words[0]}>" if words else ""
    if tag in {"youtube", "vimeo"}:
        return video_frame(
            YOUTUBE if tag == "youtube" else VIMEO, args.split()[0] if args.split() else "", line, context
        )
    raise context.notes.error(
        line,
        f"the Liquid tag {{% {tag} %}} has no equivalent in the book. "
        "Replace it with plain Markdown in the post (or wrap literal text in {% raw %}…{% endraw %}).",
    )


def include_arguments(args: str) -> tuple[str, dict[str, str]]:
    name, _, rest = args.partition(" ")
    values = {}
    for key, raw in INCLUDE_ARGUMENT.findall(rest):
        if raw[:1] in "\"'":
            raw = shlex.split(raw)[0] if raw[0] == '"' else raw[1:-1]
        values[key] = raw
    return Path(name).stem, values


def include(args: str, line: int, context: LiquidContext) -> str:
    name, values = include_arguments(args)
    if name == "figure":
        return figure(values, line, context)
    if name == "gallery":
        return gallery(values, line, context)
    if name == "video":
        return video(values, line, context)
    if name == "toc":
        contents = "\n```{contents}\n:local:\n:backlinks: none\n```\n"
        context.html_forms[contents] = HtmlForm("{% include toc %}", None)
        return contents
    raise context.notes.error(
        line,
        f"{{% include {args.split()[0] if args.split() else ''} %}} is a helper of the blog's theme that the book "
        "does not know (it knows figure, gallery, video and toc). Replace it with Markdown in the post.",
    )


def _attribute_line(key: str, value: str) -> str:
    return f":{key}: {' '.join(value.split())}\n" if value else ""


def site_url(path: str, context: LiquidContext) -> str:
    """An include's path as the theme writes it: through ``relative_url`` (from the site's root), unless remote."""
    if names_its_host(path):
        return path
    return relative_url(path, context.site.baseurl)


LENGTH = re.compile(r"^\d+(?:\.\d+)?(?:px|%|em|rem)?$")


def figure(values: dict[str, str], line: int, context: LiquidContext) -> str:
    source = values.get("image_path") or values.get("path") or values.get("url") or ""
    if not source:
        raise context.notes.error(line, "{% include figure %} names no image (image_path= or path=). Add it.")
    source = site_url(source, context)
    caption = values.get("caption", "").strip()
    alt = values.get("alt") or values.get("title") or html.unescape(re.sub(r"<[^>]+>", "", caption))
    width = values.get("width", "")
    options = _attribute_line("alt", alt) + _attribute_line("class", values.get("class", ""))
    options += _attribute_line("width", width) if LENGTH.match(width) else ""
    if caption:
        myst = f"\n```{{figure}} {source}\n{options}\n{caption}\n```\n"
    else:
        myst = f"\n```{{image}} {source}\n{options}```\n"
    context.html_forms[myst] = HtmlForm("{% include figure %}", _figure_html(source, alt, caption, values))
    return myst


def _figure_html(source: str, alt: str, caption: str, values: dict[str, str]) -> str:
    """The figure as the theme's include writes it in HTML: an ``<img>``, in a ``<figure>`` with a caption."""
    attributes = {"src": source, "alt": alt, **{key: values.get(key, "") for key in ("class", "width", "height")}}
    shown = {key: value for key, value in attributes.items() if value or key == "alt"}
    image = "<img " + " ".join(f'{key}="{html.escape(value)}"' for key, value in shown.items()) + ">"
    return f"<figure>{image}<figcaption>{caption}</figcaption></figure>" if caption else image


def gallery(values: dict[str, str], line: int, context: LiquidContext) -> str:
    items = context.page.get(values.get("id", "gallery"))
    if not isinstance(items, list) or not items:
        context.notes.warn(
            line, f"{{% include gallery %}}: no '{values.get('id', 'gallery')}:' list in the front matter; left out"
        )
        return ""
    shown = [
        (_one_line(item.get("alt") or item.get("title")), site_url(str(source), context))
        for item in items
        if isinstance(item, dict) and (source := item.get("image_path") or item.get("url"))
    ]
    caption = values.get("caption", "").strip()
    myst = "\n" + "\n".join(f"![{alt}]({source})" for alt, source in shown) + ("\n\n" + caption if caption else "")
    tags = "".join(f'<img src="{html.escape(source)}" alt="{html.escape(alt)}">' for alt, source in shown)
    context.html_forms[myst + "\n"] = HtmlForm(
        "{% include gallery %}", f"<figure>{tags}<figcaption>{caption}</figcaption></figure>" if caption else tags
    )
    return myst + "\n"


def _one_line(value) -> str:
    return " ".join(str(value or "").split())


def video(values: dict[str, str], line: int, context: LiquidContext) -> str:
    provider, identifier = values.get("provider", ""), values.get("id", "")
    if provider in {"youtube", "vimeo"} and identifier:
        return video_frame(YOUTUBE if provider == "youtube" else VIMEO, identifier, line, context)
    path = values.get("path") or values.get("url") or ""
    path = site_url(path, context) if path else ""
    if path.startswith(("http://", "https://")) and "/embed/" in path:
        context.notes.warn(line, "an embedded video is played from the network (it needs a connection)")
        return f'\n<iframe class="post-video" src="{html.escape(path)}" allowfullscreen></iframe>\n'
    if path:
        player = f'<video class="post-video" controls src="{html.escape(path)}"></video>'
        context.html_forms[f"\n{player}\n"] = HtmlForm("{% include video %}", player)  # its line in messages
        return f"\n{player}\n"
    raise context.notes.error(line, "{% include video %} names no video (id= and provider=, or path=). Add it.")


def video_frame(address: str, identifier: str, line: int, context: LiquidContext) -> str:
    context.notes.warn(line, "an embedded video is played from the network (it needs a connection)")
    source = address.format(id=html.escape(identifier))
    return f'\n<iframe class="post-video" src="{source}" allowfullscreen title="video"></iframe>\n'


FILTER = re.compile(r"^(\w+)(?:\s*:\s*(.+))?$")


def output(expression: str, line: int, context: LiquidContext, written: str = "") -> str:
    """The value of ``{{ expression }}`` (``written``: the tag as the post has it, for messages)."""
    written = written or f"{{{{ {expression.strip()} }}}}"
    pieces = [piece.strip() for piece in expression.split("|")]
    value = variable(pieces[0], line, context, written)
    for piece in pieces[1:]:
        if not piece:
            continue  # Liquid ignores an empty filter ("{{ x | }}")
        match = FILTER.match(piece)
        name, argument = (match.group(1), match.group(2)) if match else (piece, None)
        text = literal(argument, line, context, written) if argument else ""
        if name == "relative_url":
            value = relative_url(value, context.site.baseurl)
        elif name == "absolute_url":
            value = context.site.absolute(value)
        elif name == "prepend":
            value = text + value
        elif name == "append":
            value = value + text
        elif name in {"escape", "xml_escape"}:
            value = html.escape(value)
        elif name in {"strip", "markdownify"}:
            value = value.strip()
        else:
            raise context.notes.error(
                line, f"the Liquid filter '{name}' in {written} is not supported. Write the value out."
            )
    return value


def variable(name: str, line: int, context: LiquidContext, written: str) -> str:
    """A variable's value; one Jekyll lacks is nothing, as Jekyll shows it (``strict_variables`` is off), with
    a warning."""
    if name[:1] in "\"'":
        return literal(name, line, context, written)
    scope, _, key = name.partition(".")
    source = {"site": context.site.variables, "page": context.page}.get(scope)
    value = _lookup(source, key) if source is not None and key else None
    if scope == "site" and key in {"url", "baseurl"}:
        value = getattr(context.site, key)
    if value is None:
        context.notes.warn(
            line,
            f"{' '.join(written.split())} has no value (the book knows site.*, from posts/_config.yml, and page.*, "
            "the front matter): shown as nothing, as on the blog. If the braces are text, wrap them in "
            "{% raw %}…{% endraw %}; if it is a value, add the key to posts/_config.yml or the front matter",
        )
        return ""
    return str(value)


def literal(text: str, line: int, context: LiquidContext, written: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return variable(text, line, context, written)


def _lookup(source: dict, key: str):
    value = source
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value

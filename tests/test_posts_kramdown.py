"""import-post against real kramdown: each fixture post, as Jekyll's kramdown renders it, beside its built page.

Real kramdown is the oracle (Debian's ``kramdown`` and ``ruby-kramdown-parser-gfm``; ``./run test`` installs
them), run with the options Jekyll gives it (:data:`JEKYLL_KRAMDOWN`). Each post of the two fixture blogs in
``tests/fixtures/posts/kramdown/`` (one construct each, see its README) is imported by the command and built
into the book with ``-W``; so are the author's own posts, already in the book. Liquid runs before kramdown in
Jekyll; here :data:`LIQUID` holds, by hand, what Jekyll writes for each tag the posts use.

For each post, kramdown's HTML and the page's article must give the same text blocks (paragraphs, list items,
headings, cells...; typography and whitespace normalised), each in the same place (inside the same quotes, list
items and notices), images (file and alt text), links (what they lead
to), code, tables, footnotes and math (the TeX the blog's MathJax reads, with its delimiters). Where the
book differs on purpose, :func:`book_only` and :func:`expected` say why.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from conftest import copy_repository, run_build
from linkify_it import LinkifyIt
from test_posts import png

from ai4neuro.posts.attributes import NOTICES
from ai4neuro.posts.nesting import MAX_DEPTH

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "fixtures" / "posts" / "kramdown"
KRAMDOWN = shutil.which("kramdown")
NO_KRAMDOWN = "Debian's kramdown is missing: ./run test installs it (apt-get install kramdown ruby-kramdown-parser-gfm)"
# Jekyll's kramdown options (Jekyll::Configuration::DEFAULTS["kramdown"], https://jekyllrb.com/docs/configuration/default/):
# auto_ids, toc_levels 1..6, entity_output as_char, smart_quotes, input GFM, hard_wrap false, footnote_nr 1.
JEKYLL_KRAMDOWN = [
    "-x", "parser-gfm", "-i", "GFM", "--no-config-file",
    "--auto-ids", "--toc-levels", "1..6", "--entity-output", "as_char",
    "--smart-quotes", "lsquo,rsquo,ldquo,rdquo", "--no-hard-wrap", "--footnote-nr", "1",
]  # fmt: skip

pytestmark = [pytest.mark.book]


@dataclass(frozen=True)
class Blog:
    name: str  # the fixture folder (or "author": the book's own posts/)
    url: str
    baseurl: str
    inline: tuple[tuple[str, str], ...]  # the blog's MathJax inlineMath
    skip_missing: tuple[str, ...] = ()  # posts imported with --skip-missing-images
    not_imported: tuple[str, ...] = ()  # posts the book does not hold (links to them go to the blog)


FIELD = Blog(
    "field-notes",
    "https://pond-notes.example.org/",
    "/notes",
    (("\\(", "\\)"),),
    skip_missing=("2024-02-10-missing-gallery",),
    not_imported=("2023-11-20-older-survey",),
)
DOLLARS = Blog("dollar-notes", "https://dollar-notes.example.org", "", (("$", "$"), ("\\(", "\\)")))
AUTHOR = Blog("author", "https://rdgao.github.io", "", (("\\(", "\\)"),))
TOUR = "2024-05-01-kramdown-tour"  # the tour of constructs handled before issue 21, in the field notes' blog

# What Jekyll (3.9, as on GitHub Pages: post_url and link give the post's url without baseurl) writes for each
# Liquid tag the fixture posts use. The tour's figure include is minimal-mistakes' _includes/figure.
LIQUID = {
    "field-notes": {
        "{{ site.baseurl }}": "/notes",
        "{{ site.url }}": "https://pond-notes.example.org/",
        "{% post_url 2024-02-06-other-survey %}": "/2024/02/06/other-survey.html",
        "{% link _posts/2024-02-06-other-survey.md %}": "/2024/02/06/other-survey.html",
        "{% post_url 2023-11-20-older-survey %}": "/surveys/2023/11/20/older-survey.html",
        "{% post_url 2024-02-08-self-link %}": "/2024/02/08/self-link.html",
        '{% include figure image_path="/assets/images/fixture/photo.png" alt="The keeper\'s photo" '
        'caption="A figure from the theme\'s include." %}': '<figure class="">\n'
        '  <img src="/assets/images/fixture/photo.png" alt="The keeper\'s photo" />\n'
        "  <figcaption>A figure from the theme's include.</figcaption>\n</figure>",
        # al-folio's _includes/figure.liquid: the path through relative_url (the site's root, under the baseurl)
        '{% include figure.liquid path="assets/img/egret.png" class="img-fluid rounded" alt="An egret in a row" %}': (
            '<figure>\n  <picture>\n    <img src="/notes/assets/img/egret.png" class="img-fluid rounded" width="100%" '
            'height="auto" alt="An egret in a row" loading="eager">\n  </picture>\n</figure>'
        ),
        '{% include figure.liquid path="images/heron.png" class="img-fluid" alt="A heron in a row" '
        'caption="The heron, drawn for the test." %}': (
            '<figure>\n  <picture>\n    <img src="/notes/images/heron.png" class="img-fluid" width="100%" '
            'height="auto" alt="A heron in a row" loading="eager">\n  </picture>\n'
            '  <figcaption class="caption">The heron, drawn for the test.</figcaption>\n</figure>'
        ),
    },
    "dollar-notes": {},
    "author": {},
}
BOOK_POSTS = {  # each post the book holds → its chapter; post_url names the post, with or without the baseurl
    # (Jekyll 4 adds it, Jekyll 3 does not: hence {{ site.baseurl }}{% post_url %} on GitHub Pages)
    "/2024/02/06/other-survey.html": "other-survey",
    "/2024/02/08/self-link.html": "self-link",
}
MISSING_IMAGES = {"first-thumb.png", "second-thumb.png"}  # the gallery's thumbnails the blog never committed
MATH_PLACEHOLDER = "⟨math⟩"
LINKIFY = LinkifyIt()  # as MyST's linkify extension reads text (fuzzy links too, its default)


# --- the two renderings --------------------------------------------------------------------------


def jekyll_liquid(text: str, blog: Blog) -> str:
    """The post after Jekyll's Liquid: block tags as Jekyll runs them, the rest from :data:`LIQUID`."""
    text = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", "", text, flags=re.S)
    text = re.sub(r"\{%\s*raw\s*%\}(.*?)\{%\s*endraw\s*%\}", lambda m: m.group(1).replace("{", "\0"), text, flags=re.S)

    def highlight(match: re.Match) -> str:
        language, code = match.group(1), match.group(2).strip("\n")
        escaped = code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return (
            f'<figure class="highlight"><pre><code class="language-{language}" data-lang="{language}">'
            f"{escaped}</code></pre></figure>"
        )

    text = re.sub(r"\{%\s*highlight\s+(\w+)\s*%\}(.*?)\{%\s*endhighlight\s*%\}", highlight, text, flags=re.S)

    def tag(match: re.Match) -> str:
        assert match.group(0) in LIQUID[blog.name], f"no Jekyll output written down for {match.group(0)}"
        return LIQUID[blog.name][match.group(0)]

    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}", tag, text, flags=re.S).replace("\0", "{")


def kramdown_html(post: Path, blog: Blog) -> BeautifulSoup:
    body = re.sub(r"\A\ufeff?---\n.*?\n---\n", "", post.read_text(encoding="utf-8"), count=1, flags=re.S)
    result = subprocess.run(
        [KRAMDOWN, *JEKYLL_KRAMDOWN], input=jekyll_liquid(body, blog), capture_output=True, text=True, check=True
    )
    return BeautifulSoup(f"<article>{result.stdout}</article>", "html.parser")


def book_article(page: Path) -> Tag:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")


# --- what a rendering shows ----------------------------------------------------------------------

BLOCKS = {
    "p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "div", "blockquote", "figcaption",
    "summary", "caption", "section", "details", "center", "td", "th", "article", "aside", "figure",
}  # fmt: skip
TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "\xa0": " "})


def normal(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(TYPOGRAPHY)
    return " ".join(text.replace("---", "-").replace("--", "-").split())


@dataclass
class Rendering:
    texts: list[str] = field(default_factory=list)
    places: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (text or code, quotes and items around)
    images: list[tuple[str, str, bool]] = field(default_factory=list)  # (file name, alt, the blog's own file)
    links: list[tuple[str, tuple]] = field(default_factory=list)  # (text, where it leads)
    code: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    math: list[tuple[str, bool]] = field(default_factory=list)  # (TeX, display)


def mathjax_find(text: str, inline: tuple[tuple[str, str], ...]) -> list[tuple[int, int, str, bool]]:
    """The math MathJax finds in ``text`` with these inline delimiters and its default display ones
    (``$$…$$``, ``\\[…\\]``): (start, end, TeX, display); ``\\$`` is a dollar sign (processEscapes)."""
    delimiters = [(o, c, False) for o, c in inline] + [("$$", "$$", True), ("\\[", "\\]", True)]
    delimiters.sort(key=lambda item: -len(item[0]))
    found, index = [], 0
    while index < len(text):
        if text.startswith("\\$", index):
            index += 2
            continue
        opening = next((d for d in delimiters if text.startswith(d[0], index)), None)
        if opening is None:
            index += 1
            continue
        start, depth, cursor = index, 0, index + len(opening[0])
        while cursor < len(text):
            if text[cursor] == "\\" and not text.startswith(opening[1], cursor):
                cursor += 2
                continue
            if text[cursor] == "{":
                depth += 1
            elif text[cursor] == "}":
                depth -= 1
            elif depth <= 0 and text.startswith(opening[1], cursor):
                break
            cursor += 1
        if cursor >= len(text):
            index = start + len(opening[0])
            continue
        tex = text[start + len(opening[0]) : cursor]
        found.append((start, cursor + len(opening[1]), " ".join(tex.split()), opening[2]))
        index = cursor + len(opening[1])
    return found


def own_text(element: Tag) -> str:
    """The text of ``element`` outside the block elements inside it."""
    parts = []
    for child in element.children:
        if isinstance(child, Comment):
            continue  # an HTML comment shows nothing
        if isinstance(child, NavigableString):
            parts.append(str(child))
        elif isinstance(child, Tag) and child.name not in BLOCKS and child.name not in {"ul", "ol", "table", "pre"}:
            parts.append(own_text(child) if child.find(BLOCKS) else child.get_text())
    return "".join(parts)


def place(element: Tag) -> tuple[str, ...]:
    """Where a block sits: the quotes, list items and notices around it (and itself), outermost first. A notice
    is a minimal-mistakes class on the blog, its admonition in the book (:data:`~ai4neuro.posts.attributes.NOTICES`);
    items nested deeper than the book shows count at its deepest level (:data:`~ai4neuro.posts.nesting.MAX_DEPTH`)."""
    around, items = [], 0
    for tag in reversed([element, *element.parents]):
        items += tag.name == "li"
        if tag.name == "blockquote" or (tag.name == "li" and items <= MAX_DEPTH):
            around.append(tag.name)
        classes = tag.get("class") or []
        admonition = "admonition" in classes
        notice = [NOTICES[name] for name in classes if name in NOTICES] or [
            name for name in classes if admonition and name in NOTICES.values()
        ]
        around += [f"notice:{kind}" for kind in notice[:1]]
    return tuple(around)


def target_text(element: Tag | None) -> str:
    """What an in-page link leads to: a heading's text (the book's anchors are on the heading's section)."""
    if element is None:
        return "missing"
    if element.name == "section":
        element = element.find(re.compile("^h[1-6]$"))
    for anchor in element.select("a.headerlink"):
        anchor.decompose()
    return normal(element.get_text())


def render(root: Tag, inline, resolve, book: bool = False) -> Rendering:
    """What a reader gets from ``root``: text blocks, images, links, code, tables, footnotes and math.

    On the blog MathJax reads math in any text (by the blog's delimiters); in the book only in MyST's math
    elements: there, ``\\(…\\)`` left in the text is raw TeX, not math.
    """
    out = Rendering()
    for note in root.select("div.footnotes li, aside.footnote"):
        for extra in note.select("a.reversefootnote, span.label, span.backrefs, .fn-bracket"):
            extra.decompose()
        out.footnotes.append(normal(note.get_text()))
        note.decompose()
    for reference in root.select("sup[role=doc-noteref], a.footnote-reference"):
        reference.decompose()
    for code in root.select("pre"):
        out.code.append(code.get_text().strip("\n"))
        out.places.append((normal(code.get_text()), place(code)))
    for code in root.select("code"):
        if code.find_parent("pre") is None:
            out.code.append(code.get_text())
    for image in root.select("img"):
        source = image.get("src", "")
        local = not urlsplit(source).scheme if book else resolve.is_own(source)
        out.images.append((Path(urlsplit(source).path).name, normal(image.get("alt", "")), local))
    for math in root.select(".math"):
        tex = math.get_text().strip()
        display = tex.startswith("\\[")
        tex = " ".join(tex[2:-2].split())
        split = re.fullmatch(r"\\begin\{split\}(.*)\\end\{split\}", tex)
        tex = split.group(1).strip() if split else tex  # Sphinx wraps a multi-line equation in split: same layout
        out.math.append((tex, display))
        math.replace_with("\n\n" if display else MATH_PLACEHOLDER)
    for table in root.select("table"):
        rows = []
        for row in table.select("tr"):
            cells = []
            for cell in row.select("th, td"):
                text = cell.get_text()
                for start, end, tex, display in reversed([] if book else mathjax_find(text, inline)):
                    out.math.append((tex, display))
                    text = text[:start] + MATH_PLACEHOLDER + text[end:]
                cells.append(normal(text))
            rows.append(cells)
        out.tables.append(rows)
    for link in root.select("a[href]"):
        if "image-reference" in link.get("class", []):
            continue  # Sphinx links an image directive's picture to its file
        out.links.append((normal(link.get_text()), resolve(link["href"], root)))
    for element in root.find_all(BLOCKS):
        if element.name in {"td", "th"} or element.find_parent("table"):
            continue
        text = own_text(element)
        pieces, cursor = [], 0
        for start, end, tex, display in [] if book else mathjax_find(text, inline):
            out.math.append((tex, display))
            pieces.append(text[cursor:start])
            pieces.append("\n\n" if display else MATH_PLACEHOLDER)  # MathJax shows display math as its own block
            cursor = end
        pieces.append(text[cursor:])
        text = "".join(pieces)
        if ("$", "$") in inline and not book:
            text = text.replace("\\$", "$")  # MathJax's processEscapes: a dollar sign
        for piece in text.split("\n\n"):
            if normal(piece):
                out.texts.append(normal(piece))
                out.places.append((normal(piece), place(element)))
    return out


# --- the book ------------------------------------------------------------------------------------


def blog_posts(blog: Blog) -> list[Path]:
    if blog.name == "author":
        return sorted([*(ROOT / "posts" / "_posts").glob("*.md"), *(ROOT / "posts" / "_drafts").glob("*.md")])
    posts = sorted((CORPUS / blog.name / "_posts").glob("*.md"))
    if blog is FIELD:
        posts.append(Path(__file__).parent / "fixtures" / "posts" / "_posts" / f"{TOUR}.md")
    return posts


def draw_images(folder: Path) -> None:
    """The images the posts show (drawn, no binary fixture), except the ones the blog itself lacks."""
    for path in ("images/heron.png", "images/kingfisher.png", "assets/img/egret.png"):
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(png(40, 30, (90, 140, 90)))
    for name in ("chart.png", "photo.png"):
        (folder / "assets/images/fixture" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "assets/images/fixture" / name).write_bytes(png(60, 40, (60, 60, 200)))


def import_post(book: Path, post: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ai4neuro", "import-post", post.relative_to(book).as_posix(), *options],
        cwd=book,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(book)},
    )


@dataclass
class Built:
    html: Path
    chapters: dict[str, str]  # post name → chapter slug
    stderr: dict[str, str]


def build_blog(tmp_path_factory, blog: Blog) -> Built:
    book = copy_repository(tmp_path_factory.mktemp(f"oracle-{blog.name}"))
    chapters, stderr = {}, {}
    if blog.name != "author":
        source = CORPUS / blog.name
        shutil.copy2(source / "_config.yml", book / "posts" / "_config.yml")
        for part in ("_posts", "assets"):
            if (source / part).is_dir():
                shutil.copytree(source / part, book / "posts" / part, dirs_exist_ok=True)
        draw_images(book / "posts")
        ordered = sorted(blog_posts(blog), key=lambda p: "0" if "other-survey" in p.name else p.name)
        for post in ordered:
            if post.stem in blog.not_imported:
                continue
            target = book / "posts" / "_posts" / post.name
            shutil.copy2(post, target)
            options = ["--skip-missing-images"] if post.stem in blog.skip_missing else []
            result = import_post(book, target, *options)
            assert result.returncode == 0, result.stderr
            chapters[post.stem] = re.search(r"chapters/([^ ]+)\.md", result.stdout).group(1)
            stderr[post.stem] = result.stderr
        if blog is FIELD:  # again, now that the post it links to is in the book
            result = import_post(book, book / "posts" / "_posts" / "2024-02-02-links-to-posts.md")
            assert result.returncode == 0, result.stderr
            stderr["2024-02-02-links-to-posts"] = result.stderr
        for post in ordered:  # a second import changes nothing
            if post.stem not in blog.not_imported:
                options = ["--skip-missing-images"] if post.stem in blog.skip_missing else []
                again = import_post(book, book / "posts" / "_posts" / post.name, *options)
                assert again.returncode == 0 and "is up to date" in again.stdout, (post.name, again.stdout)
    else:
        for chapter in (ROOT / "chapters").glob("*.md"):
            text = chapter.read_text(encoding="utf-8")
            found = re.search(r"^post: (\S+)$", text, re.M)
            if found:
                chapters[Path(found.group(1)).stem] = chapter.stem
    return Built(run_build(book), chapters, stderr)


@pytest.fixture(scope="module")
def field_book(tmp_path_factory) -> Built:
    return build_blog(tmp_path_factory, FIELD)


@pytest.fixture(scope="module")
def dollar_book(tmp_path_factory) -> Built:
    return build_blog(tmp_path_factory, DOLLARS)


@pytest.fixture(scope="module")
def author_book(tmp_path_factory) -> Built:
    return build_blog(tmp_path_factory, AUTHOR)


# --- expectations --------------------------------------------------------------------------------


def resolver(blog: Blog, post: Path, built: Built, slug: str, book: bool):
    """Where a link leads: ("chapter", slug, heading) for a post in the book (this one too), else ("url", address).
    ``book``: the links are the built page's (a relative ``x.html`` is a chapter of the book)."""
    site = urlsplit(blog.url)
    page_url = blog.url.rstrip("/") + blog.baseurl + permalink_of(post)

    def chapter(name: str, fragment: str, page: Tag) -> tuple:
        if not fragment:
            return ("chapter", name, "")
        if name == slug:
            return ("chapter", name, target_text(page.find(id=fragment)))
        other = BeautifulSoup((built.html / "chapters" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        return ("chapter", name, target_text(other.find(id=fragment)))

    def resolve(href: str, page: Tag) -> tuple:
        if href.startswith("#"):
            return chapter(slug, href[1:], page)
        parts = urlsplit(href)
        if book and not parts.scheme and not href.startswith("/") and parts.path.endswith(".html"):
            return chapter(Path(parts.path).stem, parts.fragment, page)
        parts = urlsplit(urljoin(page_url, href))
        path = re.sub(r"/{2,}", "/", parts.path)
        if parts.netloc == site.netloc:
            local = path.removeprefix(blog.baseurl) if blog.baseurl and path.startswith(blog.baseurl + "/") else path
            if local in BOOK_POSTS:
                return chapter(BOOK_POSTS[local], parts.fragment, page)
        return ("url", parts._replace(path=path).geturl())

    def is_own(source: str) -> bool:
        """Whether an image is the blog's own file (the book shows a copy; never one from the network)."""
        return urlsplit(urljoin(page_url, source)).netloc == site.netloc

    resolve.is_own = is_own
    return resolve


def permalink_of(post: Path) -> str:
    """The post's address on the blog by Jekyll's default permalink (a draft's date is unknown: its name)."""
    dated = re.match(r"(\d{4})-(\d{2})-(\d{2})-(.+)", post.stem)
    return f"/{'/'.join(dated.groups())}.html" if dated else f"/{post.stem}.html"


def book_only(article: Tag, title: str) -> None:
    """Take out what the book adds on purpose: the title (Jekyll's layout prints it, kramdown does not), heading
    anchors ("#"), the draft banner, admonition titles, the table of contents (kramdown's is a list of links,
    the book's the theme's), the author's code cells and their figures, and figure numbers ("Fig. 4")."""
    for admonition in article.select("div.admonition"):
        if "Draft" in admonition.get_text()[:60]:
            admonition.decompose()
    for selector in (
        "a.headerlink",
        "p.admonition-title",
        "nav.contents",
        "div.contents",
        "div.cell",
        "span.caption-number",
    ):
        for element in article.select(selector):
            element.decompose()
    heading = article.find("h1")
    if heading is not None and normal(heading.get_text()) == normal(title):
        heading.decompose()


def kramdown_only(html: Tag) -> None:
    """kramdown's table of contents ({:toc}) is compared as the book's contents directive: left out. Bare
    addresses in the text become links, as the book's MyST (its linkify extension) makes them."""
    for toc in html.select("#markdown-toc"):
        toc.decompose()
    for text in html.find_all(string=True):
        if isinstance(text, Comment) or text.find_parent(["a", "code", "pre", "script", "style"]):
            continue
        matches = LINKIFY.match(str(text)) or []
        if not matches:
            continue
        pieces, cursor = [], 0
        for match in matches:
            pieces.append(str(text)[cursor : match.index])
            link = html.new_tag("a", href=match.url)
            link.string = match.text
            pieces.append(link)
            cursor = match.last_index
        pieces.append(str(text)[cursor:])
        for piece in pieces:
            text.insert_before(piece)
        text.extract()


def expected(html: Tag, blog: Blog, post: Path) -> None:
    """kramdown's page as the book shows it on purpose: an image the blog itself lacks is a note
    (the post is imported with --skip-missing-images)."""
    if post.stem not in blog.skip_missing:
        return
    for image in html.select("img"):
        name = Path(urlsplit(image.get("src", "")).path).name
        if name in MISSING_IMAGES:
            image.replace_with(f"(image not available: {image.get('alt', '')})")


def fold_repeats(html: Tag) -> None:
    """A passage repeated word for word right after itself is kept once: the importer folds a passage pasted
    twice (with a warning; the author's Part 3 draft holds one)."""
    blocks = [child for child in html.select_one("article").children if isinstance(child, Tag)]
    keys = [re.sub(r' id="[^"]*"', "", str(block)) for block in blocks]  # a repeated heading's id is numbered
    size = len(blocks) // 2
    while size >= 3:
        index = 0
        while index + 2 * size <= len(keys):
            if keys[index : index + size] == keys[index + size : index + 2 * size]:
                for block in blocks[index + size : index + 2 * size]:
                    block.decompose()
                del blocks[index + size : index + 2 * size], keys[index + size : index + 2 * size]
            else:
                index += 1
        size -= 1


CASES = [(FIELD, post) for post in blog_posts(FIELD) if post.stem not in FIELD.not_imported]
CASES += [(DOLLARS, post) for post in blog_posts(DOLLARS)] + [(AUTHOR, post) for post in blog_posts(AUTHOR)]


@pytest.mark.parametrize("blog, post", CASES, ids=[f"{blog.name}/{post.stem}" for blog, post in CASES])
def test_the_page_shows_what_kramdown_renders(blog, post, request):
    if KRAMDOWN is None:
        pytest.fail(NO_KRAMDOWN)
    built = request.getfixturevalue(
        {"field-notes": "field_book", "dollar-notes": "dollar_book"}.get(blog.name, "author_book")
    )
    slug = built.chapters[post.stem]
    page = built.html / "chapters" / f"{slug}.html"
    article = book_article(page)
    title = re.search(r"^title: \"?(.*?)\"?$", post.read_text(encoding="utf-8"), re.M).group(1)
    book_only(article, title)
    html = kramdown_html(post, blog)
    kramdown_only(html)
    expected(html, blog, post)
    fold_repeats(html)
    want = render(html, blog.inline, resolver(blog, post, built, slug, book=False))
    got = render(article, blog.inline, resolver(blog, post, built, slug, book=True), book=True)
    assert got.texts == want.texts
    assert got.places == want.places  # the same block structure: quotes and list items hold the same blocks
    assert got.images == want.images
    assert got.links == want.links
    assert got.code == want.code
    assert got.tables == want.tables
    assert got.footnotes == want.footnotes
    assert sorted(got.math) == sorted(want.math)


WARNINGS = {  # what each fixture post is told, with its line: one warning per construct converted with loss
    "2024-02-01-short-header-table": [
        ":26: a table with a footer: its footer rows (after |===|) are ordinary rows "
        "and its column alignment is dropped"
    ],
    "2024-02-02-links-to-posts": [":7: 2023-11-20-older-survey is not in the book; the link goes to the blog"],
    "2024-02-09-page-files": [
        ":13: an embedded page from maps.example.org is loaded from the network (offline it is an empty box)"
    ],
    "2024-02-10-missing-gallery": [
        ":7: the image /notes/images/gallery/first-thumb.png is not in posts/ (nor on the blog): shown as a note",
        ":9: the image /notes/images/gallery/second-thumb.png is not in posts/ (nor on the blog): shown as a note",
    ],
    "2024-02-12-code-and-typography": [
        ":7: the code language 'pondscript' is unknown to the book's highlighter (Pygments): the code is shown "
        "without colours",
        ":13: the book's highlighter (Pygments) cannot read this code as javascript: the code is shown without colours",
    ],
    "2024-02-11-deep-list": [
        ":7: a list nested 11 levels deep: its items below level 8 are shown at level 8 (the book's Markdown reader "
        "stops about ten levels down and drops the rest of the post)"
    ],
}


def test_each_conversion_is_one_warning_naming_the_post_and_line(field_book):
    for post, stderr in field_book.stderr.items():
        if post == TOUR:
            continue  # test_posts.py checks the tour's warnings
        lines = [line for line in stderr.splitlines() if line]
        assert lines == [f"warning: posts/_posts/{post}.md{line}" for line in WARNINGS.get(post, [])], post


def test_a_posts_own_script_and_style_load_on_its_page_only(field_book):
    html = field_book.html
    assert (html / "_static" / "blog" / "assets" / "js" / "tally.js").is_file()
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        loads = len(re.findall(r"blog/assets/(?:js/tally\.js|css/tally\.css)", text))
        assert loads == (2 if page.name == "page-files.html" else 0), page


@pytest.mark.browser
def test_escaped_math_is_typeset_and_the_posts_script_runs_offline(field_book, visit_page):
    """In Chromium from file:// with the network blocked: \\( \\) and \\[ \\] math on a page with no other math is
    typeset (MathJax loads for it); the post's own script fills its box; the map frame from another host is
    refused by the book's Content-Security-Policy before any request (README: what a post's raw HTML can do)."""
    visit = visit_page(field_book.html / "chapters" / "escaped-math.html")
    visit.page.wait_for_selector("mjx-container svg", timeout=15_000)
    assert visit.page.locator("mjx-container").count() == 4 and "\\(" not in visit.page.inner_text("article")
    assert visit.blocked_requests == [] and visit.console_errors == []
    visit = visit_page(field_book.html / "chapters" / "page-files.html")
    assert visit.page.inner_text("#tally") == "Tally: 3 herons, 2 egrets"
    assert visit.page.evaluate("getComputedStyle(document.getElementById('tally')).borderTopStyle") == "solid"
    assert visit.blocked_requests == [] and visit.page.locator("iframe[src*='maps.example.org']").count() == 1
    assert all("Content Security Policy" in error for error in visit.console_errors), visit.console_errors

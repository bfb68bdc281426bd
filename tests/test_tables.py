"""Tables as readers meet them: whole, escaped and left-aligned in Jupyter; on a phone every column shown
and no word broken; on paper every row and no control. The book is the published one (conftest)."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from ai4neuro import figures

PART_1 = "chapters/beyond-neuroai-we-need-ai4neuro-part-1.html"
ABOUT = "chapters/about-data.html"
# About the data at 390 px, in CSS px. The rules table alone, unfolded and as a plain table, made it
# ~59,600 px tall (35,900 of them the rules); measured 19,500 with the rules folded by label and the other
# tables as cards, 25,754 once it showed what titles hide (a section and two columns of the era table). The
# margin leaves room for prose and captions, not for the rules table unfolded again.
ABOUT_MAX_HEIGHT_AT_390 = 26_500

TABLES = "article div.ai4n-table table, article .ai4n-wide-table table"

# Every non-empty cell of every table on the page: is it inside its table's box (no clipped column), and
# does every word (a run of letters, digits or "_") sit on one line?
CELLS_READABLE = """(selector) => {
  const problems = [];
  for (const table of document.querySelectorAll(selector)) {
    const box = table.closest('.ai4n-table-scroll, .ai4n-wide-table').getBoundingClientRect();
    for (const cell of table.querySelectorAll('tbody td')) {
      if (!cell.textContent.trim()) continue;
      const rect = cell.getBoundingClientRect();
      const name = cell.dataset.label || 'first column';
      if (rect.width === 0 || rect.left < box.left - 1 || rect.right > box.right + 1) {
        problems.push(`clipped: ${name}: ${cell.textContent.slice(0, 40)}`);
        continue;
      }
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.textContent.matchAll(/[\\p{L}\\p{N}_]+/gu)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (tops.size > 1) problems.push(`broken word: ${match[0]}`);
        }
      }
    }
  }
  return problems;
}"""


def _visible(element) -> bool:
    return element.is_visible()


# --- the output, as Jupyter and the book receive it ---------------------------------------------


def test_a_whole_table_is_escaped_labelled_and_keeps_every_row():
    frame = pd.DataFrame({"Rule": ["a<b>", "c"], "Pattern": ["x|y", None], "Note": ["one & two", "three"]})
    bundle = figures.Table(frame, code=["Pattern"])._repr_mimebundle_()
    soup = BeautifulSoup(bundle["text/html"], "html.parser")
    assert "text-align: left" in soup.style.get_text()  # JupyterLab right-aligns table cells otherwise
    box = soup.select_one("div.ai4n-wide-table")
    assert "ai4n-stack" in box["class"] and box["tabindex"] == "0"
    assert [th.get_text() for th in soup.select("thead th")] == list(frame.columns)
    rows = soup.select("tbody tr")
    assert [td.get_text() for td in rows[0].find_all("td")] == ["a<b>", "x|y", "one & two"]
    assert [td["data-label"] for td in rows[0].find_all("td")] == ["Rule", "Pattern", "Note"]
    assert rows[0].find("code").find("wbr") is not None and rows[1].find_all("td")[1].get_text() == ""
    assert "<b>" not in bundle["text/html"]


def test_a_grouped_table_folds_each_group_and_a_narrow_one_never_stacks():
    frame = pd.DataFrame({"Rule": ["a", "b", "c"], "Label": ["x", "y", "x"], "Note": ["1", "2", "3"]})
    soup = BeautifulSoup(figures.Table(frame, group_by="Label", row_name="rule").html(), "html.parser")
    summaries = [details.summary.get_text() for details in soup.select("details.ai4n-table-group")]
    assert summaries == ["Label: x (2 rules)", "Label: y (1 rule)"]
    assert [th.get_text() for th in soup.select("details")[0].select("thead th")] == ["Rule", "Note"]
    assert "ai4n-stack" not in soup.select_one("div.ai4n-wide-table")["class"]  # two columns fit a phone


# --- a phone ------------------------------------------------------------------------------------


@pytest.mark.book
@pytest.mark.browser
@pytest.mark.parametrize(("width", "mode"), [(390, "light"), (390, "dark"), (1200, "light")])
def test_every_column_shows_no_word_breaks_and_titles_read_from_the_left(book_html, visit_page, width, mode):
    for name in (PART_1, ABOUT):
        page = visit_page(book_html / name, width=width).page
        page.evaluate(f"document.documentElement.dataset.theme = '{mode}'")
        page.evaluate("document.querySelectorAll('details.ai4n-table-group').forEach((d) => { d.open = true; })")
        assert page.locator(TABLES).count() > 0, name
        assert page.evaluate(CELLS_READABLE, TABLES) == [], name
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    page = visit_page(book_html / PART_1, width=width).page
    aligned = page.evaluate(
        "[...document.querySelectorAll('div.ai4n-table td.ai4n-title')].map((td) => getComputedStyle(td).textAlign)"
    )
    assert aligned and set(aligned) <= {"left", "start"}


@pytest.mark.book
@pytest.mark.browser
def test_cards_on_a_phone_are_still_a_table_to_screen_readers(book_html, visit_page):
    """Chromium's own accessibility tree (what screen readers get), not the DOM: rows and cells, not layout."""
    for name in (PART_1, ABOUT):
        page = visit_page(book_html / name, width=390).page
        tables = page.locator(TABLES).filter(visible=True)
        rows = sum(table.locator("tr").count() for table in tables.all())
        cells = sum(table.locator("tbody td").count() for table in tables.all())
        nodes = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
        roles = Counter(node["role"]["value"] for node in nodes if not node.get("ignored") and "role" in node)
        assert (roles["table"], roles["row"], roles["cell"]) == (tables.count(), rows, cells), name
        assert roles["LayoutTable"] == 0, name


@pytest.mark.book
@pytest.mark.browser
def test_about_the_data_stays_short_on_a_phone_with_its_rules_folded(book_html, visit_page):
    page = visit_page(book_html / ABOUT, width=390).page
    groups = page.locator("details.ai4n-table-group")
    assert groups.count() >= 4 and not any(group.get_attribute("open") is not None for group in groups.all())
    assert page.evaluate("document.documentElement.scrollHeight") < ABOUT_MAX_HEIGHT_AT_390
    # A group opens from the keyboard.
    groups.first.locator("summary").focus()
    page.keyboard.press("Enter")
    assert groups.first.locator("tbody tr").first.is_visible()


@pytest.mark.book
@pytest.mark.browser
def test_a_search_that_finds_no_paper_says_so_in_the_table(book_html, visit_page):
    page = visit_page(book_html / PART_1).page
    table = page.locator("div.ai4n-table")
    table.scroll_into_view_if_needed()
    search = table.locator("input[type='search']")
    search.wait_for()
    search.fill("no title holds this")
    rows = table.locator("tbody tr")
    assert rows.count() == 1
    cell = rows.locator("td")
    assert cell.get_attribute("colspan") == "3" and cell.inner_text().startswith("No paper matches")
    assert ": 0 of " in table.locator(".ai4n-table-count").inner_text()
    search.fill("")
    assert rows.count() > 6 and "No paper matches" not in table.inner_text()


# Each method table's left edge against the text of the entry (the definition list) it follows.
TABLE_AND_ENTRY = """() => [...document.querySelectorAll('article .ai4n-wide-table')].map((box) => {
  let before = box.closest('div.cell');
  while (before && before.tagName !== 'DL') { before = before.previousElementSibling; }
  const entry = before && before.querySelector('dd');
  return entry ? {table: box.getBoundingClientRect().left, entry: entry.getBoundingClientRect().left} : null;
}).filter(Boolean)"""


@pytest.mark.book
@pytest.mark.browser
@pytest.mark.parametrize("width", [1200, 390])
def test_about_the_datas_tables_line_up_with_their_entrys_text(book_html, visit_page, width):
    page = visit_page(book_html / ABOUT, width=width).page
    found = page.evaluate(TABLE_AND_ENTRY)
    assert len(found) >= 10
    assert [edges for edges in found if abs(edges["table"] - edges["entry"]) > 1] == []


def test_an_example_table_drops_its_rules_column_only_where_every_row_has_none():
    from ai4neuro.views import papers

    frame = pd.DataFrame(
        {
            "conference": ["NeurIPS", "ICML"],
            "year": [2020, 2021],
            "title": ["A made-up title", "Another made-up title"],
            "label": ["neuroai", "ai4neuro"],
            "reason": ["why", "why not"],
            "classified": ["", ""],
            "rules": ["", ""],
        }
    )
    assert "Rules" not in papers.example_table(frame).columns
    assert "Rules" in papers.example_table(frame.assign(rules=["", "brain;cue_data"])).columns


@pytest.mark.book
def test_papers_the_rules_miss_show_no_empty_rules_column(book_html):
    soup = BeautifulSoup((book_html / ABOUT).read_text(encoding="utf-8"), "html.parser")

    def columns_after(words: str) -> list[str]:
        intro = next(p for p in soup.select("article p") if words in p.get_text())
        return [th.get_text() for th in intro.find_next("table").select("thead th")]

    assert columns_after("papers the rules miss") == ["Paper", "Labelled", "Why", "Classified"]
    assert columns_after("take for neuroscience")[-1] == "Rules"


# --- paper --------------------------------------------------------------------------------------


@pytest.mark.book
@pytest.mark.browser
def test_print_shows_every_row_of_every_table_and_no_control(book_html, visit_page):
    page = visit_page(book_html / PART_1).page
    page.emulate_media(media="print")
    table = page.locator("div.ai4n-table")
    rows = table.locator("tbody tr")
    shown = int(table.locator(".ai4n-table-count").inner_text().split(": ")[1].split()[0])  # "NeurIPS 2023: 136 papers"
    assert rows.count() == shown > 6
    assert all(row.is_visible() for row in rows.all())
    scroll = table.locator(".ai4n-table-scroll")
    assert scroll.evaluate("(box) => box.scrollHeight <= box.clientHeight + 1")  # no scroll box hides rows
    assert [header.inner_text().strip() for header in table.locator("thead th").all()] == [
        "Title",
        "Label",
        "Matched rules",
    ]
    for name in (PART_1, ABOUT):
        page = visit_page(book_html / name).page
        page.emulate_media(media="print")
        controls = page.locator("article select, article input, article button, article details.hide > summary")
        visible = [
            control.evaluate("(c) => c.outerHTML.slice(0, 80)") for control in controls.all() if _visible(control)
        ]
        assert visible == [], name
    # The rules, folded on screen, print whole.
    rules = page.locator("details.ai4n-table-group tbody tr")
    assert rules.count() > 40 and all(row.is_visible() for row in rules.all())

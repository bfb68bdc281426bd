"""Small fixes to the theme's pages, each at the narrowest point.

- sphinx-thebe registers its configuration script on every ``env-before-read-docs``, which can run
  more than once per build; the page then declares ``const THEBE_JS_URL`` twice and the browser
  reports a SyntaxError. Each page keeps one copy of every script.
"""

from sphinx.application import Sphinx


def drop_duplicate_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = (getattr(script, "filename", script) or "", tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique  # the builder restores its own list before the next page


def setup(app: Sphinx) -> None:
    # Early: a later handler may return a template name, which ends the event for the rest.
    app.connect("html-page-context", drop_duplicate_scripts, priority=100)

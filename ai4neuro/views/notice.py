"""The one notice a chapter shows in place of a figure or table whose data this build lacks."""

from __future__ import annotations

import html


class Notice:
    """An admonition: a title, a sentence on what is missing and why, and the commands that fix it.

    ``commands`` are shown as code; ``link`` is an optional ``(text, url)`` to see the data elsewhere;
    ``kind`` is the admonition's: ``warning`` (orange) for what the author must fix, ``note`` (blue)
    for what readers are told.
    """

    def __init__(
        self,
        title: str,
        text: str,
        commands: tuple[str, ...] = (),
        link: tuple[str, str] | None = None,
        kind: str = "warning",
    ):
        self.title, self.text, self.commands, self.link, self.kind = title, text, commands, link, kind

    def _html(self) -> str:
        body = html.escape(self.text)
        for command in self.commands:
            body = body.replace(html.escape(command), f"<code>{html.escape(command)}</code>")
        if self.link:
            text, url = self.link
            body += f' <a href="{html.escape(url, quote=True)}">{html.escape(text)}</a>.'
        return (
            f'<div class="admonition {html.escape(self.kind)} ai4n-notice" role="note">'
            f'<p class="admonition-title">{html.escape(self.title)}</p><p>{body}</p></div>'
        )

    def _plain(self) -> str:
        link = f" {self.link[0]}: {self.link[1]}" if self.link else ""
        return f"{self.title}. {self.text}{link}"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/html": self._html(), "text/plain": self._plain()}

"""What an import tells the author: warnings for features converted with loss, one error for the rest.

Every message names the post and the line (1-based, in the post file as the author sees it).
What a post refers to and the book cannot find (images, scripts, other posts) is collected over the
whole post and reported in one error (:meth:`Notes.check`), so one run lists everything to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ai4neuro.errors import Ai4NeuroError


@dataclass
class Notes:
    """Warnings about one post, grouped by message so a feature used ten times warns once."""

    path: Path
    first_line: int = 1  # the file line of the body's first line
    line_map: list[int] | None = None  # body line (after Liquid) → body line (as written)
    messages: dict[str, dict[int, None]] = field(default_factory=dict)  # message → its lines, in order
    missing: dict[str, list[str]] = field(default_factory=dict)  # kind of thing → "line N: what (where)"
    hints: dict[str, list[str]] = field(default_factory=dict)  # kind of thing → how to fix it

    def file_line(self, body_line: int) -> int:
        if self.line_map and 0 <= body_line < len(self.line_map):
            body_line = self.line_map[body_line]
        return self.first_line + body_line

    def warn(self, body_line: int, message: str) -> None:
        self.messages.setdefault(message, {})[self.file_line(body_line)] = None

    def error(self, body_line: int, message: str) -> Ai4NeuroError:
        return Ai4NeuroError(f"{self.path}:{self.file_line(body_line)}: {message}")

    def not_found(self, kind: str, body_line: int, what: str, hint: str) -> None:
        """Something the post refers to is missing (e.g. kind ``image``); :meth:`check` reports all of them."""
        entry = f"line {self.file_line(body_line)}: {what}"
        if entry not in self.missing.setdefault(kind, []):
            self.missing[kind].append(entry)
        if hint not in self.hints.setdefault(kind, []):
            self.hints[kind].append(hint)

    def check(self) -> None:
        if not self.missing:
            return
        parts = [
            f"{len(entries)} {kind}(s) not found: {'; '.join(entries)}. {' '.join(self.hints[kind])}"
            for kind, entries in self.missing.items()
        ]
        raise Ai4NeuroError(f"{self.path}: " + " ".join(parts))

    def lines(self) -> list[str]:
        return [
            f"{self.path}:{','.join(str(line) for line in sorted(lines))}: {message}"
            for message, lines in self.messages.items()
        ]

"""Replacing secret values in text and in decoded JSON trees.

Best effort: only exact occurrences are found. A value transformed in any way (base64, hex,
reversed, upper-cased, split across two messages or two strings) passes through.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

REDACTED = "[REDACTED]"


class Redactor:
    """Replaces every exact occurrence of the given values, each at least min_length long."""

    def __init__(self, values: Iterable[str], min_length: int) -> None:
        self._values = frozenset(value for value in values if len(value) >= max(min_length, 1))

    def __bool__(self) -> bool:
        """Whether there is anything to redact."""
        return bool(self._values)

    def redact_text(self, text: str) -> str:
        """The text with every occurrence replaced; the very same object if there was none."""
        spans = _merged(self._occurrences(text))
        if not spans:
            return text
        pieces: list[str] = []
        kept_from = 0
        for start, end in spans:
            pieces += [text[kept_from:start], REDACTED]
            kept_from = end
        pieces.append(text[kept_from:])
        return "".join(pieces)

    def redact_tree(self, tree: Any) -> Any:
        """The JSON tree with every string leaf redacted; the very same object if none changed.

        Dictionary keys are left alone: they name fields and mimetypes, and two keys that both
        became the marker would collapse into one.
        """
        if isinstance(tree, str):
            return self.redact_text(tree)
        if isinstance(tree, dict):
            redacted_dict = {key: self.redact_tree(item) for key, item in tree.items()}
            return tree if _same_items(tree.values(), redacted_dict.values()) else redacted_dict
        if isinstance(tree, list):
            redacted_list = [self.redact_tree(item) for item in tree]
            return tree if _same_items(tree, redacted_list) else redacted_list
        return tree

    def _occurrences(self, text: str) -> list[tuple[int, int]]:
        # Every occurrence of every value, overlapping ones included, so that after merging no
        # character of any of them survives: this also covers a value that contains another,
        # whatever order the values come in.
        found: list[tuple[int, int]] = []
        for value in self._values:
            start = text.find(value)
            while start != -1:
                found.append((start, start + len(value)))
                start = text.find(value, start + 1)
        return found


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans covering the same characters (touching spans are joined)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _same_items(original: Iterable[Any], redacted: Iterable[Any]) -> bool:
    return all(a is b for a, b in zip(original, redacted))

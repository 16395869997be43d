"""Segmentation and sentence splitting, done once per draft and shared by every check.

We keep our own tokenizer instance (never jieba's module-level one, whose dictionary any other
code in the process can change) and load the package's domain dictionary into it. The fast path
is rjieba, a binding of jieba-rs (jieba's algorithm and dictionary); ``reference_tokens`` runs
pure-Python jieba with the same dictionary so a test can hold the two to the same output.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from itertools import accumulate
from typing import Iterator

from .report import Span

DEFAULT_WORD_FREQ = 2000

_lock = threading.Lock()
_segmenter: "Segmenter | None" = None


def domain_words() -> list[tuple[str, int]]:
    """The shipped domain dictionary as (word, frequency) pairs."""
    text = resources.files("screening.data").joinpath("domain_words.txt").read_text("utf-8")
    words = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        words.append((parts[0], int(parts[1]) if len(parts) > 1 else DEFAULT_WORD_FREQ))
    return words


class Segmenter:
    """Our own jieba-rs instance with the domain dictionary loaded."""

    def __init__(self) -> None:
        import rjieba

        self._jieba = rjieba.Jieba()
        for word, freq in domain_words():
            self._jieba.add_word(word, freq, None)

    def cut(self, text: str) -> list[str]:
        return self._jieba.cut(text, True)


def segmenter() -> Segmenter:
    """The process-wide segmenter, built on first use (thread-safe)."""
    global _segmenter
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                _segmenter = Segmenter()
    return _segmenter


def tokenize(text: str) -> list[str]:
    """Words of ``text``; module-level so scikit-learn pipelines that use it pickle."""
    return segmenter().cut(text)


def reference_tokens(text: str) -> list[str]:
    """Pure-Python jieba with the same dictionary: the reference the fast path must match."""
    import jieba

    tok = jieba.Tokenizer()
    for word, freq in domain_words():
        tok.add_word(word, freq)
    return tok.lcut(text, HMM=True)


@dataclass(frozen=True)
class Sentence:
    field: str
    start: int
    end: int
    text: str
    paragraph: int


_SENTENCE_END = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)]*|\n|$)")


def split_sentences(text: str, field: str = "body") -> list[Sentence]:
    """Sentences with offsets into ``text``; a newline ends a sentence and a paragraph."""
    out: list[Sentence] = []
    paragraph = 0
    for m in _SENTENCE_END.finditer(text):
        chunk = m.group(0)
        if not chunk:
            continue
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        stripped_end = end
        while stripped_end > start and text[stripped_end - 1].isspace():
            stripped_end -= 1
        if stripped_end > start:
            out.append(Sentence(field, start, stripped_end, text[start:stripped_end], paragraph))
        if chunk.endswith("\n"):
            paragraph += 1
    return out


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


class Doc:
    """A draft's title and body, segmented once; every check reads from here."""

    def __init__(self, title: str, body: str) -> None:
        self.title = title
        self.body = body

    def text(self, field: str) -> str:
        return self.title if field == "title" else self.body

    @cached_property
    def title_words(self) -> list[str]:
        return tokenize(self.title)

    @cached_property
    def body_words(self) -> list[str]:
        return tokenize(self.body)

    @cached_property
    def body_tokens(self) -> list[Token]:
        """Body words with offsets (built from the same segmentation, only when a check needs them)."""
        return list(_with_offsets(self.body_words))

    @cached_property
    def words(self) -> list[str]:
        """Title then body words, the input of the trained models."""
        return self.title_words + ["<BODY>"] + self.body_words

    @cached_property
    def sentences(self) -> list[Sentence]:
        return split_sentences(self.body, "body")

    @cached_property
    def paragraphs(self) -> list[list[Sentence]]:
        groups: dict[int, list[Sentence]] = {}
        for s in self.sentences:
            groups.setdefault(s.paragraph, []).append(s)
        return list(groups.values())

    @cached_property
    def paragraph_ends(self) -> dict[int, int]:
        """Where each body paragraph's last sentence ends, by paragraph number."""
        return {para[0].paragraph: para[-1].end for para in self.paragraphs}

    @cached_property
    def _word_ends(self) -> dict[str, list[int]]:
        return {"title": list(accumulate(map(len, self.title_words))),
                "body": list(accumulate(map(len, self.body_words)))}

    def whole_words(self, span: Span) -> Span:
        """``span`` widened to the edges of the words it cuts into, as jieba segments them: evidence
        found by a pattern inside a word reads 不稳定, not 不稳."""
        ends = self._word_ends[span.field]
        first = bisect_right(ends, span.start)  # the word holding span.start
        last = bisect_left(ends, span.end)  # the word holding the span's last character
        start = ends[first - 1] if first else 0
        end = ends[last] if last < len(ends) else span.end
        if (start, end) == (span.start, span.end):
            return span
        return Span(span.field, start, end)

    def lead(self) -> list[Sentence]:
        """The lead: the first two sentences, where a draft announces what it reports."""
        return self.sentences[:2]

    @cached_property
    def lead_text(self) -> str:
        return "".join(s.text for s in self.lead())

    @cached_property
    def lead_in_body(self) -> str:
        """The lead as the body holds it, line breaks included: a match in it is a body offset."""
        lead = self.lead()
        return self.body[:lead[-1].end] if lead else ""


def _with_offsets(tokens: list[str]) -> Iterator[Token]:
    pos = 0
    for t in tokens:
        yield Token(t, pos, pos + len(t))
        pos += len(t)

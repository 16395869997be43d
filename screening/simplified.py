"""Drafts typed in traditional characters are read as simplified ones.

Every cue, the segmenter's dictionary and the figures (億、萬) speak simplified Chinese: a draft pasted
in traditional characters would lose its dates, figures and 建議. OpenCC converts it, character for
character, so every span of the report still points into the text as it was sent. A simplified draft
with a name written in a traditional form (昇、澫) is left as it is.
"""

from __future__ import annotations

import dataclasses
import functools
import re

from .draft import Draft

# Traditional characters in a draft before it counts as written in them: names aside, the corpus's
# simplified drafts hold at most three, and a traditional one holds them in almost every clause.
MIN_TRADITIONAL = 4
MIN_SHARE = 0.02


@functools.lru_cache(maxsize=1)
def _converter():
    """OpenCC's traditional-to-simplified converter, and a pattern of every CJK character it changes
    (found by converting each once: a search for them is cheap, a conversion is not)."""
    import opencc

    converter = opencc.OpenCC("t2s")
    chars = "\n".join(chr(code) for code in range(0x4E00, 0xA000))
    changed = {a for a, b in zip(chars.split("\n"), converter.convert(chars).split("\n")) if a != b}
    return converter, re.compile("[" + "".join(sorted(changed)) + "]")


def as_simplified(draft: Draft) -> Draft:
    """The draft with its title and body in simplified characters, when they are traditional."""
    converter, traditional = _converter()
    text = draft.title + "\n" + draft.body
    if not traditional.search(text):
        return draft
    count = len(traditional.findall(text))
    if count < MIN_TRADITIONAL or count < MIN_SHARE * len(text):
        return draft
    title, body = converter.convert(draft.title), converter.convert(draft.body)
    if len(title) != len(draft.title) or len(body) != len(draft.body):
        return draft  # a phrase converted to another length: spans would point elsewhere
    return dataclasses.replace(draft, title=title, body=body)

"""Submitting items: each draft is screened against the history (and, when it answers a
solicitation, that solicitation's required elements), then stored with the flag codes it drew,
so that the statistics can count what was flagged."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from .draft import Draft
from .errors import DraftError
from .io import DraftFile
from .report import Report
from .solicitations import get_solicitation, required_elements_for
from .store.db import Store, StoredItem

if TYPE_CHECKING:
    from .duplicates import DuplicateFinder
    from .engine import Screener


def screen_for(screener: "Screener", draft: Draft, store: Store | None) -> Report:
    """Screen a draft; one answering a solicitation of ``store`` is held to that solicitation's
    elements (without a store, to the solicited kind's: all six by default)."""
    required = required_elements_for(store, draft.solicitation) if store is not None else None
    return screener.screen(draft, required)


def check_reply(store: Store, draft: Draft) -> tuple[str, ...] | None:
    """A reply to a solicitation comes from a unit it asked: another unit's reply (or one naming no
    unit) would be stored and counted in no unit's answers. Returns the elements the reply must
    carry (None: the draft answers no solicitation), so submitting looks the solicitation up once."""
    if not draft.solicitation:
        return None
    solicitation = get_solicitation(store, draft.solicitation)
    if draft.unit not in solicitation.units:
        who = f"“{draft.unit}”" if draft.unit else "未填写报送单位的稿件"
        raise DraftError("unit", f"约稿 {solicitation.id} 的对象单位是{'、'.join(solicitation.units)}，{who}不在其中", 422)
    return solicitation.required_elements


def check_solicitations(store: Store, drafts: Sequence[Draft], replies: bool = False,
                        place: Callable[[int], str] | None = None) -> None:
    """Every solicitation the drafts answer exists (and, for ``replies`` being submitted, asked the
    draft's unit): checked for the whole batch before any draft is screened or stored, so a bad one
    leaves neither half the reports nor half the items. ``place`` names the i-th draft's place."""
    place = place or DraftFile(list(drafts)).place
    for index, draft in enumerate(drafts):
        try:  # check_reply looks the solicitation up too: one query, not two
            if replies:
                check_reply(store, draft)
            else:
                required_elements_for(store, draft.solicitation)
        except DraftError as exc:
            named = f"（编号 {draft.id}）" if draft.id else ""
            raise DraftError(exc.field, f"{place(index)}{named}：{exc.message}", exc.status) from None


def submit(screener: "Screener", finder: "DuplicateFinder", drafts: Sequence[Draft]) -> Iterator[tuple[StoredItem, Report]]:
    """Screen then store each draft in turn (a later draft is checked against the earlier ones);
    each is committed before it is yielded."""
    for draft in drafts:
        required = check_reply(finder.store, draft)
        # another worker's item of a moment ago must count for this one's flags, and one it is storing
        # right now too: the history cannot change between the catch-up and this item's insert. The
        # bulk of a catch-up is done before the lock, so other workers wait only for the remainder.
        finder.catch_up()
        with finder.store.exclusive():
            finder.catch_up()
            report = screener.screen(draft, required)
            stored = finder.add([draft], [[flag.code for flag in report.flags]])[0]
        yield stored, report

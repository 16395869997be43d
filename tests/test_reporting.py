"""Statistics per unit and period on a generated year of 20 units, every figure checked against a
number worked out by hand (the working is in the comments), on SQLite and on PostgreSQL."""

import datetime as dt

import pytest

from screening import DraftError
from screening.draft import CHINA_TZ
from screening.reporting.periods import Period
from screening.reporting.stats import find_bursts, longest_silence, period_stats
from screening.solicitations import Solicitation, create_solicitation, get_solicitation, replies

from reporting_year import AS_OF, Q3, build_year


@pytest.fixture
def year_store(store):
    build_year(store)
    return store


@pytest.fixture
def q3(year_store):
    return period_stats(year_store, Q3, as_of=AS_OF)


def by_unit(stats, attribute):
    return {u.unit[:3]: getattr(u, attribute) for u in stats.units}


def test_points_adoptions_and_ranking_with_ties(q3):
    points = by_unit(q3, "points")
    assert {k: v for k, v in points.items() if v} == {"U01": 35, "U02": 11, "U03": 10, "U04": 10, "U05": 10,
                                                      "U06": 5, "U07": 5}
    ranks = by_unit(q3, "rank")
    assert [ranks[u] for u in ("U01", "U02", "U03", "U04", "U05", "U06", "U07")] == [1, 2, 3, 3, 3, 6, 6]
    # Everyone else has 0 points and shares rank 8: U08–U20 and the unregistered unit, 14 units.
    assert sorted(k for k, r in ranks.items() if r == 8) == sorted([f"U{i:02d}" for i in range(8, 21)] + ["某街道"])
    assert q3.unit("U01乐都区").adopted == {"haidong": 1, "qinghai": 1, "state_council": 1}
    assert q3.unit("U06循化县").adopted == {"haidong": 1, "qinghai": 0, "state_council": 0}
    assert q3.unit("U08市教育局").points == 0  # its adoption belongs to the June item's quarter
    rates = by_unit(q3, "adoption_rate")
    # U01 2 of 4 (3 base + 1 answer), U02 3 of 4, U03 1 of 4, U04 1 of 3, U05 2 of 3, U06 1 of 3, U07 1 of 3.
    assert rates["U01"] == 0.5 and rates["U02"] == 0.75 and rates["U03"] == 0.25
    assert rates["U04"] == pytest.approx(1 / 3) and rates["U05"] == pytest.approx(2 / 3)
    assert [e["item_id"] for e in q3.adopted][:2] == ["B01-08", "B01-07"]  # 20 points, then 15
    assert len(q3.adopted) == 11


def test_submissions_by_unit_kind_and_month(q3):
    submitted = by_unit(q3, "submitted")
    # Base units 3 each; answers add 1 to U01, U02, U03, U13 and 2 to U12; U19's burst 4; U20 nothing.
    expected = {f"U{i:02d}": 3 for i in range(1, 19)} | {"U01": 4, "U02": 4, "U03": 4, "U12": 5, "U13": 4,
                                                          "U19": 4, "U20": 0, "某街道": 1}
    assert submitted == expected
    assert q3.unit("U11市农业农村局").by_kind == {"single": 2, "dynamic": 1, "solicited": 0}
    assert q3.unit("U12市生态环境局").monthly == [3, 1, 1]
    assert q3.unit("U07市发展改革委").monthly == [1, 1, 1]  # Sep 30 23:30 China time is still September
    totals = q3.totals
    assert totals["submitted"] == 65
    assert totals["monthly"] == [23, 23, 19]  # Jul 18+5 answers; Aug 18+4 burst+1 unlisted; Sep 18+1 answer
    # Adopted: U01 2, U02 3, U03 1, U04 1, U05 2, U06 1, U07 1 → 11 items and 86 points.
    assert totals["points"] == 86 and totals["adopted_items"] == 11
    assert totals["adopted"] == {"haidong": 6, "qinghai": 5, "state_council": 1}


def test_flags_count_items_by_family(q3):
    assert q3.unit("U09市卫生健康委").flags == {"low_value": 1, "duplicate": 1, "late": 1, "missing_elements": 1}
    assert q3.unit("U10市应急管理局").flags == {"low_value": 1, "duplicate": 0, "late": 1, "missing_elements": 0}
    assert q3.totals["flags"] == {"low_value": 2, "duplicate": 1, "late": 2, "missing_elements": 1}


def test_solicitation_replies_on_time_late_missing_and_pending(year_store, q3):
    assert [s["id"] for s in q3.solicitations] == ["S1", "S2"]  # S0 is due in Q2, S3 in Q4
    s1 = {r["unit"][:3]: (r["status"], r["answers"]) for r in q3.solicitations[0]["replies"]}
    assert s1 == {"U01": ("on_time", 1), "U02": ("on_time", 1), "U03": ("late", 1), "U11": ("missing", 0),
                  "U12": ("on_time", 2)}
    assert q3.unit("U14市文体旅游广电局").solicitations == {"on_time": 0, "late": 0, "missing": 1, "pending": 0}
    s3 = get_solicitation(year_store, "S3")
    assert [r.status for r in replies(year_store, s3, AS_OF)] == ["pending"]
    assert [r.status for r in replies(year_store, s3, dt.datetime(2026, 10, 21, tzinfo=CHINA_TZ))] == ["missing"]


def test_silences_and_bursts(q3):
    silence = by_unit(q3, "longest_silence_days")
    # Base units: 30 days between the k-th of one month and the k-th of the next.
    assert silence["U05"] == 30 and silence["U12"] == 30
    assert silence["U07"] == 53     # Aug 8 .. Sep 29
    assert silence["U19"] == 49     # Aug 13 .. Sep 30
    assert silence["U20"] == 92     # the whole quarter
    bursts = {u.unit[:3]: [b.to_dict() for b in u.bursts] for u in q3.units if u.bursts}
    # U19: silent Mar 20 .. Aug 9 (143 days), then 4 items Aug 10–12. U12's Jul 12 items follow
    # only 29 silent days: not a burst.
    assert bursts == {"U19": [{"start": "2026-08-10", "end": "2026-08-12", "items": 4, "gap_days": 143}]}


def test_units_the_notice_names(q3):
    criticised = {k: sorted(u[:3] for u in v) for k, v in q3.criticised.items()}
    assert criticised == {"silent": ["U20"], "missed": ["U11", "U14"], "late": ["U03", "U09", "U10"],
                          "bursts": ["U19"], "missing_roles": ["U18"], "unregistered": ["某街道"]}


def test_other_periods_and_an_as_of_inside_the_period(year_store):
    july = period_stats(year_store, Period.parse("2026-07"), as_of=AS_OF)
    assert july.unit("U12市生态环境局").submitted == 3 and july.unit("U01乐都区").points == 15
    year = period_stats(year_store, Period.parse("2026"), as_of=dt.datetime(2027, 1, 5, tzinfo=CHINA_TZ))
    assert year.unit("U20市交投公司").longest_silence_days == 365
    assert year.unit("U08市教育局").points == 10  # the June item's adoption counts in its year
    # On Aug 20, U20 has been silent for the 51 days of the quarter so far.
    midway = period_stats(year_store, Q3, as_of=dt.datetime(2026, 8, 20, 9, tzinfo=CHINA_TZ))
    assert midway.unit("U20市交投公司").longest_silence_days == 51


def test_figures_as_they_stood_at_an_earlier_moment(year_store):
    """as_of leaves out what was submitted, adopted or answered after it."""
    july14 = period_stats(year_store, Q3, as_of=dt.datetime(2026, 7, 14, 12, tzinfo=CHINA_TZ))
    s1 = {r["unit"][:3]: r["status"] for r in july14.solicitations[0]["replies"]}
    assert s1 == {"U01": "on_time", "U02": "pending", "U03": "pending", "U11": "pending", "U12": "on_time"}
    assert july14.unit("U19市城投集团").submitted == 0 and not july14.unit("U19市城投集团").bursts
    # U01: Jul 1 and Jul 10 so far; adopted by 《海东》 on Jul 5, not yet by 《青海》 (Jul 20).
    assert july14.unit("U01乐都区").submitted == 2 and july14.unit("U01乐都区").points == 5
    sept30 = period_stats(year_store, Q3, as_of=dt.datetime(2026, 10, 1, tzinfo=CHINA_TZ))
    assert sept30.unit("U07市发展改革委").points == 0  # adopted on Oct 5
    assert period_stats(year_store, Q3, as_of=dt.datetime(9999, 12, 31, 23, tzinfo=CHINA_TZ)).totals["submitted"] == 65


def test_a_burst_may_run_over_the_end_of_the_period(year_store):
    from screening import Draft

    year_store.add_many([Draft.from_dict({"id": f"Z{i}", "title": "标题标题", "body": "正文", "unit": "U20市交投公司",
                                          "submitted_at": when}) for i, when in enumerate(
        ["2026-09-29T10:00:00+08:00", "2026-09-30T10:00:00+08:00", "2026-10-01T09:00:00+08:00",
         "2026-10-01T11:00:00+08:00"])])
    q3 = period_stats(year_store, Q3, as_of=AS_OF)
    # U20 had never submitted: 90 silent days from Jul 1, then 4 items Sep 29 – Oct 1.
    assert [b.to_dict() for b in q3.unit("U20市交投公司").bursts] == [
        {"start": "2026-09-29", "end": "2026-10-01", "items": 4, "gap_days": 90}]
    assert q3.unit("U20市交投公司").submitted == 2
    assert not period_stats(year_store, Period.parse("2026Q4"), as_of=AS_OF).unit("U20市交投公司").bursts


def test_period_parsing():
    assert (Q3.first_day, Q3.end_day, Q3.name) == (dt.date(2026, 7, 1), dt.date(2026, 10, 1), "2026年第三季度")
    assert Period.parse("2026-12").end_day == dt.date(2027, 1, 1)
    assert Period.parse("2026").days == 365
    for bad in ("2026Q5", "2026-13", "26Q1", "", "Q3"):
        with pytest.raises(DraftError) as err:
            Period.parse(bad)
        assert err.value.field == "period"


def test_silence_and_burst_helpers_at_their_edges():
    d = dt.date
    assert longest_silence([], d(2026, 7, 1), d(2026, 7, 11)) == 10
    assert longest_silence([d(2026, 7, 1), d(2026, 7, 10)], d(2026, 7, 1), d(2026, 7, 11)) == 8
    days = [d(2026, 3, 1)] * 4
    assert len(find_bursts(days, d(2026, 1, 30), d(2026, 3, 1), d(2026, 4, 1), 4, 3, 29)) == 1  # 29 silent days
    assert find_bursts(days, d(2026, 1, 30), d(2026, 3, 1), d(2026, 4, 1), 4, 3, 30) == []
    assert find_bursts(days[:3], None, d(2026, 3, 1), d(2026, 4, 1), 4, 3, 0) == []


def test_a_deadline_given_as_a_day_lasts_the_whole_day(year_store):
    from screening.solicitations import reply_status

    sol = get_solicitation(year_store, "S1")
    assert reply_status(sol.deadline, dt.datetime(2026, 7, 15, 23, 59, 59, 500_000, tzinfo=CHINA_TZ), AS_OF) == "on_time"
    assert reply_status(sol.deadline, dt.datetime(2026, 7, 16, 0, 0, tzinfo=CHINA_TZ), AS_OF) == "late"
    assert sol.to_dict()["deadline"] == "2026-07-15T23:59:59+08:00"


def test_solicitations_are_validated(year_store):
    with pytest.raises(DraftError) as err:
        create_solicitation(year_store, Solicitation.from_dict(
            {"topic": "x", "deadline": "2026-12-01", "units": ["U01乐都区", "不存在的单位"]}))
    assert err.value.field == "units[1]"
    for data, field in [({"deadline": "2026-12-01", "units": ["a"]}, "topic"),
                        ({"topic": "x", "deadline": "12月1日", "units": ["a"]}, "deadline"),
                        ({"topic": "x", "deadline": "2026-12-01", "units": []}, "units"),
                        ({"id": "a/b", "topic": "x", "deadline": "2026-12-01", "units": ["a"]}, "id"),
                        ({"topic": "x", "deadline": "0001-01-01T00:00:00+08:00", "units": ["a"]}, "deadline"),
                        ({"topic": "x", "deadline": "2026-12-01", "units": ["a"], "required_elements": ["bogus"]},
                         "required_elements")]:
        with pytest.raises(DraftError) as err:
            Solicitation.from_dict(data)
        assert err.value.field == field


def test_no_unit_is_silent_in_a_period_that_has_not_started(year_store):
    assert period_stats(year_store, Q3, as_of=AS_OF).criticised["silent"]  # some units were silent in Q3
    assert period_stats(year_store, Q3, as_of=dt.datetime(2026, 6, 1, tzinfo=CHINA_TZ)).criticised["silent"] == []
    assert period_stats(year_store, Period.parse("2099Q4")).criticised["silent"] == []


def test_a_later_rejection_withdraws_an_adoption(year_store):
    """U01's item B01-01 (Jul 1) was adopted by 《海东》 on Jul 5 for 5 points; a rejection recorded
    after it withdraws it, and an adoption recorded after the rejection counts again."""
    from screening.feedback import Outcome, record_outcome

    from sqlalchemy import select
    from screening.store import schema

    before = period_stats(year_store, Q3, as_of=AS_OF).unit("U01乐都区").points
    o = schema.outcomes.c
    with year_store.engine.connect() as conn:
        adoption = conn.execute(select(o.item_id, o.decided_at).where(
            o.result == "adopted", o.publication == "haidong", o.item_id.like("B01-%")).order_by(o.decided_at)).first()
    at = adoption.decided_at
    record_outcome(year_store, Outcome.from_dict({"result": "rejected", "reason": "quality",
                                                  "decided_at": (at + dt.timedelta(hours=1)).isoformat()}, adoption.item_id))
    after = period_stats(year_store, Q3, as_of=AS_OF).unit("U01乐都区")
    assert after.points == before - 5
    record_outcome(year_store, Outcome.from_dict({"result": "adopted", "publication": "haidong", "as_kind": "single",
                                                  "decided_at": (at + dt.timedelta(hours=2)).isoformat()}, adoption.item_id))
    assert period_stats(year_store, Q3, as_of=AS_OF).unit("U01乐都区").points == before
    # 国办未采用: a rejection naming another publication leaves 《海东》's adoption standing
    record_outcome(year_store, Outcome.from_dict({"result": "rejected", "reason": "quality", "publication": "state_council",
                                                  "decided_at": (at + dt.timedelta(hours=3)).isoformat()}, adoption.item_id))
    assert period_stats(year_store, Q3, as_of=AS_OF).unit("U01乐都区").points == before

"""The scan of one normalised message: every rule, from written dates to bare hours, finds its
candidates and claims the characters it read."""

import datetime as dt
import re
import zoneinfo

from .candidates import (
    _add_months,
    _add_months_datetime,
    _Day,
    _Dur,
    _hour_number,
    _measure,
    _meridiem,
    _nth_weekday,
    _Time,
    _too_far,
    _valid,
    _year,
)
from .patterns import (
    _AFTER_NUMBER_RE,
    _ALONE_BEFORE_RE,
    _ANCHOR_GAP_RE,
    _DATE_WORD_BEFORE_RE,
    _DAY_MONTH_RE,
    _DUR_BARE_RE,
    _DUR_POST_RE,
    _DUR_PRE_RE,
    _FILLER_RE,
    _HEDGE_AFTER_RE,
    _HEDGE_BEFORE_RE,
    _ISO_RE,
    _MARKER_AFTER_RE,
    _MARKER_BEFORE_RE,
    _MONTH_DAY_RE,
    _MONTH_END_RE,
    _MONTH_ONLY_RE,
    _MONTH_YEAR_RE,
    _NEXT_UNIT_RE,
    _NEXT_WEEKDAY_RE,
    _NTH,
    _NTH_WEEKDAY_RE,
    _NUMERIC_RE,
    _ORDINAL_AFTER_RE,
    _ORDINAL_BEFORE_RE,
    _ORDINAL_NOUN_RE,
    _ORDINAL_RE,
    _PART_AFTER_RE,
    _PART_RE,
    _QUANTITY_AFTER_RE,
    _RANGE_GAP_RE,
    _RANGE_HEAD_RE,
    _RELATIVE_PHRASE_RE,
    _RELATIVE_WORD_RE,
    _SAME_RE,
    _SHIFT_RE,
    _T_BARE_RE,
    _T_COLON_RE,
    _T_COMPACT_RE,
    _T_DOT_RE,
    _T_MERIDIEM_RE,
    _T_NAMED_RE,
    _T_OCLOCK_RE,
    _T_PAST_RE,
    _T_SPACED_RE,
    _THE_UNIT_RE,
    _WEEKDAY_ABBR_AFTER_RE,
    _WEEKDAY_ABBR_BEFORE_RE,
    _WEEKDAY_BEFORE_RE,
    _WEEKDAY_RE,
    _WEEKEND_RE,
    _WORDLIKE_ABBR_AFTER_RE,
    _WORDLIKE_ABBR_BEFORE_RE,
    _WORDLIKE_ABBRS,
    _YEAR_COLON_RE,
    _YEAR_MONTH_DAY_RE,
    _tail,
)
from .resolution import _resolve, combine
from .when import When
from .words import _FULL_MONTHS, MONTHS, QUANTITY_WORDS, UNITS, WEEKDAYS

ABOUT_SHIFT = dt.timedelta(hours=1)  # what a bare "earlier" or "later" moves the time by


class _Scan:
    """One message: finds day, time and part-of-day candidates, then combines the first of each.

    Rules run from the most specific (written dates) to the least (bare hours); each claims the
    characters it used so a later rule cannot read them again ("next week tuesday" is one
    weekday, not also "next week").
    """

    def __init__(self, s: str, now: dt.datetime, zone: zoneinfo.ZoneInfo, open_hours, about=None):
        self.s = s
        self.now = now
        self.about = about  # the moment under discussion, naive local time, or None
        self.same_time = False  # "same time", "usi time": the clock time of `about`
        self.shift: dt.timedelta | None = None  # a bare "earlier" / "later": from `about`
        self.today = now.date()
        self.zone = zone
        self.open_hours = open_hours
        self.taken = bytearray(len(s))  # 1 where a rule already claimed the character: O(1) per claim
        self.days: list[_Day] = []
        self.times: list[_Time] = []
        self.durations: list[_Dur] = []
        self.blocked = False  # something date-like was seen and deliberately rejected
        self.cut = 0  # past a ruled-out day or time ("not today, tomorrow 5pm"), the answer is read from here

    # -- bookkeeping -------------------------------------------------------------------------

    def free(self, start: int, end: int) -> bool:
        return self.taken.find(1, start, end) == -1

    def take(self, start: int, end: int) -> None:
        self.taken[start:end] = b"\x01" * (end - start)

    def add_day(self, start: int, end: int, day: dt.date | None, **kw) -> None:
        self.take(start, end)
        if day is None:
            self.blocked = True
        else:
            self.days.append(_Day(start, end, day, **kw))

    def future(self, month: int, day: int, year: int | None) -> dt.date | None:
        """A day and month with an optional year; without a year, the next one not yet past."""
        if year is not None:
            return _valid(year, month, day)
        for candidate_year in (self.today.year, self.today.year + 1, self.today.year + 2, self.today.year + 3):
            date = _valid(candidate_year, month, day)
            if date and date >= self.today:
                return date
            if date is None and not (month == 2 and day == 29):
                return None
        return None

    # -- the whole message -------------------------------------------------------------------

    def run(self) -> When | None:
        self.about_words()
        self.iso_dates()
        self.numeric_dates()
        self.month_name_dates()
        self.nth_weekdays()
        self.ordinals()
        self.month_only()
        self.month_ends()
        self.weekdays()
        self.relative_phrases()
        self.durations_found()
        self.relative_words()
        self.anchor_durations()
        parts = [(m.start(), m.group("p"), m.group("this")) for m in _PART_RE.finditer(self.s)]
        for start, _part, this in parts:
            if this:
                self.days.append(_Day(start, start + len(this), self.today))
        self.clock_times(parts)
        return combine(self, parts)

    def about_words(self) -> None:
        """ "same time", "same day", and a bare "earlier" / "later", all read against `about`."""
        for m in _SAME_RE.finditer(self.s):
            self.take(m.start(), m.end())
            if m.group("what") == "day":
                if self.about is None:
                    self.blocked = True
                else:  # the day under discussion, which the patient named by pointing at it
                    self.days.append(_Day(m.start(), m.end(), self.about.date()))
            else:
                self.same_time = True
        found = _SHIFT_RE.search(self.s)
        if found and not _FILLER_RE.sub("", self.s[: found.start()] + " " + self.s[found.end() :]).strip():
            self.take(found.start(), found.end())
            sign = -1 if found.group("w") in ("earlier", "before", "early", "aadhi", "adhi") else 1
            self.shift = sign * ABOUT_SHIFT

    # -- written dates -----------------------------------------------------------------------

    def iso_dates(self) -> None:
        for m in _ISO_RE.finditer(self.s):
            year, a, b = int(m.group("y")), int(m.group("m")), int(m.group("d"))
            # 2024/13/1: the only possible reading is 13 January
            self.add_day(m.start(), m.end(), _valid(year, a, b) or _valid(year, b, a))

    def numeric_dates(self) -> None:
        for m in _NUMERIC_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            sep, year_text = m.group("sep"), m.group("y")
            if sep == "." and not year_text:
                if self.dotted_date(m):  # "24.12", "9.1", "on 15.12"; not "10.30", "2.5 mg"
                    self.add_day(m.start(), m.end(), self.future(int(m.group("b")), int(m.group("a")), None))
                continue
            # "3-4 days", "1.1.30" are not dates: dashes need a year, dots a full year
            if sep == "-" and not year_text or sep == "." and len(year_text) != 4:
                continue
            if year_text and len(year_text) == 1:
                self.take(m.start(), m.end())
                self.blocked = True
                continue
            if re.match(rf"\s*(?:{QUANTITY_WORDS})(?![a-z])", self.s[m.end() :]):
                continue  # "1/2 tablet", "3/4 days"
            a, b = int(m.group("a")), int(m.group("b"))
            year = _year(year_text)
            if year_text and year is None:
                continue
            self.add_day(m.start(), m.end(), self.numeric_reading(a, b, year, m.start()), year_given=bool(year_text))

    def dotted_date(self, m) -> bool:
        """Whether "a.b" without a year is a day-first date. A reading as a clock time wins when the
        minutes look like minutes ("10.30", "4.45", "5.10"); a measurement is never a date
        ("hba1c 7.5", "2.5 mg", "version 2.5"), so the date needs a message of its own, a date
        word before it ("on", "for", "appointment") or a time or part of day after it."""
        a, b_text = int(m.group("a")), m.group("b")
        b = int(b_text)
        before, after = self.s[: m.start()], self.s[m.end() :]
        if not (1 <= a <= 31 and 1 <= b <= 12) or _QUANTITY_AFTER_RE.match(after):
            return False
        clock_like = a <= 23 and len(b_text) == 2 and b % 5 == 0  # "10.10", "4.05": read as times
        if _DATE_WORD_BEFORE_RE.search(before):
            return True
        return not clock_like and bool(_ALONE_BEFORE_RE.fullmatch(before))

    def numeric_reading(self, a: int, b: int, year: int | None, start: int) -> dt.date | None:
        """Day-first; month-first only when day-first is impossible or a written weekday says so."""
        day_first = self.future(b, a, year)
        month_first = self.future(a, b, year)
        if day_first and month_first and day_first != month_first:
            weekday = _tail(_WEEKDAY_BEFORE_RE, self.s, start)
            if weekday:
                wanted = WEEKDAYS[weekday.group("wd").rstrip(".")]
                if day_first.weekday() != wanted and month_first.weekday() == wanted:
                    return month_first
        return day_first or month_first

    def month_name_dates(self) -> None:
        for m in _YEAR_MONTH_DAY_RE.finditer(self.s):
            month = MONTHS[m.group("mon").rstrip(".")]
            self.add_day(m.start(), m.end(), _valid(int(m.group("y")), month, int(m.group("d"))))
        for m in _MONTH_YEAR_RE.finditer(self.s):
            if self.free(m.start(), m.end()):
                self.add_day(m.start(), m.end(), _valid(int(m.group("y")), int(m.group("m")), 1))
        for pattern in (_DAY_MONTH_RE, _MONTH_DAY_RE):
            for m in pattern.finditer(self.s):
                if not self.free(m.start(), m.end()):
                    continue
                month = MONTHS[m.group("mon").rstrip(".")]
                year = _year(m.group("y"))
                day = self.future(month, int(m.group("d")), year)
                if day and m.group("d2"):  # a range: its end must exist too ("June 10 - 31" does not)
                    mon2 = m.groupdict().get("mon2")
                    month2 = MONTHS[mon2.rstrip(".")] if mon2 else month
                    if _valid(year or 2000, month2, int(m.group("d2"))) is None:
                        day = None
                self.add_day(m.start(), m.end(), day, year_given=year is not None)

    def nth_weekdays(self) -> None:
        """ "2nd saturday", "first monday of january", "last friday of the month"."""
        for m in _NTH_WEEKDAY_RE.finditer(self.s):
            n, month_name, relative = _NTH[m.group("n")], m.group("mon"), m.group("rel")
            if n == -1 and not (month_name or relative):
                continue  # "last friday" is the previous Friday, read with the weekdays
            target = WEEKDAYS[m.group("wd").rstrip(".")]
            first = self.today.replace(day=1)
            if relative and ("next" in relative or "coming" in relative):
                first = _add_months(first, 1)
            elif month_name:
                first = first.replace(month=MONTHS[month_name.rstrip(".")])
            day = _nth_weekday(first, target, n)
            if day is not None and day < self.today and not relative:
                first = first.replace(year=first.year + 1) if month_name else _add_months(first, 1)
                day = _nth_weekday(first, target, n)
            self.add_day(m.start(), m.end(), day)

    def ordinals(self) -> None:
        """ "on 15th", "15th ko", "5th of next month": a day of this month or the next."""
        for m in _ORDINAL_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            which = m.group("which") or m.group("which_pre")
            rejected = (
                _ORDINAL_NOUN_RE.match(self.s[m.end() :])
                or not (  # "3rd floor", "2nd opinion"
                    which or _tail(_ORDINAL_BEFORE_RE, self.s, m.start()) or _ORDINAL_AFTER_RE.match(self.s[m.end() :])
                )
            )
            if rejected:
                self.blocked = True
                continue
            number = int(m.group("d"))
            first = self.today.replace(day=1)
            months = {"next": [1], "coming": [1], "this": [0]}.get(which, [0, 1, 2])
            day = None
            for offset in months:
                month_start = _add_months(first, offset)
                candidate = _valid(month_start.year, month_start.month, number)
                if candidate and (which or candidate >= self.today):
                    day = candidate
                    break
            self.add_day(m.start(), m.end(), day)

    def month_ends(self) -> None:
        """ "month end", "end of this month", "end of next month": the month's last day."""
        for m in _MONTH_END_RE.finditer(self.s):
            if self.free(m.start(), m.end()):
                first = _add_months(self.today.replace(day=1), 1 if m.group("next") or m.group("next2") else 0)
                self.add_day(m.start(), m.end(), _add_months(first, 1) - dt.timedelta(days=1))

    def month_only(self) -> None:
        """ "in May", "from May to December", or a message that is just "January": the 1st."""
        whole = self.s.strip(" .!?") in _FULL_MONTHS
        for m in _MONTH_ONLY_RE.finditer(self.s):
            if not self.free(m.start(), m.end()) or not (m.group("prep") or m.group("y") or whole):
                continue
            month = MONTHS[m.group("mon").rstrip(".")]
            year = int(m.group("y")) if m.group("y") else None
            if year is not None and m.group("mon2") and MONTHS[m.group("mon2").rstrip(".")] < month:
                year -= 1  # "from December to May 2025": December 2024
            if year is None:
                year = self.today.year if month >= self.today.month else self.today.year + 1
            day = dt.date(year, month, 1)
            if day < self.today and (day.year, day.month) == (self.today.year, self.today.month):
                day = self.today  # "in July", written in July: the rest of this month
            self.add_day(m.start(), m.end(), day)

    # -- weekdays and relative days ----------------------------------------------------------

    def weekdays(self) -> None:
        monday = self.today - dt.timedelta(days=self.today.weekday())
        for m in _WEEKDAY_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            name = m.group("wd").rstrip(".")
            pre, week = m.group("pre"), m.group("wkpre") or m.group("wkpost")
            if m.group("postnext") and not pre:
                pre = "next"  # "monday next"
            if name not in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
                wordlike = name in _WORDLIKE_ABBRS
                after = _WORDLIKE_ABBR_AFTER_RE if wordlike else _WEEKDAY_ABBR_AFTER_RE
                before = _WORDLIKE_ABBR_BEFORE_RE if wordlike else _WEEKDAY_ABBR_BEFORE_RE
                trusted = (
                    pre or week or _tail(before, self.s, m.start()) or after.match(self.s[m.end() :]) or self.s == name
                )
                if not trusted or (name == "mon" and _tail(_AFTER_NUMBER_RE, self.s, m.start())):
                    continue
            target = WEEKDAYS[name]
            ahead = (target - self.today.weekday()) % 7
            roll, bare = False, None
            if week:
                shift = {"next": 7, "coming": 7, "this": 0, "last": -7}[week]
                day = monday + dt.timedelta(days=shift + target)
            elif pre in ("next", "following"):
                day = monday + dt.timedelta(days=7 + target)  # the named day of next week
            elif pre and pre.startswith("next"):
                day = monday + dt.timedelta(days=14 + target)  # "next to next monday"
            elif pre in ("last", "past", "previous"):
                day = self.today - dt.timedelta(days=ahead and 7 - ahead or 7)
            elif pre in ("coming", "upcoming", "this coming"):
                day = self.today + dt.timedelta(days=ahead or 7)
            else:  # "friday", "this friday", "on friday": the next one, today included
                day = self.today + dt.timedelta(days=ahead)
                roll, bare = True, None if pre else target
            if m.group("afternext"):
                day += dt.timedelta(days=7)
            self.add_day(m.start(), m.end(), day, roll=roll, weekday=bare)
        for m in _WEEKEND_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            pre = m.group("pre")
            if pre == "next":
                day = monday + dt.timedelta(days=12)
            elif pre == "last":
                day = monday - dt.timedelta(days=2)
            else:
                day = self.today if self.today.weekday() >= 5 else monday + dt.timedelta(days=5)
            self.add_day(m.start(), m.end(), day)
        for m in _NEXT_WEEKDAY_RE.finditer(self.s):
            day = self.today + dt.timedelta(days=1)
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            self.add_day(m.start(), m.end(), day)

    def relative_phrases(self) -> None:
        for m in _RELATIVE_PHRASE_RE.finditer(self.s):
            if not self.free(m.start(), m.end()) or _tail(_AFTER_NUMBER_RE, self.s, m.start()):
                continue  # "2 day after tomorrow" is a duration from tomorrow
            offset = 2 if m.group("dir").startswith("after") else -2
            self.add_day(m.start(), m.end(), self.today + dt.timedelta(days=offset))

    def relative_words(self) -> None:
        for m in _RELATIVE_WORD_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            word = m.group("w")
            if word == "right now":
                self.add_day(m.start(), m.end(), self.today, exact=self.now, now_word=True)
                continue
            offset = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}[word]
            self.add_day(m.start(), m.end(), self.today + dt.timedelta(days=offset))

    # -- durations ---------------------------------------------------------------------------

    def durations_found(self) -> None:
        for m in _DUR_PRE_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            months, seconds, below_day = _measure(m.group("dur"))
            pre, sign = m.group("pre"), m.group("sign")
            self.take(m.start(), m.end())
            if pre in ("since", "during") or pre == "for" and not below_day or _too_far(months, seconds):
                self.blocked = True  # "fever since 3 days", "for 5 days": how long, not when
                continue
            self.durations.append(_Dur(m.start(), m.end(), months, seconds, below_day, plus=bool(sign)))
        for m in _DUR_POST_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            months, seconds, below_day = _measure(m.group("dur"))
            post = m.group("post")
            self.take(m.start(), m.end())
            if _too_far(months, seconds):
                self.blocked = True
                continue
            anchor = post if post in ("after", "before", "from") else None
            if post in ("ago", "before now", "before", "earlier", "back"):
                months, seconds = -months, -seconds
            relative = post in ("later", "after", "earlier", "before", "back")
            self.durations.append(
                _Dur(m.start(), m.end(), months, seconds, below_day, anchor=anchor, relative=relative)
            )
        for m in _NEXT_UNIT_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            pre, unit = m.group("pre"), m.group("unit")
            months, seconds, below_day = UNITS[unit]
            if pre == "this":
                self.add_day(m.start(), m.end(), self.today)  # "this week": from today
                continue
            self.take(m.start(), m.end())
            self.durations.append(_Dur(m.start(), m.end(), months, seconds, below_day, next_unit=True))
        for m in _THE_UNIT_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            months, seconds, below_day = UNITS[m.group("unit")]
            if m.group("dir") == "before":
                months, seconds = -months, -seconds
            self.take(m.start(), m.end())
            self.durations.append(_Dur(m.start(), m.end(), months, seconds, below_day))
        for m in _DUR_BARE_RE.finditer(self.s):
            if self.free(m.start(), m.end()):
                self.blocked = True  # "5 days", "a few hours": a length of time, not a moment

    def anchor_durations(self) -> None:
        """ "2 days after next Friday", "next tuesday +10 days", or from now when nothing is next to it."""
        for dur in self.durations:
            base = None
            if dur.anchor:
                gap = _ANCHOR_GAP_RE.match(self.s, dur.end).end()
                base = next((d for d in self.days if d.start == gap and d.exact is None), None)
            elif dur.plus:
                base = next(
                    (d for d in self.days if d.end <= dur.start and not self.s[d.end : dur.start].strip()), None
                )
            if base is not None:
                self.days.remove(base)
                moved = _add_months(base.day, dur.months) + dt.timedelta(days=int(dur.seconds // 86400))
                self.days.append(_Day(min(base.start, dur.start), max(base.end, dur.end), moved))
                continue
            if dur.next_unit and self.same_time and self.about is not None and not dur.below_day:
                moved = _add_months(self.about.date(), dur.months) + dt.timedelta(days=int(dur.seconds // 86400))
                self.days.append(_Day(dur.start, dur.end, moved))  # "same time next week": a week on
                continue
            if dur.relative and self.about is not None:  # "an hour later" than the time discussed
                moment = _add_months_datetime(self.about, dur.months) + dt.timedelta(seconds=dur.seconds)
                exact = moment if dur.below_day or dur.seconds % 86400 else None
                self.days.append(_Day(dur.start, dur.end, moment.date(), exact=exact, from_about=True))
                continue
            if dur.below_day or dur.seconds % 86400:
                shifted = _add_months_datetime(self.now.replace(tzinfo=self.zone), dur.months)
                moment = shifted.astimezone(dt.UTC) + dt.timedelta(seconds=dur.seconds)
                local = moment.astimezone(self.zone).replace(tzinfo=None)
                self.days.append(_Day(dur.start, dur.end, local.date(), exact=local))
            else:
                moved = _add_months(self.today, dur.months) + dt.timedelta(days=int(dur.seconds // 86400))
                self.days.append(_Day(dur.start, dur.end, moved))

    # -- times of day ------------------------------------------------------------------------

    def clock_times(self, parts) -> None:
        s = self.s
        day_ends = {d.end for d in self.days}
        for m in _T_PAST_RE.finditer(s):
            hour = _hour_number(m.group("h"))
            minute = 30 if m.group("q") == "half" else 15
            if m.group("rel") == "to":
                hour, minute = (hour - 1) % 12 or 12, 60 - minute
            self.add_time(m, hour, minute, m.group("mer"))
        for m in _T_SPACED_RE.finditer(s):  # "7 15 pm", "11 30 am", "kal 5 30"
            if (
                not self.free(m.start(), m.end())
                or not m.group("mer")
                and (int(m.group("m")) % 5 or not self.time_context(m.start(), m.end(), day_ends, compact=True))
            ):
                continue
            self.add_time(m, int(m.group("h")), int(m.group("m")), _meridiem(m.group("mer")))
        for m in _T_COMPACT_RE.finditer(s):  # "715pm", "1130", "kal 1030"
            if not self.free(m.start(), m.end()):
                continue
            mer, hours_word = m.group("mer"), m.group("word")
            if not (mer or hours_word or self.time_context(m.start(), m.end(), day_ends, compact=True)):
                continue
            if not mer and not hours_word and (int(m.group("m")) % 5 or 1900 <= int(m.group(0)[:4]) <= 2199):
                continue  # "fever 101", a year: not 01:01 or 19:26
            hour = int(m.group("h"))
            fixed = not mer and (hour >= 13 or hour == 0 or m.group("h").startswith("0"))
            self.add_time(m, hour, int(m.group("m")), mer, fixed=fixed)
        for m in _T_COLON_RE.finditer(s):
            if (
                not self.free(m.start(), m.end())
                or s[m.start() - 1 : m.start()] == ":"
                and not _YEAR_COLON_RE.search(s, 0, m.start())
            ):
                continue  # the "00:09" of "11:00:09"; but "05/31/2024:14:15" is a date, then a time
            hour, mer = int(m.group("h")), m.group("mer")
            fixed = not mer and (hour >= 13 or hour == 0 or m.group("h").startswith("0"))
            self.add_time(m, hour, int(m.group("m")), mer, fixed=fixed)
        for m in _T_MERIDIEM_RE.finditer(s):
            if self.free(m.start(), m.end()):
                self.add_time(m, int(m.group("h")), int(m.group("m") or 0), m.group("mer"))
        for m in _T_NAMED_RE.finditer(s):
            if self.free(m.start(), m.end()):
                self.add_time(m, 0 if m.group("w") == "midnight" else 12, 0, None, fixed=True)
        for m in _T_OCLOCK_RE.finditer(s):
            if self.free(m.start(), m.end()):
                self.add_time(m, _hour_number(m.group("h")), 0, None)
        for m in _T_DOT_RE.finditer(s):  # "10.30" only where a time is expected
            if self.free(m.start(), m.end()) and self.time_context(m.start(), m.end(), day_ends, compact=True):
                self.add_time(m, int(m.group("h")), int(m.group("m")), None)
        for m in _T_BARE_RE.finditer(s):  # "at 3", "shaam 5", "tomorrow 3"
            if self.free(m.start(), m.end()) and self.time_context(m.start(), m.end(), day_ends):
                self.add_time(m, int(m.group("h")), 0, None)
        self.ranges(parts[0][1] if parts else None)

    def time_context(self, start: int, end: int, day_ends, compact: bool = False) -> bool:
        """Whether a plain number is a clock time: "at 3", "shaam 5", "tomorrow 3", and a message
        that is only the number and a hedge ("is 3 ok?", "4 chalega?", "maybe 2", "11 or 12").
        A number alone ("11") is not a time (chrono agrees), a time-shaped one alone ("1130") is."""
        before, after = self.s[:start], self.s[end:]
        if _tail(_MARKER_BEFORE_RE, self.s, start) or _PART_AFTER_RE.match(after) or _MARKER_AFTER_RE.match(after):
            return True  # "at 3", "shaam 5", "5 in the evening", "11 la", "5 tak"
        if _ALONE_BEFORE_RE.fullmatch(before) and (
            _HEDGE_AFTER_RE.match(after)
            or not after.strip(" ?.!,")
            and (compact or _HEDGE_BEFORE_RE.search(before) or "?" in after)
        ):
            return True
        stripped = before.rstrip(" ,")
        return len(stripped) in day_ends and len(stripped) < start

    def add_time(self, m, hour: int, minute: int, mer: str | None, fixed: bool = False) -> None:
        self.take(m.start(), m.end())
        if hour > 23 or (mer and not 1 <= hour <= 12):
            self.blocked = True  # "25:12", "14pm"
            return
        self.times.append(_Time(m.start(), m.end(), hour, minute, mer, fixed or (hour >= 13 and not mer)))

    def ranges(self, part: str | None) -> None:
        """ "3:30-4:30pm", "8 - 11pm", "10 - 11 at night": the start borrows the end's am/pm."""
        for end_time in list(self.times):
            head = _tail(_RANGE_HEAD_RE, self.s, end_time.start)
            if head and int(head.group("h")) <= 23 and self.free(head.start(), head.end()):
                number_end = head.end("m") if head.group("m") else head.end("h")
                self.take(head.start(), number_end)
                self.times.append(_Time(head.start(), number_end, int(head.group("h")), int(head.group("m") or 0)))
        ordered = sorted(self.times, key=lambda t: t.start)
        for first, second in zip(ordered, ordered[1:], strict=False):
            if first.meridiem or first.fixed or not _RANGE_GAP_RE.match(self.s[first.end : second.start]):
                continue
            end_part = self.part_after(second)
            if not (second.meridiem or second.fixed or end_part):
                continue
            end = _resolve(second, end_part or part, self.open_hours)
            end_minutes = end.hour * 60 + end.minute
            readings = [first.hour % 12, first.hour % 12 + 12]
            fitting = [h for h in readings if h * 60 + first.minute <= end_minutes]
            first.hour = max(fitting) if fitting else min(readings)
            first.fixed = True

    def part_after(self, clock: _Time) -> str | None:
        found = _PART_AFTER_RE.match(self.s[clock.end :])
        return found.group(0).split()[-1] if found else None

    def resolve(self, clock: _Time, part: str | None) -> dt.time:
        return _resolve(clock, part, self.open_hours)

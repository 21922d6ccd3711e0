"""Admin takes and shows dates day first, as a clinic in India writes them (clinicbot/formats)."""

import datetime as dt

from django import forms
from django.utils import formats


class DayForm(forms.Form):
    day = forms.DateField()


def test_a_typed_day_first_date_is_that_day_never_month_first():
    for typed in ["04/12/2026", "04/12/26", "04-12-2026", "4 Dec 2026", "2026-12-04"]:
        form = DayForm({"day": typed})
        assert form.is_valid(), typed
        assert form.cleaned_data["day"] == dt.date(2026, 12, 4), typed


def test_a_month_first_date_that_cannot_be_day_first_is_refused():
    assert not DayForm({"day": "12/31/2026"}).is_valid()


def test_dates_are_shown_with_the_month_named():
    assert formats.date_format(dt.date(2026, 12, 4)) == "4 Dec 2026"
    assert formats.date_format(dt.date(2026, 12, 4), "SHORT_DATE_FORMAT") == "04/12/2026"

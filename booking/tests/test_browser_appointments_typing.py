"""/appointments/ live never takes what the desk is typing (headless Chromium against a real daphne).

The flake this pins down (test_browser_appointments.py, "a typed cancel note was empty"): after the
desk's own action the page shows the outcome line in that row; the script's catch-up refetch on
connecting took the row for changed (the outcome line's whitespace stayed in its fingerprint),
replaced it, and moved every row after it to put the new one in place. A moved node loses the focus,
so a cancel note being typed in a later row lost what came next. Here each step is waited for, so
it fails every time without the fix, not one run in five: the outcome line survives the catch-up;
a colleague's change to an earlier row leaves the focus and the typing where they are; and a new
day beginning (today's section leaving, a day added) keeps the rows of the days still shown.
"""

import datetime as dt
import re

import pytest

from booking.tests.browsing import (
    IST,
    KIRAN,
    MEENA,
    SECRET,
    open_day_clear_of_seeded_visits,
    patient_says,
)
from chat.tests.liveserver import Daphne, sqlite_env

pytestmark = pytest.mark.browser  # skipped where Chromium is missing (conftest.py)

LIVE_REFETCH = re.compile(r"/appointments/(\?.*)?$")


@pytest.fixture(scope="module")
def server():
    with sqlite_env(WHATSAPP_APP_SECRET=SECRET) as env, Daphne(env) as daphne:
        yield daphne


def live_and_caught_up(page) -> None:
    """Connected, and the catch-up refetch every connect makes has been applied."""
    from playwright.sync_api import expect

    expect(page.locator("#appts-conn")).to_have_attribute("data-state", "live")
    page.wait_for_function("() => window.clinicbotAppointments.state.refreshes >= 1")


def another_day_began(body: str, *, today: dt.date, added: dt.date) -> str:
    """The page as the server renders it a day later: today's section gone, one more at the end."""
    gone = re.sub(rf'<section class="appt-day" id="day-{today:%Y-%m-%d}".*?</section>', "", body, flags=re.S)
    assert gone != body, "today's section was not found"
    new_day = (
        f'<section class="appt-day" id="day-{added:%Y-%m-%d}"><h2 id="day-{added:%Y-%m-%d}-title">'
        f'<span>{added:%a %d %b}</span></h2><p class="appt-none muted small">No appointments.</p></section>'
    )
    end = gone.rindex("</section>") + len("</section>")
    return gone[:end] + new_day + gone[end:]


def test_what_the_desk_types_survives_every_live_change(server, browser):
    from playwright.sync_api import expect

    base = server.url
    day = open_day_clear_of_seeded_visits()
    patient_says(base, MEENA, "Meena Iyer", "book")
    patient_says(base, MEENA, "Meena Iyer", f"{day:%d/%m} at 11:30am")
    patient_says(base, KIRAN, "Kiran Rao", "book")
    patient_says(base, KIRAN, "Kiran Rao", f"{day:%d/%m} at 5:30pm")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = context.new_page()
    errors = []
    desk.on("pageerror", lambda error: errors.append(str(error)))
    desk.goto(f"{base}/accounts/login/?next=/appointments/")
    desk.fill("#id_username", "demo")
    desk.fill("#id_password", "demo")
    desk.click("button[type=submit]")
    live_and_caught_up(desk)
    listed = desk.locator(f"#day-{day:%Y-%m-%d} .appt")

    # The desk moves Meena itself: the page its redirect loads says so in her row, and the catch-up
    # refetch on connecting (which has no outcome line) does not take the row for changed.
    listed.filter(has_text="11:30 AM").locator("text=Move…").click()
    desk.locator(".appt-move .slot", has_text="12:30 PM").click()
    desk.locator("text=Move here").click()
    meena = listed.filter(has_text="Meena Iyer")
    expect(meena.locator(".appt-flash")).to_contain_text("Moved Meena Iyer")
    live_and_caught_up(desk)
    expect(meena.locator(".appt-flash")).to_contain_text("Moved Meena Iyer")
    assert "appt-fresh" not in meena.get_attribute("class")

    # A cancel note half typed in Kiran's row while a colleague moves Meena, in the row before his:
    # her row is brought in, his is not moved, the focus stays and the typing goes on.
    kiran = listed.filter(has_text="Kiran Rao")
    note = kiran.locator("textarea")
    kiran.locator("summary", has_text="Cancel…").click()
    note.click()
    desk.keyboard.type("The doctor")
    other = context.new_page()
    other.goto(f"{base}/appointments/?move={meena.get_attribute('id')[2:]}")
    other.locator(".appt-move .slot", has_text="5:00 PM").click()
    other.locator("text=Move here").click()
    expect(other.locator(".appt", has_text="Moved Meena Iyer")).to_be_visible()
    desk.bring_to_front()
    expect(meena.locator(".appt-time")).to_have_text("5:00 PM", timeout=15000)
    expect(note).to_be_focused()
    desk.keyboard.type(" is called away")
    expect(note).to_have_value("The doctor is called away")

    # Another day begins while the note is open: today's section leaves and a day is added, and
    # Kiran's row (a day still shown) keeps the note, the open form and the focus.
    today = dt.datetime.now(IST).date()
    added = day + dt.timedelta(days=30)

    def a_day_later(route):
        if route.request.headers.get("x-live-refresh") != "1":
            route.continue_()
            return
        response = route.fetch()
        route.fulfill(response=response, body=another_day_began(response.text(), today=today, added=added))

    desk.route(LIVE_REFETCH, a_day_later)
    desk.evaluate("window.clinicbotAppointments.refresh()")
    expect(desk.locator(f"#day-{added:%Y-%m-%d}")).to_be_attached()
    expect(desk.locator(f"#day-{today:%Y-%m-%d}")).to_have_count(0)
    expect(kiran.locator("details.appt-cancel")).to_have_attribute("open", "")
    expect(note).to_be_focused()
    expect(note).to_have_value("The doctor is called away")
    desk.keyboard.type(" today")
    expect(note).to_have_value("The doctor is called away today")

    assert errors == []

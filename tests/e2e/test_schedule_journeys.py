"""Schedule journeys in a real browser: create, edit and delete an appointment (in place with JavaScript, and
with the confirmation page without it), and add a talk to the schedule."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from schedule.models import Appointment
from schedule.tests.factories import AppointmentFactory
from talks.tests.factories import TalkFactory
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_create_edit_and_delete_an_appointment(page, live_server):
    log_in(page, UserFactory(username="planner"))
    page.get_by_role("link", name="Schedule").click()
    expect(page.get_by_text("No appointments.")).to_be_visible()
    page.get_by_role("link", name="New Appointment").click()
    page.get_by_label("Title").fill("Dentist")
    page.get_by_label("Start*").fill("2030-04-16T10:00")
    page.get_by_label("End*").fill("2030-04-16T09:00")
    page.get_by_label("Location").fill("Main Street 1")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The end must not be before the start.")).to_be_visible()
    assert not Appointment.objects.exists()
    page.get_by_label("End*").fill("2030-04-16T11:30")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text("The appointment has been added to your schedule.")
    day = page.locator("[data-day]")
    expect(day.get_by_role("heading", level=2)).to_have_text("Tuesday, April 16, 2030")
    expect(day).to_contain_text("(1 hour 30 minutes)")
    day.get_by_role("link", name="Dentist", exact=True).click()
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("Start*")).to_have_value("2030-04-16T10:00")
    page.get_by_label("Title").fill("Dentist (check-up)")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("The appointment has been updated.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dentist (check-up)")

    page.get_by_role("link", name="My Schedule").click()
    page.evaluate("window.notReloaded = true")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-appointment]").get_by_role("link", name=re.compile("^Delete")).click()
    expect(page.get_by_role("alert")).to_contain_text("The appointment has been deleted.")
    expect(page.locator("[data-appointment]")).to_have_count(0)
    expect(page.get_by_text("No appointments.")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True  # deleted in place by a DELETE request
    assert not Appointment.objects.exists()


def test_deleting_from_the_appointment_page_says_so_on_the_list(page, live_server):
    planner = UserFactory(username="planner")
    appointment = AppointmentFactory(owner=planner, title="Dentist")
    log_in(page, planner)
    page.goto(f"/schedule/{appointment.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name=re.compile("^Delete")).click()
    expect(page).to_have_url(re.compile(r"/schedule/$"))
    expect(page.get_by_role("alert")).to_contain_text("The appointment has been deleted.")
    assert not Appointment.objects.exists()
    page.reload()  # shown once, not again
    expect(page.get_by_role("alert")).to_have_count(0)


def test_an_all_day_appointment_uses_date_inputs(page, live_server):
    log_in(page, UserFactory(username="planner"))
    page.goto("/schedule/new/")
    page.get_by_label("Title").fill("Conference")
    page.get_by_label("All day").check()
    expect(page.get_by_label("Start*")).to_have_attribute("type", "date")
    page.get_by_label("Start*").fill("2030-05-01")
    page.get_by_label("End*").fill("2030-05-03")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-day]")).to_contain_text("All day, until May 3, 2030")
    appointment = Appointment.objects.get()
    assert appointment.all_day and str(appointment.first_day) == "2030-05-01"


def test_cancelling_the_question_keeps_the_appointment(page, live_server):
    planner = UserFactory(username="planner")
    AppointmentFactory(owner=planner, title="Keep me")
    log_in(page, planner)
    page.goto("/schedule/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("[data-appointment]").get_by_role("link", name=re.compile("^Delete")).click()
    expect(page.get_by_role("link", name="Keep me", exact=True)).to_be_visible()
    assert Appointment.objects.exists()


def test_delete_without_javascript_asks_on_a_page(browser, live_server):
    planner = UserFactory(username="planner")
    AppointmentFactory(owner=planner, title="Old meeting")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, planner)
    page.goto("/schedule/")
    page.locator("[data-appointment]").get_by_role("link", name=re.compile("^Delete")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete Appointment")
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("alert")).to_contain_text("The appointment has been deleted.")
    expect(page.get_by_text("Old meeting")).to_have_count(0)
    assert not Appointment.objects.exists()
    context.close()


def test_add_a_talk_to_my_schedule(page, live_server):
    talk = TalkFactory(post__title="Flask by Example", venue="PyCon")
    planner = UserFactory(username="planner")
    log_in(page, planner)
    page.goto(f"/talks/{talk.pk}/")
    page.get_by_role("button", name="Add to my schedule").click()
    expect(page.get_by_role("alert")).to_contain_text("The talk has been added to your schedule.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Flask by Example")
    expect(page.get_by_role("link", name="Flask by Example")).to_have_attribute("href", f"/talks/{talk.pk}/")
    assert Appointment.objects.get().owner == planner

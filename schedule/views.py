"""Schedule pages: one's appointments by day, creating, editing and deleting them, adding a talk, and the
calendar feed. Every appointment is reached through its owner: anybody else gets a 404, as if it did not
exist."""

import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from flasky_project.email import absolute_url
from flasky_project.errors import error_response
from flasky_project.inputs import also_accepts
from flasky_project.observability import secret_in_address
from flasky_project.pagination import window
from schedule import services
from schedule.forms import AppointmentForm
from schedule.ics import schedule_calendar
from schedule.models import Appointment, CalendarFeed
from talks.models import Talk

APPOINTMENTS_PER_PAGE = 50


def _get_own(request, pk):
    return get_object_or_404(Appointment.objects.owned_by(request.user), pk=pk)


@login_required
def appointment_list(request):
    return _list(request, Appointment.objects.owned_by(request.user).upcoming(), "upcoming")


@login_required
def past_appointments(request):
    return _list(request, Appointment.objects.owned_by(request.user).past(), "past")


def _list(request, appointments, tab):
    page = window(request, appointments, APPOINTMENTS_PER_PAGE)
    feed = CalendarFeed.objects.filter(owner=request.user).first()
    feed_url = absolute_url(feed.get_absolute_url(), request) if feed else None
    context = {
        "page": page,
        "days": _by_day(page, reverse=tab == "past"),
        "tab": tab,
        "feed_url": feed_url,
        "webcal_url": CalendarFeed.webcal_url(feed_url) if feed_url else None,
    }
    return render(request, "schedule/list.html", context)


def _by_day(appointments, *, reverse):
    """[(date, [appointments])] in the reader's time zone, the days in order (``reverse``: latest first);
    in each day all-day appointments first, then by time."""
    rows = sorted(appointments, key=lambda a: (not a.all_day, a.start))
    rows.sort(key=lambda a: a.day(), reverse=reverse)  # stable: each day keeps its order
    today = timezone.localdate()
    return [
        {"date": day, "today": day == today, "tomorrow": (day - today).days == 1, "appointments": list(group)}
        for day, group in itertools.groupby(rows, key=lambda a: a.day())
    ]


@login_required
def appointment_detail(request, pk):
    appointment = get_object_or_404(
        Appointment.objects.owned_by(request.user).select_related("talk__post"), pk=pk
    )
    return render(request, "schedule/detail.html", {"appointment": appointment})


@login_required
def create_appointment(request):
    form = AppointmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.save_appointment(form.instance, owner=request.user)
        messages.success(request, _("The appointment has been added to your schedule."))
        return redirect("schedule:list")
    return render(request, "schedule/edit.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def edit_appointment(request, pk):
    appointment = _get_own(request, pk)
    form = AppointmentForm(request.POST if request.method == "POST" else None, instance=appointment)
    if request.method == "POST" and form.is_valid():
        services.save_appointment(form.instance, owner=request.user)
        messages.success(request, _("The appointment has been updated."))
        return redirect(appointment)
    context = {"form": form, "appointment": appointment}
    return render(request, "schedule/edit.html", context, status=400 if form.errors else 200)


@also_accepts("DELETE")
@login_required
@require_http_methods(["GET", "POST", "DELETE"])
def delete_appointment(request, pk):
    """GET asks for confirmation and POST deletes (without JavaScript); DELETE deletes and answers JSON
    (the list's and detail page's script)."""
    appointment = _get_own(request, pk)
    if request.method == "GET":
        return render(request, "schedule/delete.html", {"appointment": appointment})
    services.delete_appointment(appointment)
    message = _("The appointment has been deleted.")
    if request.method == "DELETE":
        return JsonResponse({"status": "OK", "message": message})
    messages.success(request, message)
    return redirect("schedule:list")


@require_POST
@login_required
def add_talk(request, pk):
    talk = get_object_or_404(Talk.objects.visible_to(request.user).select_related("post__author"), pk=pk)
    try:
        appointment, created = services.add_talk(owner=request.user, talk=talk)
    except services.CannotAddTalk as error:
        return error_response(request, 400, str(error))
    if created:
        messages.success(request, _("The talk has been added to your schedule."))
    else:
        messages.info(request, _("This talk is already in your schedule."))
    return redirect(appointment)


@require_POST
@login_required
def reset_feed(request):
    _feed, created = services.reset_feed(owner=request.user)
    if not created:
        messages.success(request, _("Your calendar has a new address. The old one no longer works."))
    else:
        messages.success(request, _("Your calendar has an address: add it to your calendar program."))
    return redirect(f"{reverse('schedule:list')}#calendar-feed")


@secret_in_address("token")
def feed(request, token):
    """The schedule as iCalendar, for calendar programs: the secret token in the address is the credential."""
    calendar_feed = CalendarFeed.objects.select_related("owner").filter(token=token).first()
    if calendar_feed is None or not calendar_feed.owner.is_active:
        raise Http404
    owner = calendar_feed.owner
    appointments = Appointment.objects.owned_by(owner).order_by("start", "pk")
    response = HttpResponse(
        schedule_calendar(owner, appointments.iterator()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="schedule.ics"'
    # Private to whoever holds the address: no shared cache keeps a copy, no search engine lists it.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

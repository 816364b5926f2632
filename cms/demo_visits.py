"""Demo study visits: Tom hosts visits to two exemplars, one full with a waiting list and one where he
approves each booking, and a past study day with its feedback and write-up. Facts from the documents the
network grew from (fifteen practitioners visited a peer network and a GP-linked time bank); our words.

Made once: each visit has a fixed calendar UID, so running the demo again adds nothing. Rows are made
directly (no emails to made-up people)."""

import uuid
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.models import ExemplarPage
from visits.models import Booking, Feedback, StudyVisit
from visits.services import copy_page_details

from .demo_blog import PEOPLE

KEYS = uuid.UUID("6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d")  # namespace of the demo visits' calendar UIDs
ATTENDEES = [name for name in PEOPLE if name not in ("amara", "tom", "priya", "grace")]

VISITS = [
    {
        "key": "croydon-afternoon",
        "page": "croydon-service-user-network",
        "title": "An afternoon with a peer network for people with personality disorders",
        "days": 12,
        "hours": (13, 17),
        "capacity": 12,
        "booked": 12,
        "waiting": 2,
        "description": "Sit in on the start of a weekly group (with the members' agreement), then talk with "
        "members and facilitators about how the network guides rather than runs its sessions, why it meets "
        "in a voluntary sector centre, and what open-ended membership means for crises.",
        "agenda": "- 13:00 Welcome and ground rules, agreed with members\n- 13:30 Joining a group\n"
        "- 15:00 Tea with members and facilitators\n- 16:00 What you could take home: questions and answers",
        "venue": "Croydon Voluntary Action centre",
        "address": "97 High Street, Croydon CR0 1QG",
        "meeting_point": "Reception on the ground floor",
        "travel": "Ten minutes' walk from East Croydon station. Step-free entrance and a hearing loop in the "
        "group room.",
    },
    {
        "key": "paxton-morning",
        "page": "paxton-green-time-bank",
        "title": "A morning at a time bank linked to a GP surgery",
        "days": 26,
        "hours": (9, 13),
        "capacity": 15,
        "booked": 2,
        "waiting": 0,
        "approval": True,
        "description": "See how GPs and receptionists refer isolated patients to the time bank, meet the broker "
        "who matches neighbours' hours of help, and join members who run their own health talks.",
        "agenda": "- 09:00 At the surgery: how a referral works\n- 10:30 Walk to the community centre\n"
        "- 11:00 Meeting time bank members\n- 12:30 Lunch and questions",
        "venue": "Paxton Green Group Practice",
        "address": "1 Alleyn Park, London SE21 8AU",
        "meeting_point": "The surgery's front door (not reception: it is busy in the morning)",
        "travel": "West Dulwich station is eight minutes' walk away. The community centre has a ramp; the "
        "walk between the two is about five minutes on the level.",
    },
]

PAST = {
    "key": "study-day-spring",
    "page": "paxton-green-time-bank",
    "title": "Study day: a peer network and a GP-linked time bank",
    "days": -40,
    "hours": (9, 17),
    "capacity": 15,
    "booked": 15,
    "waiting": 0,
    "description": "Fifteen practitioners spent a day with a peer-support network in the morning and a "
    "GP-linked time bank in the afternoon, asking what makes each of them work.",
    "venue": "Paxton Green Group Practice",
    "address": "1 Alleyn Park, London SE21 8AU",
    "write_up": "Fifteen of us spent the day with two projects and came away with more questions than we "
    "brought, which was the point.\n\n**What stood out**\n\n- Both projects began by asking people what they "
    "wanted, not by offering a service.\n- Neither keeps people out with paperwork: the time bank checks only "
    "where it must.\n- The staff we met see their job as making room for others, not as running things.\n\n"
    "Several of us plan to try a time-bank link with our own practices. Thank you to every member who spoke "
    "with us.",
    # (usefulness, confidence, comment) per attendee who answered
    "feedback": [
        (5, 4, "Seeing referrals from the reception desk made it real."),
        (5, 5, ""),
        (4, 4, "I would have liked more time with the members."),
        (4, 3, ""),
        (5, 4, "Practical and honest about what is hard."),
        (3, 3, ""),
        (4, 2, "Our commissioners would need convincing first."),
        (5, 4, ""),
    ],
}


def seed_visits() -> None:
    people = {user.email: user for user in get_user_model().objects.filter(email__in=PEOPLE.values())}
    host = people.get(PEOPLE["tom"])
    if host is None:
        return
    attendees = [people[PEOPLE[name]] for name in ATTENDEES if PEOPLE[name] in people]
    for spec in [*VISITS, PAST]:
        uid = uuid.uuid5(KEYS, spec["key"])
        page = ExemplarPage.objects.filter(slug=spec["page"]).first()
        if page is None or StudyVisit.objects.filter(calendar_uid=uid).exists():
            continue
        _visit(spec, uid, page, host, attendees)


def _visit(spec: dict, uid: uuid.UUID, page, host, attendees: list) -> StudyVisit:
    zone = timezone.get_default_timezone()
    day = (timezone.now() + timedelta(days=spec["days"])).date()
    start, end = (datetime.combine(day, time(hour), tzinfo=zone) for hour in spec["hours"])
    past = spec["days"] < 0
    visit = StudyVisit.objects.create(
        calendar_uid=uid,
        page=page,
        host=host,
        title=spec["title"],
        description=spec["description"],
        agenda=spec.get("agenda", ""),
        starts_at=start,
        ends_at=end,
        venue=spec["venue"],
        address=spec["address"],
        meeting_point=spec.get("meeting_point", ""),
        travel_and_access=spec.get("travel", ""),
        capacity=spec["capacity"],
        needs_approval=spec.get("approval", False),
        status=StudyVisit.Status.COMPLETED if past else StudyVisit.Status.PUBLISHED,
        published_at=start - timedelta(days=30),
        write_up=spec.get("write_up", ""),
        extra_questions=["What would you most like to ask the people you meet?"],
    )
    copy_page_details(visit)
    held = Booking.Status.REQUESTED if visit.needs_approval else Booking.Status.CONFIRMED
    chosen = attendees[: spec["booked"] + spec["waiting"]]
    for number, member in enumerate(chosen):
        booking = Booking.objects.create(
            visit=visit,
            member=member,
            status=held if number < spec["booked"] else Booking.Status.WAITLISTED,
            answers={"organisation": "", "access_needs": "", "dietary_needs": "", "extra": []},
            attendance=Booking.Attendance.ATTENDED if past else "",
        )
        answers = spec.get("feedback", [])
        if past and number < len(answers):
            usefulness, confidence, comment = answers[number]
            Feedback.objects.create(
                booking=booking, usefulness=usefulness, confidence=confidence, comment=comment
            )
    return visit

"""Demo training: a small catalogue, a running cohort (with a waitlist, attendance and one
completion) and an upcoming one. All names invented; skill keys are plain stable keys."""

from __future__ import annotations

import datetime as dt

from econ.participants import services as participants
from econ.security.roles import Actor
from econ.training import services

ADMIN = "admin@demo.econ"
COUNSELOR = "counselor@demo.econ"
COUNSELOR2 = "counselor2@demo.econ"

# The skills vocabulary (ESCO-style slugs; labels in the three page languages).
VOCABULARY = [
    ("bookkeeping", "Bookkeeping", "Contabilidad", "Tenue de comptabilité"),
    ("cash-handling", "Cash handling", "Manejo de caja", "Tenue de caisse"),
    ("customer-service", "Customer service", "Atención al cliente", "Service client"),
    ("digital-literacy", "Digital literacy", "Competencias digitales", "Compétences numériques"),
    ("first-aid", "First aid", "Primeros auxilios", "Premiers secours"),
    ("food-hygiene", "Food hygiene", "Higiene alimentaria", "Hygiène alimentaire"),
    (
        "food-safety-hygiene",
        "Food safety and hygiene",
        "Seguridad e higiene alimentaria",
        "Sécurité et hygiène des aliments",
    ),
    (
        "kitchen-teamwork",
        "Working in a kitchen brigade",
        "Trabajo en brigada de cocina",
        "Travail en brigade de cuisine",
    ),
    ("knife-skills", "Knife skills", "Técnicas de cuchillo", "Techniques de couteau"),
    ("personal-care", "Personal care", "Cuidado personal", "Soins à la personne"),
    ("spreadsheets", "Spreadsheets", "Hojas de cálculo", "Tableurs"),
]


def load_vocabulary(admin: Actor) -> None:
    """The program's skills vocabulary (the employers' demo posts from it)."""
    for key, en, es, fr in VOCABULARY:
        services.save_skill_term(admin, key, {"en": en, "es": es, "fr": fr})


CATALOGUE = [
    {
        "title": "Professional cooking, level 1",
        "provider": "Escuela de Hostelería Madrid",
        "description": "Kitchen basics, knife work, hygiene and food safety; a week in a "
        "partner restaurant kitchen.",
        "format": "IN_PERSON",
        "languages": ["es", "en"],
        "total_hours": "120",
        "hours_per_week": "8",
        "cost": "850.00",
        "capacity": 4,
        "credential_name": "Food handler certificate",
        "skills": [
            {"key": "food-safety-hygiene", "label": "Food safety and hygiene"},
            {"key": "knife-skills", "label": "Knife skills"},
            {"key": "kitchen-teamwork", "label": "Working in a kitchen brigade"},
        ],
    },
    {
        "title": "Bookkeeping for small businesses",
        "provider": "Centro de Formación Lavapiés",
        "description": "Invoices, VAT returns and a spreadsheet ledger for a market stall, a "
        "hair salon or a sewing workshop.",
        "format": "HYBRID",
        "languages": ["es", "fr"],
        "total_hours": "80",
        "hours_per_week": "6",
        "cost": "640.00",
        "capacity": 12,
        "credential_name": "Certificate in basic bookkeeping",
        "skills": [
            {"key": "bookkeeping", "label": "Bookkeeping"},
            {"key": "spreadsheets", "label": "Spreadsheets"},
        ],
    },
    {
        "title": "Care assistant for older people",
        "provider": "Fundación Cuidados Sur",
        "description": "Personal care, mobility support, first aid; leads to a recognised "
        "care certificate.",
        "format": "IN_PERSON",
        "languages": ["es"],
        "total_hours": "300",
        "hours_per_week": "15",
        "cost": "1200.00",
        "capacity": 15,
        "credential_name": "Certificate of professionalism in social care",
        "skills": [
            {"key": "personal-care", "label": "Personal care"},
            {"key": "first-aid", "label": "First aid"},
        ],
    },
    {
        "title": "Digital skills for work",
        "provider": "Biblioteca Digital Vallecas",
        "description": "E-mail, online forms, a CV and job portals; self-paced with a weekly "
        "online tutor.",
        "format": "ONLINE",
        "languages": ["es", "en", "fr", "ro"],
        "total_hours": "30",
        "hours_per_week": "3",
        "cost": "0.00",
        "capacity": 25,
        "credential_name": None,
        "skills": [{"key": "digital-literacy", "label": "Digital literacy"}],
    },
]


def _session_days_before(today: dt.date, start: dt.date, weekdays: set[int], n: int) -> list:
    days, day = [], today - dt.timedelta(days=1)
    while len(days) < n and day >= start:
        if day.weekday() in weekdays:
            days.append(day)
        day -= dt.timedelta(days=1)
    return sorted(days)


def _milestone(actor: Actor, person, title: str) -> int | None:
    plan = participants.get_plan(actor, person)
    found = [m.id for m in plan.milestones if m.title == title] if plan else []
    return found[0] if found else None


def load(ctx) -> None:
    today = dt.date.today()
    counselor, counselor2 = ctx.actor(COUNSELOR), ctx.actor(COUNSELOR2)
    programs = [services.create_program(ctx.actor(ADMIN), **p) for p in CATALOGUE]
    cooking, bookkeeping = programs[0], programs[1]
    start = today - dt.timedelta(days=24)
    running = services.create_cohort(
        counselor,
        cooking.id,
        start_date=start,
        end_date=today + dt.timedelta(days=66),
        session_days=["MON", "TUE", "THU"],
        location="Madrid - Centro",
    )
    upcoming = services.create_cohort(
        counselor,
        bookkeeping.id,
        start_date=today + dt.timedelta(days=14),
        end_date=today + dt.timedelta(days=110),
        session_days=["WED", "FRI"],
        location="Madrid - Lavapiés (and online)",
    )
    by_name = {p.preferred_name: p for p in ctx.participants}
    maria = by_name["Maria"]
    seated = [
        services.enroll_participant(
            counselor2,
            running.id,
            maria.id,
            milestone_id=_milestone(counselor2, maria, "Finish a vocational course"),
        ),
        services.enroll_participant(counselor, running.id, by_name["Lina"].id),
        services.enroll_participant(counselor, running.id, by_name["Ioana"].id),
        services.enroll_participant(counselor, running.id, by_name["Grace"].id),
    ]
    # capacity 4: Carmen waits for a seat
    services.enroll_participant(counselor, running.id, by_name["Carmen"].id)
    pattern = ["PRESENT", "PRESENT", "ABSENT", "PRESENT", "EXCUSED", "PRESENT"]
    for i, day in enumerate(_session_days_before(today, start, {0, 1, 3}, 6)):
        for j, enrollment in enumerate(seated):
            actor = counselor2 if enrollment.participant_id == maria.id else counselor
            status = pattern[(i + j) % len(pattern)]
            services.record_attendance(
                actor, running.id, day, [{"enrollment_id": enrollment.id, "status": status}]
            )
    services.record_skill_gain(
        counselor, seated[2].id, "SKILLS_EXAM", today - dt.timedelta(days=3), "hygiene exam"
    )
    services.complete_enrollment(
        counselor,
        seated[2].id,
        today - dt.timedelta(days=1),
        {"name": "Food handler certificate", "reference": "FH-2026-0117"},
    )
    services.enroll_participant(counselor, upcoming.id, by_name["Amina"].id)
    services.enroll_participant(counselor, upcoming.id, by_name["Nadia"].id)

"""Demo data of the Partnerships Hub: published contributions with progress and a join request, one in review,
one returned for changes. Written through the services, except the deadline, which the demo runs after."""

from sqlalchemy import select

from forum.accounts.services import find_by_email
from forum.database import utcnow
from forum.extensions import db
from forum.hub import decisions, joining, progress, services
from forum.hub.models import Contribution, Progress
from forum.states import ContributionState

SECRETARIAT = "secretariat@demo.dialogue.int"
# (submitter, state, decision reason, form values, progress updates: (deliverable index, status, date, note))
CONTRIBUTIONS = [
    (
        "delegate.kenya@demo.dialogue.int",
        ContributionState.PUBLISHED,
        "",
        {
            "kind": "partnership",
            "title": "Shared AI compute for East African public universities",
            "summary": "Three ministries pool GPU time for public universities and publish every allocation.",
            "description": "A single application window, a public dashboard of allocations, and training for "
            "research software engineers.\n\n- Open to every public university in the partner countries\n"
            "- Allocations reviewed by an independent panel",
            "lead_organisation": "Ministry of ICT and the Digital Economy",
            "partners": "University of Nairobi\nMakerere University",
            "groups": ["member_state", "academia"],
            "areas": ["africa", "KE", "UG", "TZ"],
            "themes": ["ai-divides", "open-ai-ecosystems"],
            "start_date": "2026-07-01",
            "end_date": "2028-06-30",
            "deliverables": "2026-12-31 Shared scheduler in service\n"
            "2027-06-30 First public allocation report",
            "links": "https://www.ict.go.ke/",
            "contact_email": "compute@ict.example.go.ke",
        },
        [(0, Progress.ON_TRACK, "2026-09-15", "Scheduler in beta with two universities.")],
    ),
    (
        "researcher@demo.dialogue.int",
        ContributionState.PUBLISHED,
        "",
        {
            "kind": "coalition",
            "title": "Coalition for multilingual AI safety evaluations",
            "summary": "Research institutes share test suites that evaluate AI systems in under-served "
            "languages.",
            "description": "Safety evaluations are mostly written in English. The coalition writes, "
            "reviews and publishes **open** test suites in twelve languages.",
            "lead_organisation": "Indian Institute of Technology Madras",
            "partners": "Derechos Digitales",
            "groups": ["academia", "civil_society"],
            "areas": ["global", "IN"],
            "themes": ["safe-trustworthy-ai", "human-rights"],
            "start_date": "2026-06-01",
            "end_date": "",
            "deliverables": "2026-10-31 Test suites in six languages\n"
            "2027-06-30 Test suites in twelve languages",
            "links": "https://www.iitm.ac.in/",
            "contact_email": "evals@iitm.example.ac.in",
        },
        [(0, Progress.DELAYED, "2026-10-20", "Annotator recruitment took longer than planned.")],
    ),
    (
        "ngo@demo.dialogue.int",
        ContributionState.SUBMITTED,
        "",
        {
            "kind": "action",
            "title": "Toolkit for public registers of algorithms",
            "summary": "A free toolkit that helps administrations open and maintain a register of the "
            "algorithms they use.",
            "description": "Templates, a data model and a short guide drawn from three years of practice.",
            "lead_organisation": "Derechos Digitales",
            "partners": "",
            "groups": ["civil_society"],
            "areas": ["americas", "CL"],
            "themes": ["transparency"],
            "start_date": "2026-07-15",
            "end_date": "2027-03-31",
            "deliverables": "2026-11-30 Toolkit in Spanish and English",
            "links": "https://www.derechosdigitales.org/",
            "contact_email": "registros@derechos.example.org",
        },
        [],
    ),
    (
        "industry@demo.dialogue.int",
        ContributionState.RETURNED,
        "Please name the partner administrations and add target dates for each guide.",
        {
            "kind": "initiative",
            "title": "Procurement guide to AI standards",
            "summary": "A guide for public buyers on which AI standards to reference.",
            "description": "Written with public buyers; free to reuse.",
            "lead_organisation": "Sector Member Telecom AG",
            "partners": "",
            "groups": ["private_sector"],
            "areas": ["europe"],
            "themes": ["standards"],
            "start_date": "2026-09-01",
            "end_date": "",
            "deliverables": "2027-01-31 First edition of the guide",
            "links": "",
            "contact_email": "standards@telecom.example.de",
        },
        [],
    ),
]
JOIN_REQUEST = (
    "ngo@demo.dialogue.int",
    "Shared AI compute for East African public universities",
    "Derechos Digitales",
)


def _contribution(email, state, reason, data, updates, reviewer):
    """One contribution, taken through the review and its progress updates."""
    submitter = find_by_email(email)
    contribution = Contribution(submitter=submitter, state=ContributionState.SUBMITTED, submitted_at=utcnow())
    services.apply_values(contribution, services.clean(data))
    db.session.add(contribution)
    db.session.commit()
    if state != ContributionState.SUBMITTED:
        decision = {ContributionState.PUBLISHED: "publish", ContributionState.RETURNED: "return"}[state]
        decisions.decide(reviewer, contribution, decision, reason)
    for index, status, day, note in updates:
        progress.add_progress(submitter, contribution, contribution.deliverables[index].id, status, day, note)


def seed_hub():
    """Create the demo contributions that are missing; returns how many were made."""
    made = 0
    reviewer = find_by_email(SECRETARIAT)
    for email, state, reason, data, updates in CONTRIBUTIONS:
        if db.session.scalar(select(Contribution.id).where(Contribution.title == data["title"])):
            continue
        _contribution(email, state, reason, data, updates, reviewer)
        made += 1
    email, title, organisation = JOIN_REQUEST
    contribution = db.session.scalar(select(Contribution).where(Contribution.title == title))
    if not any(r.organisation == organisation for r in contribution.join_requests):
        joining.request_join(
            find_by_email(email), contribution, organisation, "We can train the allocation panel."
        )
        made += 1
    return made

"""When each scheduled job of the workers last ran: one row per job, shared by every worker process."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from forum.database import UTCDateTime
from forum.extensions import db


class WorkerSchedule(db.Model):
    """A scheduled job's last start; a worker takes the next run with a conditional UPDATE of it."""

    __tablename__ = "worker_schedule"

    job: Mapped[str] = mapped_column(db.String(40), primary_key=True)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

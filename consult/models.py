"""Imports every model so that SQLAlchemy and Alembic see all tables."""
from consult.auth.models import User  # noqa: F401
from consult.core.models import AuditEvent, FormSubmission  # noqa: F401
from consult.meetings.models import Meeting, MeetingAttendance, MeetingMaterial, MeetingOfficial, MeetingPerson  # noqa: F401
from consult.organisations.models import Organisation, Unit  # noqa: F401
from consult.postulates.models import Position, PositionRedaction, Postulate  # noqa: F401
from consult.programmes.models import Programme  # noqa: F401
import consult.calls.models  # noqa: F401,E402  (calls, offers, commission, scores, decisions: all its tables)
from consult.documents.models import DocumentJob, DocumentVersion  # noqa: F401
from consult.notifications.models import Notification  # noqa: F401,E402
from consult.implementation.models import Activity, ActivityUnit, Area, Goal, ImplementationReport, Task  # noqa: F401,E402
from consult.consultation_report.models import ReportSection  # noqa: F401,E402
import consult.smallgrants.models  # noqa: F401,E402  (the limits of small grants, art. 19a)
import consult.commitments.models  # noqa: F401,E402  (commitments made in positions)
import consult.grant_reports.models  # noqa: F401,E402  (reports after the award, art. 18)
from consult.programme_text.models import PositionChange, Provision, ProvisionSnapshot, TextVersion  # noqa: F401,E402
from consult.membership.models import JoinRequest  # noqa: F401,E402
from consult.places.models import BookingRequest, Place, PlaceKind, Room, RoomBooking  # noqa: F401,E402
from consult.programme_report.models import ProgrammeReportPublication  # noqa: F401,E402
from consult.attachments.models import Attachment  # noqa: F401,E402
from consult.retention.models import RetentionPeriod  # noqa: F401,E402

"""Every stage's tables (DESIGN.md §2), laid down at once so later stages add behaviour only."""

from db.base import Base
from db.models.base_data import Department, FinanceOffice, Project, Region
from db.models.common import Agency, Attachment, AuditLog, ReportedStat, RulePack, Setting, Training
from db.models.evaluation import (
    ExAnteAssessment,
    ExAnteItem,
    KeyEvalItem,
    KeyEvaluation,
    SelfEvalIndicator,
    SelfEvaluation,
    VerificationItem,
    VerificationSample,
)
from db.models.followup import Rectification, ResultApplication
from db.models.monitoring import MonitoringIndicator, MonitoringRecord, MonitoringRound
from db.models.targets import (
    LibraryIndicator,
    PerformanceTarget,
    TargetIndicator,
    TargetReview,
    TargetSnapshot,
    TargetTask,
)

__all__ = [name for name in dir() if name[0].isupper()]

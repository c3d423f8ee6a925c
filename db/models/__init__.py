"""Every stage's tables (DESIGN.md §2), laid down at once so later stages add behaviour only.

Names load their stage's module on first use (PEP 562), so the first window does not pay for
tables it does not show. `Base` (and `load_all()`) load every module: whoever needs the whole
metadata — migrations, reference checks, clearing the demo — gets all of it."""

from __future__ import annotations

import importlib

_MODULES = {
    "base_data": ("Department", "FinanceOffice", "Project", "Region"),
    "common": ("Agency", "AgencyAssessment", "AgencyContract", "Attachment", "AuditLog", "ReportedStat", "RulePack",
               "Setting", "Training"),
    "exchange": ("ExchangeConflict", "ExchangeKey", "ExchangeLog", "ExchangeSeen", "TownshipScore",
                 "TrustedKey"),
    "evaluation": ("ExAnteAssessment", "ExAnteItem", "KeyEvalItem", "KeyEvaluation", "SelfEvalIndicator",
                   "SelfEvaluation", "VerificationItem", "VerificationSample"),
    "followup": ("Rectification", "ResultApplication"),
    "monitoring": ("MonitoringIndicator", "MonitoringRecord", "MonitoringRound"),
    "people": ("AppUser", "ReviewOpinion"),
    "targets": ("LibraryIndicator", "PerformanceTarget", "TargetIndicator", "TargetReview", "TargetSnapshot",
                "TargetTask"),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}
__all__ = ["Base", "load_all", *sorted(_WHERE)]


def load_all():
    """Import every model module; returns Base with the complete metadata."""
    for module in _MODULES:
        importlib.import_module(f"db.models.{module}")
    from db.base import Base

    return Base


def __getattr__(name: str):
    if name == "Base":
        return load_all()
    if name in _WHERE:
        return getattr(importlib.import_module(f"db.models.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'db.models' has no attribute {name!r}")

"""The risk assessment a police officer records with a missing-child report (MWCD SOP 2016 on missing children):
the child's age, their vulnerabilities, whether trafficking or abduction is suspected, and the urgency that follows.

The urgency is never below what the facts call for (``required_urgency``): a child under six, or one with any
vulnerability, is at least HIGH; a suspicion of trafficking or abduction makes the case IMMEDIATE (and sends it to
the Anti Human Trafficking Unit at once: ``workflow_rules``). An officer may raise it, never lower it, so a form
filled in a hurry cannot file a trafficked child as routine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .errors import BadUserInput

YOUNG_CHILD_AGE = 6  # under this age a missing child is at least HIGH urgency
MAX_NOTES = 2000


class Urgency(Enum):
    ROUTINE = "ROUTINE"
    HIGH = "HIGH"
    IMMEDIATE = "IMMEDIATE"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {Urgency.ROUTINE: 0, Urgency.HIGH: 1, Urgency.IMMEDIATE: 2}


class Vulnerability(Enum):
    DISABILITY = "DISABILITY"
    MEDICAL_NEED = "MEDICAL_NEED"  # needs medicine or care the family gives (epilepsy, diabetes ...)
    MENTAL_HEALTH = "MENTAL_HEALTH"
    PREVIOUSLY_MISSING = "PREVIOUSLY_MISSING"
    ABUSE_OR_NEGLECT = "ABUSE_OR_NEGLECT"
    SUBSTANCE_USE = "SUBSTANCE_USE"
    STREET_CONNECTED = "STREET_CONNECTED"
    OTHER = "OTHER"  # say which in the notes


@dataclass(slots=True)
class RiskAssessment:
    """As the officer records it; ``urgency`` None = what the facts call for."""

    vulnerabilities: list[Vulnerability] = field(default_factory=list)
    suspected_trafficking: bool = False
    suspected_abduction: bool = False
    urgency: Urgency | None = None
    notes: str | None = None


def required_urgency(risk: RiskAssessment, age_years: int | None) -> Urgency:
    """The least urgency the facts allow."""
    if risk.suspected_trafficking or risk.suspected_abduction:
        return Urgency.IMMEDIATE
    if risk.vulnerabilities or (age_years is not None and age_years < YOUNG_CHILD_AGE):
        return Urgency.HIGH
    return Urgency.ROUTINE


def effective_urgency(risk: RiskAssessment, age_years: int | None) -> Urgency:
    """The officer's urgency, raised to what the facts require."""
    least = required_urgency(risk, age_years)
    return risk.urgency if risk.urgency is not None and risk.urgency.rank > least.rank else least


def validate_risk(risk: RiskAssessment, age_years: int | None, field_path: str = "risk_assessment") -> None:
    """The child's age is part of the assessment; notes are bounded and say what an OTHER vulnerability is."""
    if age_years is None:
        raise BadUserInput(
            field_path,
            "needs the child's age (child.ageYears or child.dateOfBirth)",
            suggestion="give an estimated age if the exact one is not known",
        )
    if len(set(risk.vulnerabilities)) != len(risk.vulnerabilities):
        raise BadUserInput(f"{field_path}.vulnerabilities", "lists a vulnerability twice")
    notes = (risk.notes or "").strip()
    if len(notes) > MAX_NOTES:
        raise BadUserInput(f"{field_path}.notes", f"is longer than {MAX_NOTES} characters")
    if Vulnerability.OTHER in risk.vulnerabilities and not notes:
        raise BadUserInput(f"{field_path}.notes", "is required to say what the OTHER vulnerability is")
    if risk.urgency is not None and risk.urgency.rank < required_urgency(risk, age_years).rank:
        least = required_urgency(risk, age_years).value
        raise BadUserInput(
            f"{field_path}.urgency",
            f"cannot be below {least} for this child (age, vulnerabilities, suspicion)",
            suggestion=f"leave it out to record {least}, or raise it",
        )

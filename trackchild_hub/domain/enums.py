"""Enumerations shared by every layer; their names are part of the public contract."""

from __future__ import annotations

from enum import Enum


class Gender(Enum):
    MALE = "MALE"
    FEMALE = "FEMALE"
    TRANSGENDER = "TRANSGENDER"
    UNKNOWN = "UNKNOWN"


class CaseKind(Enum):
    MISSING = "MISSING"
    FOUND = "FOUND"
    CARE = "CARE"


class CaseStatus(Enum):
    OPEN = "OPEN"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"


class GuardianRelation(Enum):
    FATHER = "FATHER"
    MOTHER = "MOTHER"
    GUARDIAN = "GUARDIAN"
    RELATIVE = "RELATIVE"
    OTHER = "OTHER"


class CaseEventType(Enum):
    REPORTED = "REPORTED"
    IMPORTED = "IMPORTED"
    SYNCED = "SYNCED"  # first received from a connector's change feed
    UPDATED = "UPDATED"
    TRANSFERRED = "TRANSFERRED"
    ADMITTED = "ADMITTED"
    CLOSED = "CLOSED"
    REUNIFIED = "REUNIFIED"  # a reviewer confirmed a match: the missing child is this found/cared-for child
    NOTICE_CONSENTED = "NOTICE_CONSENTED"  # an officer consented to a public notice (updateCase publicationConsent)
    NOTICE_WITHDRAWN = "NOTICE_WITHDRAWN"  # that consent withdrawn: the notice is no longer listed
    SIGHTING_LINKED = "SIGHTING_LINKED"  # a citizen's sighting linked to this case (linkSighting)
    ESCALATED_TO_AHTU = "ESCALATED_TO_AHTU"  # the workflow sent the case to an AHTU (domain/workflow_rules.py)
    AHTU_REPORT_FILED = "AHTU_REPORT_FILED"  # the AHTU filed its progress report (fileAhtuProgressReport)
    AHTU_REPORT_OVERDUE = "AHTU_REPORT_OVERDUE"  # the AHTU's progress report is past due (the workflow job)
    CHECKLIST_TICKED = "CHECKLIST_TICKED"  # an investigation checklist item done (tickInvestigationChecklist)
    PHOTO_ATTACHED = "PHOTO_ATTACHED"  # an officer attached a photo of the child (attachCasePhoto)
    PHOTO_WITHDRAWN = "PHOTO_WITHDRAWN"  # no photo of the case shown on its notice (withdrawCasePhotoPublication)


class DirectoryKind(Enum):
    POLICE_STATION = "POLICE_STATION"
    CHILD_CARE_INSTITUTION = "CHILD_CARE_INSTITUTION"
    CHILD_WELFARE_COMMITTEE = "CHILD_WELFARE_COMMITTEE"
    JUVENILE_JUSTICE_BOARD = "JUVENILE_JUSTICE_BOARD"
    DISTRICT_CHILD_PROTECTION_UNIT = "DISTRICT_CHILD_PROTECTION_UNIT"
    STATE_CHILD_PROTECTION_SOCIETY = "STATE_CHILD_PROTECTION_SOCIETY"
    SPECIAL_JUVENILE_POLICE_UNIT = "SPECIAL_JUVENILE_POLICE_UNIT"
    ANTI_HUMAN_TRAFFICKING_UNIT = "ANTI_HUMAN_TRAFFICKING_UNIT"
    HELPLINE = "HELPLINE"
    HOSPITAL = "HOSPITAL"
    LEGAL_SERVICES_AUTHORITY = "LEGAL_SERVICES_AUTHORITY"


class InstitutionType(Enum):
    CHILDRENS_HOME = "CHILDRENS_HOME"
    OBSERVATION_HOME = "OBSERVATION_HOME"
    SPECIAL_HOME = "SPECIAL_HOME"
    PLACE_OF_SAFETY = "PLACE_OF_SAFETY"
    SPECIALISED_ADOPTION_AGENCY = "SPECIALISED_ADOPTION_AGENCY"
    OPEN_SHELTER = "OPEN_SHELTER"


class RunBy(Enum):
    GOVERNMENT = "GOVERNMENT"
    NGO = "NGO"


class GenderServed(Enum):
    MALE = "MALE"
    FEMALE = "FEMALE"
    ANY = "ANY"

"""The root Mutation: each is one transaction; bad input is BAD_USER_INPUT naming the field, nothing written."""

from __future__ import annotations

import strawberry

from ..auth.scopes import Scope
from ..domain.records import CasePatch, ChildPatch
from ..resolvers.context import Info
from ..services import cases
from ..services import record_rule as rule
from .access import any_of, operation
from .care_entries import CareEntry
from .care_file import ADD_CARE_ENTRY
from .case_kinds import CareCase, FoundCase, MissingCase, case_of
from .cases import Case
from .citizen_reports import (
    DISMISS_CITIZEN_REPORT,
    LINK_SIGHTING,
    REGISTER_CASE_FROM_CITIZEN_REPORT,
    REPORT_SIGHTING,
    SUBMIT_CITIZEN_REPORT,
    CitizenReceipt,
    CitizenReport,
)
from .directory import DirectoryEntry
from .directory_fields import RETIRE_DIRECTORY_ENTRY, UPSERT_DIRECTORY_ENTRY
from .inputs import (
    AdmitToInstitutionInput,
    CloseCaseInput,
    ReportFoundInput,
    ReportMissingInput,
    TransferCaseInput,
    UpdateCaseInput,
)
from .institution_fields import RECORD_INSPECTION, REVISE_INSPECTION, SET_INSTITUTION_INFRASTRUCTURE
from .institution_records import InstitutionInfrastructure, InstitutionInspection
from .matches import REVIEW_MATCH, MatchCandidate
from .photos import ATTACH_CASE_PHOTO, WITHDRAW_CASE_PHOTO_PUBLICATION
from .progress_report import SET_PROGRESS_FINANCIALS, ProgressFinancials
from .workflow import FILE_AHTU_PROGRESS_REPORT, TICK_INVESTIGATION_CHECKLIST


async def _report_missing(info: Info, input: ReportMissingInput) -> MissingCase:
    row = await cases.report_missing(info.context, input.to_domain())
    return MissingCase.of(row)  # type: ignore[arg-type]


async def _report_found(info: Info, input: ReportFoundInput) -> FoundCase:
    row = await cases.report_found(info.context, input.to_domain())
    return FoundCase.of(row)  # type: ignore[arg-type]


async def _admit(info: Info, input: AdmitToInstitutionInput) -> CareCase:
    row = await cases.admit(info.context, input.to_domain())
    return CareCase.of(row)  # type: ignore[arg-type]


async def _update(info: Info, input: UpdateCaseInput) -> Case:
    patch = CasePatch(
        version=input.version,
        child=input.child.to_domain() if input.child else ChildPatch(),
        place_text=input.place_text,
        circumstances=input.circumstances,
        current_placement=input.current_placement,
        publication_consent=input.publication_consent,
        note=input.note,
    )
    return case_of(await cases.update(info.context, str(input.id), patch))


async def _transfer(info: Info, input: TransferCaseInput) -> Case:
    row = await cases.transfer(
        info.context,
        str(input.id),
        input.version,
        state=input.state,
        district=input.district,
        police_station=input.police_station,
        institution=input.institution,
        note=input.note,
    )
    return case_of(row)


async def _close(info: Info, input: CloseCaseInput) -> Case:
    row = await cases.close(info.context, str(input.id), input.version, input.outcome, input.reason)
    return case_of(row)


CASES_WRITE = any_of(Scope.CASES_WRITE)


@strawberry.type(description="Change the hub. Each names the scope it needs; ids it is given pass the record rule.")
class Mutation:
    report_missing: MissingCase = operation(
        CASES_WRITE,
        "Report a missing child (police; FIR required) inside your jurisdiction (cases:write).",
        resolver=_report_missing,
        records={"input.place.policeStation": rule.station_named},
    )
    report_found: FoundCase = operation(
        CASES_WRITE,
        "Report a found child inside your jurisdiction (cases:write).",
        resolver=_report_found,
        records={"input.place.policeStation": rule.station_named, "input.institution": rule.institution_named},
    )
    admit_to_institution: CareCase = operation(
        CASES_WRITE,
        "Admit a child (one you may see, or a new one) to a Child Care Institution in your jurisdiction (cases:write).",
        resolver=_admit,
        records={"input.childId": rule.child_named, "input.institution": rule.institution_named},
    )
    update_case: Case = operation(
        CASES_WRITE,
        "Change a case (send the version you read) (cases:write).",
        resolver=_update,
        records={"input.id": rule.case_named},
    )
    transfer_case: Case = operation(
        CASES_WRITE,
        "Move a case to another jurisdiction or institution (cases:write).",
        resolver=_transfer,
        records={
            "input.id": rule.case_named,
            "input.policeStation": rule.station_named,
            "input.institution": rule.institution_named,
        },
    )
    close_case: Case = operation(
        CASES_WRITE,
        "Close a case as RESOLVED or CLOSED (cases:write).",
        resolver=_close,
        records={"input.id": rule.case_named},
    )
    submit_citizen_report: CitizenReceipt = SUBMIT_CITIZEN_REPORT
    report_sighting: CitizenReceipt = REPORT_SIGHTING
    register_case_from_citizen_report: MissingCase = REGISTER_CASE_FROM_CITIZEN_REPORT
    link_sighting: CitizenReport = LINK_SIGHTING
    dismiss_citizen_report: CitizenReport = DISMISS_CITIZEN_REPORT
    attach_case_photo: Case = ATTACH_CASE_PHOTO
    withdraw_case_photo_publication: Case = WITHDRAW_CASE_PHOTO_PUBLICATION
    review_match: MatchCandidate = REVIEW_MATCH
    add_care_entry: CareEntry = ADD_CARE_ENTRY
    upsert_directory_entry: DirectoryEntry = UPSERT_DIRECTORY_ENTRY
    retire_directory_entry: DirectoryEntry = RETIRE_DIRECTORY_ENTRY
    tick_investigation_checklist: MissingCase = TICK_INVESTIGATION_CHECKLIST
    file_ahtu_progress_report: MissingCase = FILE_AHTU_PROGRESS_REPORT
    set_institution_infrastructure: InstitutionInfrastructure = SET_INSTITUTION_INFRASTRUCTURE
    record_inspection: InstitutionInspection = RECORD_INSPECTION
    revise_inspection: InstitutionInspection = REVISE_INSPECTION
    set_progress_financials: ProgressFinancials = SET_PROGRESS_FINANCIALS

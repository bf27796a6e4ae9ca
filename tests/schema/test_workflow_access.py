"""The workflow's protected fields for every agency role (tests/auth/test_role_matrix.py's COVERED_ELSEWHERE points
here): the risk assessment's vulnerabilities and notes with child:identity or child:sensitive, the checklist's notes
and the AHTU's report summaries with child:identity; urgency, suspicions and dates with cases:read."""

from __future__ import annotations

from tests.factories import WB, data, error_codes, missing_input, run
from tests.services.test_workflow import seed
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.domain.workflow_rules import ChecklistItem
from trackchild_hub.services.unit import Services
from trackchild_hub.services.workflow import run_rules

CASE = """
query($id: ID!) {
  case(id: $id) {
    ... on MissingCase {
      riskAssessment { urgency suspectedTrafficking vulnerabilities notes }
      checklist { item done note }
      ahtuEscalation { reason reports { dueOn summary } }
    }
  }
}"""


async def test_each_role_sees_the_workflow_fields_its_scopes_allow(store: Services) -> None:
    await seed(store)
    risk = {"suspectedTrafficking": True, "vulnerabilities": ["OTHER"], "notes": "uncle promised a job in Delhi"}
    reported = "mutation($i: ReportMissingInput!) { reportMissing(input: $i) { id } }"
    case_id = data(await run(store, reported, {"i": missing_input(riskAssessment=risk)}))["reportMissing"]["id"]
    tick = "mutation($i: TickChecklistInput!) { tickInvestigationChecklist(input: $i) { id } }"
    data(await run(store, tick, {"i": {"caseId": case_id, "item": "PHOTO_PUBLISHED", "note": "Anandabazar, p. 4"}}))
    await run_rules(store.sessions)
    ahtu = Principal.for_agency(Agency.AHTU, subject="ahtu-1", state=WB)
    filing = "mutation($i: AhtuProgressReportInput!) { fileAhtuProgressReport(input: $i) { id } }"
    data(await run(store, filing, {"i": {"caseId": case_id, "summary": "traced the uncle's phone"}}, ahtu))
    for agency in Agency:
        principal = Principal.for_agency(agency, subject=f"{agency.value}-1", state=WB)
        result = await run(store, CASE, {"id": case_id}, principal)
        if "cases:read" not in principal.scopes:
            assert error_codes(result) == [("FORBIDDEN", None)], agency
            continue
        assert result.data is not None, agency
        case = result.data["case"]
        assert case["riskAssessment"]["urgency"] == "IMMEDIATE", agency
        assert case["riskAssessment"]["suspectedTrafficking"] is True, agency
        assert case["ahtuEscalation"]["reason"].startswith("trafficking suspected"), agency
        identity = "child:identity" in principal.scopes
        either = identity or "child:sensitive" in principal.scopes
        assert (case["riskAssessment"]["vulnerabilities"] == ["OTHER"]) == either, agency
        assert (case["riskAssessment"]["notes"] == risk["notes"]) == either, agency
        [photo] = [i for i in case["checklist"] if i["done"]]
        assert (photo["note"] == "Anandabazar, p. 4") == identity, agency
        [filed] = case["ahtuEscalation"]["reports"]
        assert (filed["summary"] == "traced the uncle's phone") == identity, agency
        denied = (0 if either else 2) + (0 if identity else len(ChecklistItem) + 1)  # every entry's note, a summary
        assert error_codes(result) == [("UNAUTHORIZED_FIELD_OR_TYPE", None)] * denied, agency

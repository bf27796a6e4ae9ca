// The page an overdue citizen report's alert opens (<hub>/citizen-reports/<reference>): it asks the hub's GraphQL
// API for the report by reference with the officer's own token, so it shows exactly what that officer may read (a
// report outside their jurisdiction is "not found", as one that does not exist; its identity fields need
// child:identity). The server sends this page the same for every reference: nothing of the report is rendered on
// the server. Everything shown is set as text (never as HTML). The token, the request and the hub's refusals are
// token.js's (loaded first), as for the case page.
(function () {
  "use strict";

  // tests/http/test_citizen_report_page.py runs this very document against the schema: keep it between the backticks.
  var REPORT_QUERY = `query CitizenReportByReference($reference: String!) {
  citizenReport(reference: $reference) {
    id kind reference receivedAt eventDate state district policeStation placeText needsHelp
    gender ageYears heightCm complexion identifyingMarks languages clothing
    triageDecision triagedBy triagedAt linkedCaseId
    childName reporterName reporterRelation contactPhone circumstances
  }
}`;
  var IDENTITY = ["childName", "reporterName", "reporterRelation", "contactPhone", "circumstances"];
  var row = window.TrackChildConsole.row;

  function refusedFields(errors) {
    // Identity fields the token's scopes do not open (child:identity): answered null with an error at their path.
    var refused = {};
    errors.forEach(function (error) {
      var path = error.path || [];
      var code = error.extensions ? error.extensions.code : "";
      if (path[0] === "citizenReport" && (code === "UNAUTHORIZED_FIELD_OR_TYPE" || code === "FORBIDDEN")) {
        refused[path[path.length - 1]] = true;
      }
    });
    return refused;
  }

  function show(found, errors) {
    var refused = refusedFields(errors);
    var summary = document.getElementById("summary");
    var childList = document.getElementById("child");
    var events = document.getElementById("events");
    function identity(name) {
      return refused[name] ? { hidden: "hidden: your token does not allow it" } : found[name];
    }
    row(summary, "Kind", found.kind === "SIGHTING" ? "Sighting" : "A family's report: child missing");
    row(summary, "Id (for triage)", found.id);
    row(summary, "Received", found.receivedAt);
    row(summary, found.kind === "SIGHTING" ? "Seen on" : "Last seen on", found.eventDate);
    row(summary, "Needs help now", found.needsHelp);
    row(summary, "State (LGD)", found.state);
    row(summary, "District (LGD)", found.district);
    row(summary, "Police station", found.policeStation);
    row(summary, "Place", found.placeText);
    row(childList, "Child's name", identity("childName"));
    row(childList, "Gender", found.gender);
    row(childList, "Age", found.ageYears);
    row(childList, "Height (cm)", found.heightCm);
    row(childList, "Complexion", found.complexion);
    row(childList, "Clothing", found.clothing);
    row(childList, "Identifying marks", found.identifyingMarks);
    row(childList, "Languages", found.languages);
    row(childList, "What happened", identity("circumstances"));
    row(childList, "Reporter", identity("reporterName"));
    row(childList, "Relation", identity("reporterRelation"));
    row(childList, "Contact phone", identity("contactPhone"));
    var steps = [found.receivedAt + " · received"];
    if (found.triageDecision) {
      steps.push(
        (found.triagedAt || "") +
          " · " +
          found.triageDecision +
          (found.triagedBy ? " · " + found.triagedBy : "") +
          (found.linkedCaseId ? " · case " + found.linkedCaseId : ""),
      );
    } else {
      steps.push("waiting for triage");
    }
    steps.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      events.appendChild(item);
    });
  }

  window.TrackChildConsole.open({
    field: "citizenReport",
    query: REPORT_QUERY,
    operationName: "CitizenReportByReference",
    noun: "citizen report",
    plural: "reports",
    show: show,
  });
})();

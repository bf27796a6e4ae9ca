// The page an alert's link opens (<hub>/cases/<reference>): it asks the hub's GraphQL API for the case by
// reference with the officer's own token, so it shows exactly what that officer may read (a case outside their
// jurisdiction is "not found", as one that does not exist). The server sends this page the same for every
// reference: no child data is ever rendered on the server. Everything shown is set as text (never as HTML).
// The token, the request and the hub's refusals are token.js's (loaded first).
(function () {
  "use strict";

  // tests/http/test_case_page.py runs this very document against the schema: keep it between the backticks.
  var CASE_QUERY = `query CaseByReference($reference: String!) {
  case(reference: $reference) {
    id kind reference status eventDate reportedAt updatedAt
    place { text state { name } district { name } policeStation { name phones } }
    child { name gender ageYears currentAge heightCm complexion clothing identifyingMarks languages }
    events { type at actor }
  }
}`;
  var row = window.TrackChildConsole.row;

  function refused(errors, path) {
    // A field the token's scopes do not open (child:identity): the API answers it null with an error at its path
    // (UNAUTHORIZED_FIELD_OR_TYPE, the federation code, or FORBIDDEN).
    var key = path.join(".");
    for (var i = 0; i < errors.length; i++) {
      var at = (errors[i].path || []).join(".");
      var code = errors[i].extensions ? errors[i].extensions.code : "";
      if (at === key && (code === "UNAUTHORIZED_FIELD_OR_TYPE" || code === "FORBIDDEN")) {
        return { hidden: "hidden: your token does not allow it" };
      }
    }
    return null;
  }

  function show(found, errors) {
    var place = found.place || {};
    var child = found.child || {};
    var summary = document.getElementById("summary");
    var childList = document.getElementById("child");
    var events = document.getElementById("events");
    row(summary, "Kind", found.kind);
    row(summary, "Status", found.status);
    row(summary, "Last seen / found / admitted", found.eventDate);
    row(summary, "Reported", found.reportedAt);
    row(summary, "Updated", found.updatedAt);
    row(summary, "State", place.state && place.state.name);
    row(summary, "District", place.district && place.district.name);
    row(summary, "Place", place.text);
    var station = place.policeStation;
    row(summary, "Police station", station && station.name);
    row(summary, "Station phones", station && station.phones);
    row(childList, "Name", child.name === null ? refused(errors, ["case", "child", "name"]) : child.name);
    row(childList, "Gender", child.gender);
    row(childList, "Age (reported)", child.ageYears);
    row(childList, "Age now", child.currentAge);
    row(childList, "Height (cm)", child.heightCm);
    row(childList, "Complexion", child.complexion);
    row(childList, "Clothing", child.clothing);
    row(childList, "Identifying marks", child.identifyingMarks);
    row(childList, "Languages", child.languages);
    (found.events || []).forEach(function (event) {
      var item = document.createElement("li");
      item.textContent = event.at + " · " + event.type + (event.actor ? " · " + event.actor : "");
      events.appendChild(item);
    });
  }

  window.TrackChildConsole.open({
    field: "case",
    query: CASE_QUERY,
    operationName: "CaseByReference",
    noun: "case",
    plural: "cases",
    show: show,
  });
})();

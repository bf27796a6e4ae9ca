// The page an overdue citizen report's alert opens (<hub>/citizen-reports/<reference>): it asks the hub's GraphQL
// API for the report by reference with the officer's own token, so it shows exactly what that officer may read (a
// report outside their jurisdiction is "not found", as one that does not exist; its identity fields need
// child:identity). The server sends this page the same for every reference: nothing of the report is rendered on
// the server. Everything shown is set as text (never as HTML). The token handling is the case page's (case.js).
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
  var TOKEN_KEY = "trackchild:token"; // this tab only (sessionStorage): gone when the tab closes
  var GRAPHIQL_HEADERS = "graphiql:headers"; // what the hub's GraphiQL console keeps (shouldPersistHeaders)
  var IDENTITY = ["childName", "reporterName", "reporterRelation", "contactPhone", "circumstances"];

  var reference = decodeURIComponent(window.location.pathname.split("/").pop() || "").trim();
  var message = document.getElementById("message");
  var form = document.getElementById("token-form");
  var forget = document.getElementById("forget");

  function say(text, isError) {
    message.textContent = text;
    message.className = isError ? "error" : "";
  }

  function consoleToken() {
    try {
      var headers = JSON.parse(window.localStorage.getItem(GRAPHIQL_HEADERS) || "{}");
      if (typeof headers === "string") headers = JSON.parse(headers);
      for (var name in headers) {
        if (name.toLowerCase() !== "authorization") continue;
        var bearer = /^Bearer\s+(\S+)$/i.exec(String(headers[name]).trim());
        if (bearer) return bearer[1];
      }
    } catch (ignored) {
      // no console headers, or not JSON: ask for the token instead
    }
    return null;
  }

  function token() {
    return window.sessionStorage.getItem(TOKEN_KEY) || consoleToken();
  }

  function askForToken(why) {
    say(why, true);
    form.hidden = false;
    document.getElementById("token").focus();
  }

  function row(list, label, value) {
    var dt = document.createElement("dt");
    var dd = document.createElement("dd");
    dt.textContent = label;
    if (value === null || value === undefined || value === "") {
      dd.textContent = "—";
    } else if (value && value.hidden) {
      dd.textContent = value.hidden;
      dd.className = "hidden-field";
    } else if (typeof value === "boolean") {
      dd.textContent = value ? "yes" : "no";
    } else {
      dd.textContent = Array.isArray(value) ? value.join(", ") || "—" : String(value);
    }
    list.appendChild(dt);
    list.appendChild(dd);
  }

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
    document.title = "TrackChild Hub · " + found.reference;
    document.getElementById("reference").textContent = found.reference;
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
    document.getElementById("case").hidden = false;
    say("");
  }

  function answer(response, body) {
    if (response.status === 401) {
      window.sessionStorage.removeItem(TOKEN_KEY);
      return askForToken("The hub did not accept this token (expired or not for this hub). Paste a current one.");
    }
    if (response.status === 429 || response.status === 503) {
      var retry = response.headers.get("Retry-After") || "a few";
      return say("The hub is busy or this address asked too often: try again in " + retry + " s.", true);
    }
    var errors = (body && body.errors) || [];
    var found = body && body.data ? body.data.citizenReport : null;
    if (found) return show(found, errors);
    var codes = errors.map(function (e) {
      return (e.extensions && e.extensions.code) || "";
    });
    if (codes.indexOf("NOT_FOUND") >= 0 || (body && body.data && codes.length === 0)) {
      return say("No citizen report " + reference + " that you may see: it may be outside your jurisdiction.", true);
    }
    if (codes.indexOf("FORBIDDEN") >= 0 || codes.indexOf("UNAUTHENTICATED") >= 0) {
      return askForToken("This token does not allow reading reports (it needs cases:read). Paste an officer's token.");
    }
    say("The hub could not answer: " + (errors.length ? errors[0].message : "HTTP " + response.status), true);
  }

  function load() {
    var bearer = token();
    forget.hidden = !window.sessionStorage.getItem(TOKEN_KEY);
    if (!bearer) return askForToken("Sign in: paste your officer token to open citizen report " + reference + ".");
    form.hidden = true;
    say("Loading " + reference + "…");
    fetch("../graphql", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        Authorization: "Bearer " + bearer,
      },
      body: JSON.stringify({
        query: REPORT_QUERY,
        variables: { reference: reference },
        operationName: "CitizenReportByReference",
      }),
      cache: "no-store",
      credentials: "omit",
      referrerPolicy: "no-referrer",
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (body) {
            answer(response, body);
          });
      })
      .catch(function () {
        say("The hub could not be reached. Check your connection and reload.", true);
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = document.getElementById("token").value.trim().replace(/^Bearer\s+/i, "");
    if (!value) return;
    window.sessionStorage.setItem(TOKEN_KEY, value);
    document.getElementById("token").value = "";
    load();
  });
  forget.addEventListener("click", function () {
    window.sessionStorage.removeItem(TOKEN_KEY);
    window.location.reload();
  });

  if (!reference) {
    say("No citizen report reference in this link.", true);
  } else {
    document.getElementById("reference").textContent = reference;
    load();
  }
})();

// The page an alert's link opens (<hub>/cases/<reference>): it asks the hub's GraphQL API for the case by
// reference with the officer's own token, so it shows exactly what that officer may read (a case outside their
// jurisdiction is "not found", as one that does not exist). The server sends this page the same for every
// reference: no child data is ever rendered on the server. Everything shown is set as text (never as HTML).
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
  var TOKEN_KEY = "trackchild:token"; // this tab only (sessionStorage): gone when the tab closes
  var GRAPHIQL_HEADERS = "graphiql:headers"; // what the hub's GraphiQL console keeps (shouldPersistHeaders)

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
    } else {
      dd.textContent = Array.isArray(value) ? value.join(", ") || "—" : String(value);
    }
    list.appendChild(dt);
    list.appendChild(dd);
  }

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
    document.title = "TrackChild Hub · " + found.reference;
    document.getElementById("reference").textContent = found.reference;
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
    var found = body && body.data ? body.data.case : null;
    if (found) return show(found, errors);
    var codes = errors.map(function (e) {
      return (e.extensions && e.extensions.code) || "";
    });
    if (codes.indexOf("NOT_FOUND") >= 0 || (body && body.data && codes.length === 0)) {
      return say("No case " + reference + " that you may see: it may be outside your jurisdiction.", true);
    }
    if (codes.indexOf("FORBIDDEN") >= 0 || codes.indexOf("UNAUTHENTICATED") >= 0) {
      return askForToken("This token does not allow reading cases (it needs cases:read). Paste an officer's token.");
    }
    say("The hub could not answer: " + (errors.length ? errors[0].message : "HTTP " + response.status), true);
  }

  function load() {
    var bearer = token();
    forget.hidden = !window.sessionStorage.getItem(TOKEN_KEY);
    if (!bearer) return askForToken("Sign in: paste your officer token to open case " + reference + ".");
    form.hidden = true;
    say("Loading " + reference + "…");
    fetch("../graphql", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        Authorization: "Bearer " + bearer,
      },
      body: JSON.stringify({ query: CASE_QUERY, variables: { reference: reference }, operationName: "CaseByReference" }),
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
    say("No case reference in this link.", true);
  } else {
    document.getElementById("reference").textContent = reference;
    load();
  }
})();

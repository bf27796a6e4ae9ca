// What the console pages an alert's link opens share (case.js, citizen_report.js; loaded before them): the officer's
// token (one pasted into the page, kept in this tab's sessionStorage, or the one the hub's GraphiQL console keeps),
// the request for the record by the reference in the address to /graphql with that token, and what the page says
// when the hub refuses it. Each page gives its query and draws what it gets; everything shown is set as text.
(function () {
  "use strict";

  var TOKEN_KEY = "trackchild:token"; // this tab only (sessionStorage): gone when the tab closes
  var GRAPHIQL_HEADERS = "graphiql:headers"; // what the hub's GraphiQL console keeps (shouldPersistHeaders)

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

  // One label and its value; a value the token may not read is { hidden: "why" }.
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

  // page: { field, query, operationName, noun ("case"), plural ("cases"), show(found, errors) }: asks for
  // page.field(reference:) and hands a found record to page.show, which fills #summary, #child and #events.
  function open(page) {
    var reference = decodeURIComponent(window.location.pathname.split("/").pop() || "").trim();

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
      var found = body && body.data ? body.data[page.field] : null;
      if (found) {
        document.title = "TrackChild Hub · " + found.reference;
        document.getElementById("reference").textContent = found.reference;
        page.show(found, errors);
        document.getElementById("case").hidden = false;
        return say("");
      }
      var codes = errors.map(function (e) {
        return (e.extensions && e.extensions.code) || "";
      });
      if (codes.indexOf("NOT_FOUND") >= 0 || (body && body.data && codes.length === 0)) {
        var where = " that you may see: it may be outside your jurisdiction.";
        return say("No " + page.noun + " " + reference + where, true);
      }
      if (codes.indexOf("FORBIDDEN") >= 0 || codes.indexOf("UNAUTHENTICATED") >= 0) {
        return askForToken(
          "This token does not allow reading " + page.plural + " (it needs cases:read). Paste an officer's token.",
        );
      }
      say("The hub could not answer: " + (errors.length ? errors[0].message : "HTTP " + response.status), true);
    }

    function load() {
      var bearer = token();
      forget.hidden = !window.sessionStorage.getItem(TOKEN_KEY);
      if (!bearer) return askForToken("Sign in: paste your officer token to open " + page.noun + " " + reference + ".");
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
          query: page.query,
          variables: { reference: reference },
          operationName: page.operationName,
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
      say("No " + page.noun + " reference in this link.", true);
    } else {
      document.getElementById("reference").textContent = reference;
      load();
    }
  }

  window.TrackChildConsole = { open: open, row: row };
})();

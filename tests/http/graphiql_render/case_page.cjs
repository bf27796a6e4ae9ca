// node case_page.cjs URL JSON: opens the case page at URL in jsdom, running its script, with the storage JSON gives
// ({"session": {...}, "local": {...}}, set before the script runs), and prints what the page shows as JSON once it
// has settled (the case, or a message). jsdom has no fetch: the page's own is node's, resolved against the page.
const { JSDOM, VirtualConsole } = require("jsdom");

const url = process.argv[2];
const storage = JSON.parse(process.argv[3] || "{}");
const errors = [];
const requested = [];
const console_ = new VirtualConsole();
console_.on("jsdomError", (e) => errors.push(String(e.message || e).slice(0, 300)));

JSDOM.fromURL(url, {
  runScripts: "dangerously",
  resources: "usable",
  virtualConsole: console_,
  beforeParse(window) {
    for (const [key, value] of Object.entries(storage.session || {})) window.sessionStorage.setItem(key, value);
    for (const [key, value] of Object.entries(storage.local || {})) window.localStorage.setItem(key, value);
    window.fetch = (address, init) => {
      const absolute = new URL(address, window.location.href).href;
      requested.push(absolute);
      return globalThis.fetch(absolute, init);
    };
  },
}).then((dom) => {
  const started = Date.now();
  const document = dom.window.document;
  const poll = setInterval(() => {
    const message = document.getElementById("message").textContent;
    const settled = !message.startsWith("Loading");
    if (settled || Date.now() - started > 20000) {
      clearInterval(poll);
      const texts = (id) => Array.from(document.querySelectorAll(`#${id} dd, #${id} li`)).map((n) => n.textContent);
      process.stdout.write(
        JSON.stringify({
          message,
          heading: document.getElementById("reference").textContent,
          caseShown: !document.getElementById("case").hidden,
          tokenAsked: !document.getElementById("token-form").hidden,
          summary: texts("summary"),
          child: texts("child"),
          events: texts("events"),
          requested,
          errors,
        }),
      );
      process.exit(0);
    }
  }, 50);
});

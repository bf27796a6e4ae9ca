// node render.cjs URL: loads the GraphiQL page at URL in jsdom, running its scripts, and prints what it fetched
// and what rendered as JSON. jsdom has no layout or fetch: the few browser APIs GraphiQL needs are stubbed.
const util = require("util");
const { JSDOM, ResourceLoader, VirtualConsole } = require("jsdom");

const url = process.argv[2];
const requested = [];
const errors = [];

class Recorder extends ResourceLoader {
  fetch(address, options) {
    requested.push(address);
    return super.fetch(address, options);
  }
}

const console_ = new VirtualConsole();
console_.on("jsdomError", (e) => errors.push(String(e.message || e).slice(0, 300)));

function stubBrowserApis(window) {
  window.TextDecoder = util.TextDecoder;
  window.TextEncoder = util.TextEncoder;
  window.fetch = globalThis.fetch; // GraphiQL's fetcher (the page's own origin)
  window.Headers = globalThis.Headers;
  window.Request = globalThis.Request;
  window.Response = globalThis.Response;
  window.matchMedia = () => ({ matches: false, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {} });
  window.ResizeObserver = class { observe() {} unobserve() {} disconnect() {} };
  const rect = { left: 0, right: 0, top: 0, bottom: 0, width: 0, height: 0 };
  window.Range.prototype.getBoundingClientRect = () => rect;
  window.Range.prototype.getClientRects = () => ({ item: () => null, length: 0, [Symbol.iterator]: function* () {} });
}

JSDOM.fromURL(url, {
  runScripts: "dangerously",
  resources: new Recorder(),
  pretendToBeVisual: true,
  virtualConsole: console_,
  beforeParse: stubBrowserApis,
}).then((dom) => {
  const started = Date.now();
  const poll = setInterval(() => {
    const document = dom.window.document;
    const editors = document.querySelectorAll(".graphiql-editor").length;
    if (editors >= 3 || Date.now() - started > 20000) {
      clearInterval(poll);
      process.stdout.write(
        JSON.stringify({
          requested,
          editors,
          sessions: document.querySelectorAll(".graphiql-session").length,
          loading: document.getElementById("graphiql").textContent.includes("Loading GraphiQL"),
          errors,
        }),
      );
      process.exit(0);
    }
  }, 100);
});

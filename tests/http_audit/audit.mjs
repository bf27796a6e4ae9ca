// The GraphQL-over-HTTP conformance audit of graphql-http (`serverAudits`) against one endpoint.
// Usage: node audit.mjs URL [HEADER_JSON]  — prints {"results": [{id, name, status, reason?, status_code?}]} as JSON.
// HEADER_JSON (e.g. {"authorization": "Bearer ..."}) is added to every request the audits send.
import { serverAudits } from 'graphql-http';

const [url, headerJson] = process.argv.slice(2);
if (!url) {
  console.error('usage: node audit.mjs URL [HEADER_JSON]');
  process.exit(2);
}
const extra = headerJson ? JSON.parse(headerJson) : {};

function fetchWithHeaders(input, init = {}) {
  const headers = new Headers(init.headers);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return fetch(input, { ...init, headers });
}

const results = [];
for (const audit of serverAudits({ url, fetchFn: fetchWithHeaders })) {
  const result = await audit.fn();
  const row = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    row.reason = result.reason;
    row.status_code = result.response?.status;
    try {
      row.body = (await result.response.text()).slice(0, 1000);
    } catch {
      // the audit read the body already
    }
  }
  results.push(row);
}
console.log(JSON.stringify({ results }));

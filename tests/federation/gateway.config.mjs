// Hive Gateway for the federation tests: composes the supergraph itself, at start, from the subgraphs' own SDL
// (`{ _service { sdl } }`), with the Guild's federation composition library: no Hive Cloud, no schema registry, no
// network beyond loopback. Subgraphs come from SUBGRAPHS, a JSON object {name: url}, set by tests/federation/gateway.py.
import { defineConfig } from '@graphql-hive/gateway';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

const subgraphs = JSON.parse(process.env.SUBGRAPHS ?? '{}');

// The test harness holds our stdin open: when it closes (the test process ended, even by SIGKILL), so do we.
if (process.env.EXIT_WITH_STDIN === '1') {
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

async function subgraphSdl(name, url) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = await response.json();
  if (!response.ok || body.errors || !body.data?._service?.sdl) {
    throw new Error(`subgraph ${name} (${url}) did not give its SDL: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.data._service.sdl;
}

async function composedSupergraph() {
  const services = await Promise.all(
    Object.entries(subgraphs).map(async ([name, url]) => ({ name, url, typeDefs: parse(await subgraphSdl(name, url)) })),
  );
  const result = composeServices(services);
  if (result.errors?.length) {
    throw new Error(`composition failed:\n${result.errors.map((e) => e.message).join('\n')}`);
  }
  return result.supergraphSdl;
}

export const gatewayConfig = defineConfig({
  supergraph: composedSupergraph,
  // Compose once, at start: the subgraphs do not change during a test session (the default re-composes every 10 s).
  pollingInterval: 3_600_000,
  // The hub authenticates every caller by its bearer token: each subgraph request carries the client's.
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
  },
  logging: process.env.GATEWAY_LOG_LEVEL ?? 'warn',
});

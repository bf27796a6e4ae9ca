// A real external OpenID provider for the TrackChild Hub test suite: `oidc-provider` on plain-http loopback,
// issuing RS256 JWT access tokens (RFC 9068, `typ: at+jwt`) for the client-credentials grant.
//
//   node provider.mjs --port P --audience urn:trackchild:hub [--keys JWKS.json] [--ttl SECONDS] [--host 127.0.0.1]
//                     [--exit-with-stdin]
//
// --keys: a JWKS file of private RSA keys, the first (with a kid) signs; default a fresh 2048-bit key. --ttl: access
// token lifetime in seconds (>= 60, default 300). --exit-with-stdin: exit when stdin closes (the pytest fixture holds
// it open, so a killed test run never leaves the provider behind).
//
// `--port 0` picks a free port. Prints exactly one line "listening on PORT" on stdout once it serves. The issuer is
// http://HOST:PORT; discovery at /.well-known/openid-configuration, keys at /jwks, tokens at /token.
//
// Clients: one per agency role of CONTRACT.md, `ext-<agency>` with secret `ext-<agency>-secret`, plus `ext-police-27`
// (police of another state). Each is registered as client_secret_basic; oidc-provider accepts client_secret_post for
// such clients too (and vice versa). A token's `scope` is what the client asked for, limited to what its role allows
// (scopes beyond the role are dropped, not refused: RFC 6749 s3.3); a request without `scope` gets no scope claim.
//
// Test-only routes (same port, served before oidc-provider sees the request):
//   GET  /_test/clients      the clients: id, secret, auth method, agency, state, district, the role's scopes
//   GET  /_test/keys         {"current": kid, "keys": [private JWKs]} (so a test can sign with the provider's key)
//   POST /_test/rotate       {"keep_old": true|false, "reuse_kid": false|true}: a new RS256 key (new kid) signs every
//                            later token; the JWKS lists it first and keeps the previous keys (keep_old, default) or
//                            drops them. reuse_kid: the new key keeps the current kid (new material, same kid), and
//                            the key it replaces is dropped (one kid, one key)
//   PUT  /_test/keys         {"keys": [private JWKs]}: replace the whole key set (the first signs), e.g. to put back
//                            what GET /_test/keys returned before a test rotated
//   POST /_test/jwks-cache   {"cache_control": "max-age=60" | null}: the Cache-Control header /jwks answers with
//   GET  /_test/jwks-hits    {"hits": N}: how many times /jwks was fetched (so a test can see it is not hammered)
//   POST /_test/token-with   mint a token the way the provider would, with overrides, signed by the current key:
//                            {"client_id", "scope", "audience", "expires_in" (negative = already expired),
//                             "claims": {name: value|null (null removes)}, "signer": "current"|"rogue"|"none"}
//                            "rogue" signs with a key not in the JWKS under the current kid; "none" is alg=none.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { parseArgs } from 'node:util';

import Provider, { errors } from 'oidc-provider';
// oidc-provider has no public API to replace its keystore at run time; this is the function its constructor uses
// (version pinned exactly in package.json). It rebuilds the signing keystore and the published JWKS in place.
import initializeKeystore from 'oidc-provider/lib/helpers/initialize_keystore.js';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    audience: { type: 'string', default: 'urn:trackchild:hub' },
    keys: { type: 'string' },
    ttl: { type: 'string', default: '300' },
    'exit-with-stdin': { type: 'boolean', default: false },
  },
  strict: true,
});

const AUDIENCE = args.audience;
const TTL = Number.parseInt(args.ttl, 10);
if (!Number.isInteger(TTL) || TTL < 60) {
  throw new Error(`--ttl must be an integer >= 60, got ${args.ttl}`);
}

// Scopes and agency roles: CONTRACT.md "Scopes" and "Agency roles".
const SCOPES = [
  'cases:read', 'cases:write', 'child:identity', 'child:sensitive', 'care:write', 'matches:read', 'matches:review',
  'institutions:write', 'directory:write', 'reports:read', 'audit:read', 'alerts:read',
];
const POLICE = ['cases:read', 'cases:write', 'child:identity', 'matches:read', 'matches:review', 'alerts:read'];
const CWC = [
  'cases:read', 'cases:write', 'child:identity', 'child:sensitive', 'matches:read', 'matches:review', 'reports:read',
  'alerts:read',
];
const DCPU = [
  'cases:read', 'child:identity', 'child:sensitive', 'matches:read', 'reports:read', 'institutions:write',
  'directory:write', 'alerts:read',
];
const ROLE_SCOPES = {
  police: POLICE,
  ahtu: [...POLICE, 'reports:read'],
  cci: ['cases:read', 'cases:write', 'child:identity', 'child:sensitive', 'care:write', 'matches:read', 'alerts:read'],
  cwc: CWC,
  jjb: CWC,
  dcpu: DCPU,
  scps: DCPU,
  cpsu: SCOPES.filter((s) => s !== 'care:write'),
  ngo: ['cases:read', 'matches:read'],
  legal_services: ['cases:read', 'reports:read'],
  district_admin: ['cases:read', 'reports:read', 'alerts:read'],
  state_it: ['cases:read', 'reports:read', 'directory:write'],
};

// LGD codes: state 19 = West Bengal (district 313 = Howrah), state 27 = Maharashtra. Absent = national.
const WB = '19';
const HOWRAH = '313';
const CLIENTS = [
  { client_id: 'ext-police', agency: 'police', state: WB },
  { client_id: 'ext-police-27', agency: 'police', state: '27' },
  { client_id: 'ext-ahtu', agency: 'ahtu', state: WB },
  { client_id: 'ext-cci', agency: 'cci', state: WB, district: HOWRAH },
  { client_id: 'ext-cwc', agency: 'cwc', state: WB, district: HOWRAH },
  { client_id: 'ext-jjb', agency: 'jjb', state: WB, district: HOWRAH },
  { client_id: 'ext-dcpu', agency: 'dcpu', state: WB, district: HOWRAH },
  { client_id: 'ext-scps', agency: 'scps', state: WB },
  { client_id: 'ext-cpsu', agency: 'cpsu' },
  { client_id: 'ext-ngo', agency: 'ngo', state: WB },
  { client_id: 'ext-legal_services', agency: 'legal_services', state: WB },
  { client_id: 'ext-district_admin', agency: 'district_admin', state: WB, district: HOWRAH },
  { client_id: 'ext-state_it', agency: 'state_it', state: WB },
].map((c) => ({
  token_endpoint_auth_method: 'client_secret_basic',
  client_secret: `${c.client_id}-secret`,
  ...c,
}));
const CLIENT_BY_ID = new Map(CLIENTS.map((c) => [c.client_id, c]));

const roleScopes = (clientId) => ROLE_SCOPES[CLIENT_BY_ID.get(clientId)?.agency] ?? [];

function jurisdictionClaims(clientId) {
  const c = CLIENT_BY_ID.get(clientId);
  if (!c) return {};
  const claims = { agency: c.agency, client_id: c.client_id };
  if (c.state) claims.state = c.state;
  if (c.district) claims.district = c.district;
  return claims;
}

// ---- keys ----------------------------------------------------------------------------------------------------------

function newSigningKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: `rsa-${crypto.randomBytes(6).toString('hex')}`, alg: 'RS256', use: 'sig' };
}

function loadKeys(file) {
  const jwks = JSON.parse(fs.readFileSync(file, 'utf8'));
  const keys = (jwks.keys ?? []).map((k) => ({ alg: 'RS256', use: 'sig', ...k }));
  if (!keys.length || keys[0].kty !== 'RSA' || !keys[0].d || !keys[0].kid) {
    throw new Error(`${file}: the first key must be a private RSA JWK with a kid (it signs)`);
  }
  return keys;
}

// keys[0] signs; the JWKS publishes all of them.
let keys = args.keys ? loadKeys(args.keys) : [newSigningKey()];
const currentKid = () => keys[0].kid;

// ---- provider ------------------------------------------------------------------------------------------------------

// The server listens first so that `--port 0` can pick a port before the issuer URL (which names it) is fixed.
let handle = (_req, res) => send(res, 503, { error: 'temporarily_unavailable' });
let jwksCacheControl = null;
let jwksHits = 0;
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/_test/')) {
    testRoute(req, res).catch((err) => send(res, 500, { error: 'server_error', error_description: String(err) }));
  } else {
    if (req.url.split('?')[0] === '/jwks') {
      jwksHits += 1;
      if (jwksCacheControl) res.setHeader('cache-control', jwksCacheControl);
    }
    handle(req, res);
  }
});

await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number.parseInt(args.port, 10), args.host, resolve);
});
const { port } = server.address();
const ISSUER = `http://${args.host}:${port}`;

const provider = new Provider(ISSUER, {
  clients: CLIENTS.map(({ client_id, client_secret, token_endpoint_auth_method }) => ({
    client_id,
    client_secret,
    token_endpoint_auth_method,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  })),
  jwks: { keys },
  scopes: SCOPES,
  claims: { openid: ['sub'] },
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  ttl: { ClientCredentials: TTL },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // A client-credentials request without `resource` is for the hub, so it still gets a JWT.
      defaultResource: async () => AUDIENCE,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (_ctx, resourceIndicator, client) => {
        if (resourceIndicator !== AUDIENCE) {
          throw new errors.InvalidTarget(`unknown resource server ${resourceIndicator}`);
        }
        return {
          // The scopes this client's role may hold: requested scopes outside it are dropped from the token.
          scope: roleScopes(client.clientId).join(' '),
          audience: AUDIENCE,
          accessTokenTTL: TTL,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256', kid: currentKid() } },
        };
      },
    },
  },
  extraTokenClaims: async (_ctx, token) => jurisdictionClaims(token.clientId),
});
provider.on('server_error', (_ctx, err) => console.error('server_error', err));
handle = provider.callback();

// ---- test-only routes ----------------------------------------------------------------------------------------------

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  return text ? JSON.parse(text) : {};
}

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const publicJwk = ({ kty, n, e, kid, alg, use }) => ({ kty, n, e, kid, alg, use });

function signJwt(header, payload, privateJwk) {
  const input = `${b64url(header)}.${b64url(payload)}`;
  if (!privateJwk) return `${input}.`;
  const key = crypto.createPrivateKey({ key: privateJwk, format: 'jwk' });
  return `${input}.${crypto.sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

function mint(body) {
  const clientId = body.client_id ?? 'ext-police';
  if (!CLIENT_BY_ID.has(clientId)) throw new Error(`unknown client ${clientId}`);
  const allowed = roleScopes(clientId);
  const asked = body.scope === undefined || body.scope === null ? allowed : String(body.scope).split(' ');
  const scope = asked.filter((s) => allowed.includes(s)).join(' ');
  const expiresIn = body.expires_in ?? TTL;
  const now = Math.floor(Date.now() / 1000);
  const exp = now + expiresIn;
  const iat = Math.min(now, exp - TTL);
  const payload = {
    ...jurisdictionClaims(clientId),
    jti: crypto.randomBytes(16).toString('base64url'),
    sub: clientId,
    iat,
    exp,
    scope: scope || undefined,
    client_id: clientId,
    iss: ISSUER,
    aud: body.audience ?? AUDIENCE,
  };
  for (const [name, value] of Object.entries(body.claims ?? {})) {
    if (value === null) delete payload[name];
    else payload[name] = value;
  }
  const signer = body.signer ?? 'current';
  if (signer === 'none') {
    return signJwt({ alg: 'none', typ: 'at+jwt' }, payload, null);
  }
  const header = { alg: 'RS256', typ: 'at+jwt', kid: currentKid() };
  if (signer === 'rogue') return signJwt(header, payload, newSigningKey());
  if (signer !== 'current') throw new Error(`signer must be current, rogue or none, got ${signer}`);
  return signJwt(header, payload, keys[0]);
}

async function testRoute(req, res) {
  const route = `${req.method} ${req.url.split('?')[0]}`;
  switch (route) {
    case 'GET /_test/clients':
      return send(res, 200, {
        clients: CLIENTS.map((c) => ({ ...c, scopes: roleScopes(c.client_id) })),
        scopes: SCOPES,
        audience: AUDIENCE,
      });
    case 'GET /_test/keys':
      return send(res, 200, { current: currentKid(), keys });
    case 'PUT /_test/keys': {
      const body = await readJson(req);
      const given = Array.isArray(body.keys) ? body.keys : [];
      if (given.length === 0 || !given.every((k) => k && k.kty === 'RSA' && k.d && k.kid)) {
        const description = 'keys: a non-empty list of private RSA JWKs with a kid';
        return send(res, 400, { error: 'invalid_request', error_description: description });
      }
      keys = given;
      initializeKeystore.call(provider, { keys });
      return send(res, 200, { kid: currentKid(), jwks: { keys: keys.map(publicJwk) } });
    }
    case 'POST /_test/rotate': {
      const body = await readJson(req);
      const previous = keys.map((k) => k.kid);
      const next = body.reuse_kid ? { ...newSigningKey(), kid: currentKid() } : newSigningKey();
      const kept = body.keep_old === false ? [] : keys.filter((k) => k.kid !== next.kid);
      keys = [next, ...kept];
      initializeKeystore.call(provider, { keys });
      return send(res, 200, {
        kid: currentKid(),
        previous,
        jwks: { keys: keys.map(publicJwk) },
      });
    }
    case 'POST /_test/jwks-cache': {
      const body = await readJson(req);
      jwksCacheControl = body.cache_control ?? null;
      return send(res, 200, { cache_control: jwksCacheControl });
    }
    case 'GET /_test/jwks-hits':
      return send(res, 200, { hits: jwksHits });
    case 'POST /_test/token-with': {
      const body = await readJson(req);
      try {
        return send(res, 200, { access_token: mint(body), token_type: 'Bearer' });
      } catch (err) {
        return send(res, 400, { error: 'invalid_request', error_description: err.message });
      }
    }
    default:
      return send(res, 404, { error: 'not_found' });
  }
}

function stop() {
  server.close();
  server.closeAllConnections();
  process.exit(0);
}
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, stop);
if (args['exit-with-stdin']) {
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}

process.stdout.write(`listening on ${port}\n`);

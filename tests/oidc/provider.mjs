// A real OpenID provider for Kennisbank's sign-in tests and for development:
// oidc-provider (OpenID Certified) with one registered client, its development login
// page (any login name, any password), SURFconext's claims, PKCE required, and a way to
// rotate its signing key.
//
//   node tests/oidc/provider.mjs [--port 9090] [--client-id kennisbank]
//        [--client-secret dev-secret] [--redirect-uri http://127.0.0.1:8080/aanmelden/oidc]
//
// The login name is the person: `ada@hanze.nl` signs in with `sub` `ada@hanze.nl`, that
// address as `email`, `Ada` as `name`, `hanze.nl` as `schac_home_organization` and
// `employee` as `eduperson_affiliation`. It prints `ready <issuer>` once it listens.
// `POST /_rotate` (from loopback) replaces the signing key with a new one under a new
// key id, as a provider rotating its keys does; sessions and codes survive it.
// `POST /_misbehave/MODE` (from loopback) makes the ID tokens it issues from then on
// faulty, as a broken or hostile provider's would be, for the relying party's refusals:
// `expired` (its `exp` ten minutes past), `foreign-aud` (issued to another client),
// `unknown-key` (signed by a key its JWKS does not publish); `off` issues good ones again.

import { createServer } from 'node:http';
import { createPrivateKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '9090' },
    'client-id': { type: 'string', default: 'kennisbank' },
    'client-secret': { type: 'string', default: 'dev-secret' },
    'redirect-uri': { type: 'string', default: 'http://127.0.0.1:8080/aanmelden/oidc' },
  },
});
const port = Number(args.port);
const issuer = `http://127.0.0.1:${port}`;

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' };
}

function person(login) {
  const address = String(login).trim().toLowerCase();
  const [local, domain] = address.includes('@') ? address.split('@') : [address, undefined];
  return {
    sub: address,
    email: address.includes('@') ? address : undefined,
    email_verified: address.includes('@'),
    name: local.charAt(0).toUpperCase() + local.slice(1),
    schac_home_organization: domain,
    eduperson_affiliation: ['employee'],
  };
}

// One cookie key for every provider this process makes, so a rotation keeps sessions.
const cookieKeys = [randomUUID()];

function provider(keys) {
  const p = new Provider(issuer, {
    clients: [
      {
        client_id: args['client-id'],
        client_secret: args['client-secret'],
        redirect_uris: [args['redirect-uri']],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'RS256',
      },
    ],
    jwks: { keys },
    scopes: ['openid', 'email', 'profile'],
    // SURFconext releases the institution's attributes with the standard scopes.
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'schac_home_organization', 'eduperson_affiliation'],
    },
    // The claims go into the ID token itself, as SURFconext's do, so a relying party
    // needs no userinfo call.
    conformIdTokenClaims: false,
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => person(id),
    }),
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: cookieKeys },
  });
  p.proxy = false;
  // Faulty ID tokens on request: the token as issued, changed and signed again.
  const issue = p.IdToken.prototype.issue;
  p.IdToken.prototype.issue = async function issueFaulty(options) {
    const token = await issue.call(this, options);
    if (misbehave === 'off' || options?.use !== 'idtoken') return token;
    return faulty(token, keys[0]);
  };
  return p;
}

// How issued ID tokens are made faulty: `off`, `expired`, `foreign-aud`, `unknown-key`.
let misbehave = 'off';
// A key no JWKS of this provider ever publishes.
const strangerKey = signingKey();

const base64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

function faulty(token, key) {
  const [head, body] = token.split('.');
  const header = JSON.parse(Buffer.from(head, 'base64url').toString());
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
  let signer = key;
  const now = Math.floor(Date.now() / 1000);
  if (misbehave === 'expired') {
    claims.iat = now - 1200;
    claims.exp = now - 600;
  } else if (misbehave === 'foreign-aud') {
    claims.aud = 'another-client';
  } else if (misbehave === 'unknown-key') {
    signer = strangerKey;
    header.kid = strangerKey.kid;
  }
  const input = `${base64url(header)}.${base64url(claims)}`;
  const signature = sign('sha256', Buffer.from(input), createPrivateKey({ key: signer, format: 'jwk' }));
  return `${input}.${signature.toString('base64url')}`;
}

let keys = [signingKey()];
let current = provider(keys);

const MODES = ['off', 'expired', 'foreign-aud', 'unknown-key'];

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url.startsWith('/_misbehave/')) {
    const loopback = ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress);
    const mode = req.url.slice('/_misbehave/'.length);
    if (!loopback || !MODES.includes(mode)) {
      res.writeHead(loopback ? 404 : 403).end();
      return;
    }
    misbehave = mode;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ mode }));
    return;
  }
  if (req.method === 'POST' && req.url === '/_rotate') {
    const loopback = ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress);
    if (!loopback) {
      res.writeHead(403).end();
      return;
    }
    keys = [signingKey()];
    current = provider(keys);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kid: keys[0].kid }));
    return;
  }
  current.callback()(req, res);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});

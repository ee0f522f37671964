#!/usr/bin/env node
// The console server (issue 13): serves the built console (console/dist) and is the browser's one
// origin for the kube API.
//   POST /api/login  {"kubeconfig": "<YAML>"}  → exchanges the kubeconfig's client certificate for a
//                    bearer token at the kube API (POST /k8s/clusters/<id>/edgeplane/v1/tokens);
//                    answers {token, scope: "cluster", clusterId, user, groups, expiresAt}. The same
//                    field may hold a platform credential file (kind: Credentials, as
//                    .edgeplane/credentials/admin.yaml): its certificate buys a platform token at the
//                    root (POST /edgeplane/v1/tokens) → {token, scope: "platform", clusterId: "",
//                    clusters (its OU limits; [] = all), …}. The certificate and key are used for
//                    that one request and kept nowhere.
//   /k8s/..., /apis/management.edgeplane.io/...
//                    reverse proxy to the kube API (KUBE_API_URL), passing the browser's
//                    `Authorization: Bearer` (roles are the API's), streaming both ways (watches).
//   /k8s/... Upgrade: websocket (pods/exec, the pod terminal): proxied with the same headers plus
//                    the handshake's; the token travels as the subprotocol
//                    base64url.bearer.authorization.k8s.io.<token> (never in the URL); another
//                    Origin is refused; a refusal before the upgrade reaches the browser as a
//                    channel-3 Status frame (proxyUpgrade below).
//   anything else    a file of console/dist, else index.html (client-side routes).
// Env: CONSOLE_HOST (127.0.0.1), CONSOLE_PORT (7443), KUBE_API_URL (https://127.0.0.1:6443),
// KUBE_API_CA_FILE (.edgeplane/kube-api/serving-ca.crt: the kube API's serving CA),
// CONSOLE_DIST (console/dist).
import { existsSync, readFileSync, statSync, createReadStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { parse as parseYaml } from 'yaml';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAX_LOGIN_BYTES = 256 * 1024;
const MAX_PROXY_BODY_BYTES = 4 * 1024 * 1024;
const TOKEN_SECONDS = 8 * 3600;
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};
/** The kube API's management API (clusters; platform tokens only), proxied as /k8s/ is. */
const MANAGEMENT_PATH = '/apis/management.edgeplane.io/';
/** Request headers passed to the kube API; nothing else of the browser's (no cookies). */
const PASS_REQUEST = ['authorization', 'accept', 'content-type'];
/**
 * WebSocket upgrades (pods/exec): the subprotocols passed on — the channel protocols and the
 * bearer token in Kubernetes' `base64url.bearer.authorization.k8s.io.<token>` (a browser cannot set
 * Authorization on a WebSocket); nothing else of the browser's, no cookies, no extensions.
 */
const WS_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const WS_BEARER_PREFIX = 'base64url.bearer.authorization.k8s.io.';
const MAX_WS_REFUSAL_BYTES = 64 * 1024;
/** Response headers passed back to the browser. */
const PASS_RESPONSE = ['content-type', 'cache-control', 'warning', 'audit-id'];

export function consoleConfig(env = process.env) {
  const port = Number(env.CONSOLE_PORT || 7443);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`CONSOLE_PORT: not a port: ${env.CONSOLE_PORT}`);
  const kubeApi = new URL(env.KUBE_API_URL || 'https://127.0.0.1:6443');
  if (kubeApi.protocol !== 'https:') throw new Error(`KUBE_API_URL must be https: (got ${kubeApi.href})`);
  return {
    host: env.CONSOLE_HOST || '127.0.0.1',
    port,
    kubeApi,
    caFile: path.resolve(REPO, env.KUBE_API_CA_FILE || '.edgeplane/kube-api/serving-ca.crt'),
    dist: path.resolve(REPO, env.CONSOLE_DIST || 'console/dist'),
  };
}

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(text);
}

async function readBody(req, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `the request body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The kube API's serving CA (read at each use: the kube API makes it on its first start). */
function kubeApiCa(cfg) {
  try {
    return readFileSync(cfg.caFile, 'utf8');
  } catch {
    return undefined;
  }
}

const b64 = (v, what) => {
  if (typeof v !== 'string' || v.length === 0) return undefined;
  const out = Buffer.from(v, 'base64').toString('utf8');
  if (!out.includes('-----BEGIN')) throw new HttpError(400, `the kubeconfig's ${what} is not base64 PEM`);
  return out;
};

/** The kubeconfig's current context: its server (must be this console's kube API), certificate, key. */
export function readKubeconfig(text, kubeApi) {
  let doc;
  try {
    doc = parseYaml(text, { maxAliasCount: 10 });
  } catch (error) {
    throw new HttpError(400, `the kubeconfig is not YAML: ${String(error.message).split('\n')[0]}`);
  }
  if (!doc || typeof doc !== 'object' || doc.kind !== 'Config')
    throw new HttpError(400, 'not a kubeconfig (kind: Config expected)');
  const byName = (list, name) => (Array.isArray(list) ? list.find((x) => x?.name === name) : undefined);
  const contextName = doc['current-context'] || doc.contexts?.[0]?.name;
  const context = byName(doc.contexts, contextName)?.context;
  if (!context)
    throw new HttpError(400, `the kubeconfig has no context ${JSON.stringify(contextName ?? '')}`);
  const cluster = byName(doc.clusters, context.cluster)?.cluster;
  const user = byName(doc.users, context.user)?.user;
  if (!cluster?.server)
    throw new HttpError(400, `the kubeconfig's cluster ${JSON.stringify(context.cluster)} has no server`);
  if (!user) throw new HttpError(400, `the kubeconfig has no user ${JSON.stringify(context.user)}`);
  let server;
  try {
    server = new URL(cluster.server);
  } catch {
    throw new HttpError(400, `the kubeconfig's server is not a URL: ${String(cluster.server).slice(0, 200)}`);
  }
  const m = /^\/k8s\/clusters\/([A-Za-z0-9][A-Za-z0-9._-]{0,99})\/?$/.exec(server.pathname);
  if (server.origin !== kubeApi.origin || !m)
    throw new HttpError(
      400,
      `the kubeconfig's server ${server.href} is not a cluster of this console's kube API (${kubeApi.origin}/k8s/clusters/<id>)`,
    );
  const certificate = b64(user['client-certificate-data'], 'client-certificate-data');
  const key = b64(user['client-key-data'], 'client-key-data');
  if (!certificate || !key)
    throw new HttpError(
      400,
      "the kubeconfig's user has no client-certificate-data and client-key-data (log in with a certificate kubeconfig, as `edgeplane cluster kubeconfig` prints)",
    );
  return {
    clusterId: m[1],
    certificate,
    key,
    ca: b64(cluster['certificate-authority-data'], 'certificate-authority-data'),
  };
}

function kubeRequest(cfg, { method, path: p, headers, cert, key }) {
  const ca = [kubeApiCa(cfg)].filter(Boolean);
  return https.request({
    protocol: 'https:',
    hostname: cfg.kubeApi.hostname,
    port: cfg.kubeApi.port || 443,
    method,
    path: p,
    headers,
    ca: ca.length ? ca : undefined,
    cert,
    key,
  });
}

/**
 * A platform credential file (`.edgeplane/credentials/admin.yaml`, `kind: Credentials`): its client
 * certificate (of the platform CA) and key. Undefined when the YAML is not one (then: a kubeconfig).
 */
export function readCredentials(text) {
  let doc;
  try {
    doc = parseYaml(text, { maxAliasCount: 10 });
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object' || doc.kind !== 'Credentials') return undefined;
  const problems = [];
  if (doc.apiVersion !== 'edgeplane.io/v1') problems.push('apiVersion must be edgeplane.io/v1');
  for (const k of ['certificate', 'key'])
    if (typeof doc[k] !== 'string' || !doc[k].includes('-----BEGIN'))
      problems.push(`${k}: a PEM block is required`);
  if (problems.length) throw new HttpError(400, `the credential file is not usable: ${problems.join('; ')}`);
  return { certificate: doc.certificate, key: doc.key };
}

async function login(cfg, req, res) {
  const body = await readBody(req, MAX_LOGIN_BYTES);
  let parsed;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'the login body must be JSON: {"kubeconfig": "<YAML>"}');
  }
  const text = parsed?.kubeconfig ?? parsed?.credentials;
  if (typeof text !== 'string' || text.trim() === '')
    throw new HttpError(
      400,
      'kubeconfig: required (the YAML text of a kubeconfig, or of a platform credential file, kind: Credentials)',
    );
  // a platform credential (kind: Credentials) → a platform token at the kube API's root: every
  // cluster (or those its OU names) and the management API
  const platform = readCredentials(text);
  const kc = platform ? { clusterId: '', ...platform } : readKubeconfig(text, cfg.kubeApi);
  const answer = await new Promise((resolve, reject) => {
    const up = kubeRequest(cfg, {
      method: 'POST',
      path: platform ? '/edgeplane/v1/tokens' : `/k8s/clusters/${kc.clusterId}/edgeplane/v1/tokens`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      cert: kc.certificate,
      key: kc.key,
    });
    up.setTimeout(15_000, () => up.destroy(new Error('the kube API did not answer within 15 s')));
    up.on('error', (e) =>
      reject(new HttpError(502, `cannot reach the kube API at ${cfg.kubeApi.origin}: ${e.message}`)),
    );
    up.on('response', async (r) => {
      const text = (await readBody(r, 1024 * 1024).catch(() => Buffer.alloc(0))).toString('utf8');
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (r.statusCode !== 201 && r.statusCode !== 200)
        return reject(
          new HttpError(
            r.statusCode === 401 || r.statusCode === 403 ? r.statusCode : 502,
            json?.message || `the kube API answered ${r.statusCode}`,
          ),
        );
      if (!json?.status?.token) return reject(new HttpError(502, 'the kube API answered without a token'));
      resolve(json);
    });
    up.end(JSON.stringify({ expirationSeconds: TOKEN_SECONDS }));
  });
  sendJson(res, 200, {
    token: answer.status.token,
    scope: platform ? 'platform' : 'cluster',
    clusterId: kc.clusterId,
    ...(platform ? { clusters: answer.user?.clusters ?? [] } : {}),
    user: answer.user?.username ?? '',
    groups: answer.user?.groups ?? [],
    expiresAt: answer.status.expirationTimestamp,
  });
}

function proxy(cfg, req, res) {
  const headers = {};
  for (const h of PASS_REQUEST) if (req.headers[h]) headers[h] = req.headers[h];
  const len = Number(req.headers['content-length'] || 0);
  if (len > MAX_PROXY_BODY_BYTES)
    throw new HttpError(413, `the request body is larger than ${MAX_PROXY_BODY_BYTES} bytes`);
  if (req.headers['content-length']) headers['content-length'] = req.headers['content-length'];
  const up = kubeRequest(cfg, { method: req.method, path: req.url, headers });
  up.on('response', (r) => {
    const out = {};
    for (const h of PASS_RESPONSE) if (r.headers[h]) out[h] = r.headers[h];
    out['x-content-type-options'] = 'nosniff';
    res.writeHead(r.statusCode ?? 502, out);
    res.flushHeaders();
    r.pipe(res);
  });
  up.on('error', (e) => {
    if (!res.headersSent)
      sendJson(res, 502, {
        kind: 'Status',
        status: 'Failure',
        code: 502,
        message: `cannot reach the kube API: ${e.message}`,
      });
    else res.destroy();
  });
  // a watch ends when the browser goes away
  res.on('close', () => up.destroy());
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size > MAX_PROXY_BODY_BYTES) up.destroy(new Error('request body too large'));
  });
  req.pipe(up);
}

/** The subprotocols of an upgrade the proxy passes on (channel protocols + one bearer), in order. */
export function upgradeProtocols(header) {
  const offered = String(header ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const channels = offered.filter((p) => WS_PROTOCOLS.includes(p));
  const bearer = offered.filter((p) => p.startsWith(WS_BEARER_PREFIX) && p.length <= 8192);
  if (channels.length === 0)
    throw new HttpError(400, `a WebSocket here speaks ${WS_PROTOCOLS.join(' or ')} (none offered)`);
  return [...channels, ...bearer.slice(0, 1)];
}

/**
 * The browser's WebSocket answered locally with the kube API's refusal: a browser cannot read the
 * HTTP answer of a failed handshake, so the Status goes as the channel protocol's error frame
 * (channel 3) and the socket closes — the terminal shows the API's reason in words.
 */
const refusalSockets = new WebSocketServer({
  noServer: true,
  handleProtocols: (offered) => WS_PROTOCOLS.find((p) => offered.has(p)) ?? false,
});
function refuseUpgrade(req, socket, head, status) {
  refusalSockets.handleUpgrade(req, socket, head, (ws) => {
    ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify(status))]), () => ws.close(1000));
  });
}

/**
 * `/k8s/*` WebSocket upgrades proxied to the kube API (pods/exec): the same header allowlist as
 * HTTP plus the WebSocket handshake headers; an Origin other than this server's is refused
 * (no cross-site use of a tab's token). After the kube API's 101 the bytes flow both ways untouched.
 */
function proxyUpgrade(cfg, req, socket, head) {
  const fail = (status, message) => {
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${message}\n`,
    );
  };
  socket.on('error', () => socket.destroy());
  if (req.headers.upgrade?.toLowerCase() !== 'websocket') return fail(400, 'only WebSocket upgrades');
  const origin = req.headers.origin;
  if (origin && origin !== `http://${req.headers.host}`)
    return fail(403, 'a WebSocket to the kube API is accepted from this console only');
  let protocols;
  try {
    protocols = upgradeProtocols(req.headers['sec-websocket-protocol']);
  } catch (error) {
    return fail(error.status ?? 400, error.message);
  }
  const headers = {
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-key': req.headers['sec-websocket-key'] ?? '',
    'sec-websocket-version': req.headers['sec-websocket-version'] ?? '13',
    'sec-websocket-protocol': protocols.join(', '),
  };
  for (const h of PASS_REQUEST) if (req.headers[h]) headers[h] = req.headers[h];
  const up = kubeRequest(cfg, { method: 'GET', path: req.url, headers });
  up.setTimeout(30_000, () => up.destroy(new Error('the kube API did not answer the upgrade within 30 s')));
  up.on('upgrade', (r, upSocket, upHead) => {
    up.setTimeout(0);
    const lines = [`HTTP/1.1 101 Switching Protocols`, 'upgrade: websocket', 'connection: Upgrade'];
    for (const h of ['sec-websocket-accept', 'sec-websocket-protocol'])
      if (r.headers[h]) lines.push(`${h}: ${r.headers[h]}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upHead?.length) socket.write(upHead);
    if (head?.length) upSocket.write(head);
    upSocket.on('error', () => socket.destroy());
    socket.on('close', () => upSocket.destroy());
    upSocket.on('close', () => socket.destroy());
    upSocket.pipe(socket);
    socket.pipe(upSocket);
  });
  up.on('response', async (r) => {
    // refused before the upgrade (401, 403, 404 …): its Status, read and handed over
    const text = (await readBody(r, MAX_WS_REFUSAL_BYTES).catch(() => Buffer.alloc(0))).toString('utf8');
    let status;
    try {
      status = JSON.parse(text);
    } catch {
      status = undefined;
    }
    if (!status || status.kind !== 'Status')
      status = {
        kind: 'Status',
        status: 'Failure',
        code: r.statusCode,
        message: `the kube API answered ${r.statusCode}`,
      };
    refuseUpgrade(req, socket, head, status);
  });
  up.on('error', (e) =>
    refuseUpgrade(req, socket, head, {
      kind: 'Status',
      status: 'Failure',
      code: 502,
      message: `cannot reach the kube API: ${e.message}`,
    }),
  );
  up.end();
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function serveStatic(cfg, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD')
    throw new HttpError(405, `${req.method} is not served here`);
  const url = new URL(req.url, 'http://console');
  let file = path.normalize(path.join(cfg.dist, decodeURIComponent(url.pathname)));
  if (!file.startsWith(cfg.dist + path.sep) && file !== cfg.dist) throw new HttpError(404, 'not found');
  let st = existsSync(file) ? statSync(file) : undefined;
  const asset = url.pathname.startsWith('/assets/');
  if (!st?.isFile()) {
    if (asset) throw new HttpError(404, 'not found');
    file = path.join(cfg.dist, 'index.html'); // a client-side route
    st = existsSync(file) ? statSync(file) : undefined;
    if (!st) throw new HttpError(503, 'the console is not built: run `npm run build`');
  }
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
    'content-length': st.size,
    'cache-control': asset ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).pipe(res);
}

export function createConsoleServer(cfg = consoleConfig()) {
  const server = http.createServer((req, res) => {
    const handle = async () => {
      const p = (req.url ?? '/').split('?')[0];
      if (p === '/api/login') {
        if (req.method !== 'POST') throw new HttpError(405, '/api/login takes POST');
        return login(cfg, req, res);
      }
      if (p === '/healthz') return sendJson(res, 200, { ok: true });
      if (p.startsWith('/k8s/') || p.startsWith(MANAGEMENT_PATH)) return proxy(cfg, req, res);
      return serveStatic(cfg, req, res);
    };
    handle().catch((error) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500)
        console.error(`console: ${req.method} ${req.url?.split('?')[0]}: ${error?.stack ?? error}`);
      if (res.headersSent) return res.destroy();
      sendJson(res, status, { message: status === 500 ? 'internal error' : error.message });
    });
  });
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/k8s/')) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
      return;
    }
    proxyUpgrade(cfg, req, socket, head);
  });
  return server;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cfg = consoleConfig();
  const server = createConsoleServer(cfg);
  server.listen(cfg.port, cfg.host, () => {
    const { port } = server.address();
    console.log(
      `console: http://${cfg.host}:${port}/ (kube API ${cfg.kubeApi.origin}, files ${path.relative(REPO, cfg.dist)})`,
    );
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections(); // open watches
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

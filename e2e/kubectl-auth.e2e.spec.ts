/**
 * Authorization in the kube API with the real `kubectl` (issue 12): restricted credentials from
 * `edgeplane cluster kubeconfig --user --role`, the Node authorizer for node certificates, expired
 * and foreign-CA certificates, revocation, and bearer tokens. cluster + nodepool + grid + kube-api
 * run as separate processes on real PostgreSQL, JetStream and gRPC; nodes join with a real token.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase } from '@edgeplane/eventstore';
import { eventually, testServices } from '@edgeplane/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { createJoinedCluster, planKubeApi, startKubeApi, type KubeApi } from './kube-stack.js';
import { startStack, type RunningStack } from './stack.js';

const NODES = ['bj-1', 'gz-1'];
/** the kube API's cache of verified credentials: a revocation takes effect within it */
const CACHE_SECONDS = 2;
/** the short-lived credential of the expiry case */
const SHORT_TTL_SECONDS = 60;

let stack: RunningStack;
let kubeApi: KubeApi | undefined;
const kubeApiLogs: string[] = [];
let dir = '';
let clusterId = '';
let server = '';
let adminConfig = '';
const configs: Record<string, string> = {};
let shortLivedUntil = 0;
const name = `ka-${randomBytes(3).toString('hex')}`;

function kubectl(config: string, args: string[], timeoutMs = 60_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('kubectl', ['--kubeconfig', config, ...args], {
      env: { ...process.env, HOME: dir, KUBECACHEDIR: path.join(dir, 'kube-cache') },
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function ok(config: string, args: string[]): Promise<string> {
  const r = await kubectl(config, args);
  expect(r.code, `kubectl ${args.join(' ')}: ${r.stderr}\n${kubeApiLogs.slice(-20).join('')}`).toBe(0);
  return r.stdout;
}

interface Presented {
  cert?: Buffer;
  key?: Buffer;
  token?: string;
}

function credentialOf(config: string): Presented {
  const cfg = parseYaml(readFileSync(config, 'utf8'));
  const u = cfg.users[0].user;
  return {
    cert: Buffer.from(u['client-certificate-data'], 'base64'),
    key: Buffer.from(u['client-key-data'], 'base64'),
  };
}

/** One HTTPS request to the front door with a client certificate or a bearer token. */
function call(
  method: string,
  pathAndQuery: string,
  who: Presented,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: any }> {
  const cfg = parseYaml(readFileSync(adminConfig, 'utf8'));
  const ca = Buffer.from(cfg.clusters[0].cluster['certificate-authority-data'], 'base64');
  const url = new URL(`${server}${pathAndQuery}`);
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca,
        ...(who.cert ? { cert: who.cert, key: who.key } : {}),
        headers: {
          accept: 'application/json',
          ...(who.token ? { authorization: `Bearer ${who.token}` } : {}),
          ...(text ? { 'content-type': contentType, 'content-length': Buffer.byteLength(text) } : {}),
        },
      },
      (res) => {
        let buf = '';
        res.on('data', (d) => (buf += d));
        res.on('end', () => {
          let parsed: unknown = buf;
          try {
            parsed = JSON.parse(buf);
          } catch {
            // not JSON: kept as text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (text) req.write(text);
    req.end();
  });
}

const nodeLabels = async (n: string) =>
  (await stack.cliJson<{ node: { labels: Record<string, string> } }>('node', 'get', n, '--cluster', name))
    .node.labels;

/** `edgeplane cluster kubeconfig NAME --user U --role R` into a file; its serial. */
async function issue(user: string, role: string, ...extra: string[]): Promise<string> {
  const file = path.join(dir, `${user}.kubeconfig`);
  const r = await stack.cli(
    'cluster',
    'kubeconfig',
    name,
    '--user',
    user,
    '--role',
    role,
    '--file',
    file,
    ...extra,
  );
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(new RegExp(`for user ${user}, role ${role}`));
  configs[user] = file;
  return /credential ([0-9a-f]+)/.exec(r.stdout)![1]!;
}

/** A kubeconfig like the admin's with another user entry (client certificate or token). */
function kubeconfigWith(file: string, user: Record<string, string>): string {
  const cfg = parseYaml(readFileSync(adminConfig, 'utf8'));
  cfg.users[0].user = user;
  const out = path.join(dir, file);
  writeFileSync(out, stringify(cfg), { mode: 0o600 });
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'edgeplane-kubectl-auth-'));
  const plan = await planKubeApi(dir);
  stack = await startStack(['cluster', 'nodepool', 'grid'], plan.stackEnv);
  kubeApi = await startKubeApi(stack, {
    plan,
    schemaPrefix: 'e2e_kube_api_auth',
    cacheSeconds: CACHE_SECONDS,
    logs: kubeApiLogs,
  });
  ({ clusterId, kubeconfig: adminConfig } = await createJoinedCluster(stack, {
    name,
    nodes: NODES,
    dir,
    kubeconfig: path.join(dir, 'admin.kubeconfig'),
  }));
  server = parseYaml(readFileSync(adminConfig, 'utf8')).clusters[0].cluster.server;
  // the short-lived credential first: the expiry case runs last, once it has run out
  await issue('dave', 'view', '--ttl', `${SHORT_TTL_SECONDS}s`);
  shortLivedUntil = Date.parse(
    new (await import('node:crypto')).X509Certificate(credentialOf(configs.dave!).cert!).validTo,
  );
  expect(shortLivedUntil - Date.now()).toBeLessThanOrEqual(SHORT_TTL_SECONDS * 1000);
  await ok(configs.dave!, ['get', 'nodes', '-o', 'name']);
}, 240_000);

afterAll(async () => {
  await kubeApi?.stop();
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('kubectl: roles, node certificates, revocation, tokens', () => {
  it('a view kubeconfig gets nodes, but label and cordon are Forbidden and nothing changes; edit may label', async () => {
    await issue('bob', 'view');
    const table = await ok(configs.bob!, ['get', 'nodes']);
    for (const n of NODES) expect(table).toMatch(new RegExp(`^${n}\\s`, 'm'));
    const label = await kubectl(configs.bob!, ['label', 'node', 'bj-1', 'tier=gold']);
    expect(label.code).not.toBe(0);
    expect(label.stderr).toContain(
      'Error from server (Forbidden): nodes "bj-1" is forbidden: User "bob" cannot patch resource "nodes" in API group "" at the cluster scope',
    );
    // kubectl prints the refusal of a cordon but exits 0
    const cordon = await kubectl(configs.bob!, ['cordon', 'gz-1']);
    expect(cordon.stderr).toContain(
      'unable to cordon node "gz-1": nodes "gz-1" is forbidden: User "bob" cannot patch resource "nodes"',
    );
    const unit = await kubectl(configs.bob!, ['delete', 'nodeunit', 'nope']);
    expect(unit.stderr).toMatch(
      /Forbidden.*cannot delete resource "nodeunits" in API group "site.superedge.io"/,
    );
    expect((await nodeLabels('bj-1')).tier).toBeUndefined();
    const gz = await stack.cliJson<{ node: { schedulable: boolean } }>(
      'node',
      'get',
      'gz-1',
      '--cluster',
      name,
    );
    expect(gz.node.schedulable).toBe(true);

    await issue('carol', 'edit');
    await ok(configs.carol!, ['label', 'node', 'bj-1', 'tier=gold']);
    expect((await nodeLabels('bj-1')).tier).toBe('gold');
    // the owner checked carol's role too and recorded who asked, through whom
    const db = createDatabase({ url: (await testServices()).databaseUrl, max: 1 });
    try {
      const actors = await sql<{ actor: string }>`
        SELECT metadata->>'actor' AS actor FROM ${sql.id(stack.schemas[0]!, 'events')}
        WHERE type = 'NodeLabelsChanged' AND data->>'nodeName' = 'bj-1'
        ORDER BY global_position DESC LIMIT 1`.execute(db);
      expect(actors.rows[0]?.actor).toBe('service:kube-api(on behalf of user:carol)');
    } finally {
      await db.destroy();
    }
    // the credentials are listed with their roles, without any key
    const listed = (
      await stack.cliJson<{ items: { user: string; role: string; groups: string[] }[] }>(
        'cluster',
        'credentials',
        name,
      )
    ).items;
    expect(listed.map((c) => `${c.user}/${c.role}/${c.groups.join()}`)).toEqual(
      expect.arrayContaining([
        'bob/view/edgeplane:view',
        'carol/edit/edgeplane:edit',
        'dave/view/edgeplane:view',
      ]),
    );
    expect(JSON.stringify(listed)).not.toMatch(/PRIVATE KEY/);
  });

  it("a node certificate reads its own Node and pods, not another node's pods nor all of them", async () => {
    const nodeConfig = kubeconfigWith('bj-1.kubeconfig', {
      'client-certificate-data': readFileSync(path.join(dir, 'bj-1', 'node.crt')).toString('base64'),
      'client-key-data': readFileSync(path.join(dir, 'bj-1', 'node.key')).toString('base64'),
    });
    expect((await ok(nodeConfig, ['get', 'node', 'bj-1', '-o', 'name'])).trim()).toBe('node/bj-1');
    const others = await kubectl(nodeConfig, ['get', 'pods', '-A', '--field-selector', 'spec.nodeName=gz-1']);
    expect(others.code).not.toBe(0);
    expect(others.stderr).toContain(
      `Error from server (Forbidden): pods is forbidden: User "system:node:bj-1" cannot list resource "pods" in API group "" at the cluster scope: no relationship found between node 'bj-1' and this object`,
    );
    const all = await kubectl(nodeConfig, ['get', 'pods', '-n', 'default']);
    expect(all.code).not.toBe(0);
    expect(all.stderr).toMatch(
      /Forbidden.*cannot list resource "pods" in API group "" in the namespace "default"/,
    );
    const own = await kubectl(nodeConfig, ['get', 'pods', '-A', '--field-selector', 'spec.nodeName=bj-1']);
    expect(own.code, own.stderr).toBe(0);
    const nodes = await kubectl(nodeConfig, ['get', 'nodes']);
    expect(nodes.stderr).toMatch(/Forbidden/);
    // the raw API says the same with its Status
    const raw = await call('GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dgz-1', {
      cert: readFileSync(path.join(dir, 'bj-1', 'node.crt')),
      key: readFileSync(path.join(dir, 'bj-1', 'node.key')),
    });
    expect(raw.status).toBe(403);
    expect(raw.body).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
  });

  it('a certificate of a foreign CA is refused (401), whatever groups it claims', async () => {
    const key = path.join(dir, 'mallory.key');
    const crt = path.join(dir, 'mallory.crt');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-out',
        crt,
        '-days',
        '1',
        '-subj',
        `/CN=edgeplane:admin:${clusterId}/O=system:masters`,
      ],
      { stdio: 'ignore' },
    );
    const forged = kubeconfigWith('mallory.kubeconfig', {
      'client-certificate-data': readFileSync(crt).toString('base64'),
      'client-key-data': readFileSync(key).toString('base64'),
    });
    const r = await kubectl(forged, ['get', 'nodes']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Unauthorized/);
    const raw = await call('GET', '/api/v1/nodes', { cert: readFileSync(crt), key: readFileSync(key) });
    expect(raw.status).toBe(401);
    // nor can it get a token
    const t = await call(
      'POST',
      '/edgeplane/v1/tokens',
      { cert: readFileSync(crt), key: readFileSync(key) },
      {},
    );
    expect(t.status).toBe(401);
  });

  it('a revoked credential is refused within the cache window; the others keep working', async () => {
    const serial = await issue('eve', 'edit');
    await ok(configs.eve!, ['get', 'nodes', '-o', 'name']);
    const revoked = await stack.cli('cluster', 'revoke-credential', name, '--serial', serial);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`credential/${serial} of eve (edit) revoked`);
    const at = Date.now();
    await eventually(
      async () => {
        const r = await kubectl(configs.eve!, ['get', 'nodes']);
        expect(`${Date.now() - at} ms: ${r.code} ${r.stdout.slice(0, 100)} ${r.stderr}`).toMatch(
          /Unauthorized/,
        );
        return true;
      },
      (CACHE_SECONDS + 5) * 1000,
      250,
    );
    expect(Date.now() - at).toBeLessThan((CACHE_SECONDS + 5) * 1000);
    await ok(configs.carol!, ['get', 'nodes', '-o', 'name']);
    const listed = (await stack.cliJson<{ items: { user: string }[] }>('cluster', 'credentials', name)).items;
    expect(listed.map((c) => c.user)).not.toContain('eve');
  });

  it("a bearer token carries the credential's role; kubectl uses it; revoking the credential stops it", async () => {
    await issue('frank', 'view');
    const cert = credentialOf(configs.frank!);
    const t = await call('POST', '/edgeplane/v1/tokens', cert, { expirationSeconds: 600 });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    expect(t.body).toMatchObject({
      kind: 'TokenRequest',
      user: { username: 'frank', groups: ['edgeplane:view'] },
    });
    const token = t.body.status.token as string;
    expect(Date.parse(t.body.status.expirationTimestamp) - Date.now()).toBeLessThanOrEqual(600_000);
    const list = await call('GET', '/api/v1/nodes', { token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((n: { metadata: { name: string } }) => n.metadata.name).sort()).toEqual(NODES);
    const patch = await call(
      'PATCH',
      '/api/v1/nodes/gz-1',
      { token },
      { metadata: { labels: { by: 'token' } } },
      'application/merge-patch+json',
    );
    expect(patch.status).toBe(403);
    expect(patch.body.message).toContain('User "frank" cannot patch resource "nodes"');
    // kubectl with the token in its kubeconfig
    const tokenConfig = kubeconfigWith('frank-token.kubeconfig', { token });
    expect(await ok(tokenConfig, ['get', 'nodes', '-o', 'name'])).toContain('node/gz-1');
    const label = await kubectl(tokenConfig, ['label', 'node', 'gz-1', 'by=token']);
    expect(label.stderr).toMatch(/Forbidden/);
    expect((await nodeLabels('gz-1')).by).toBeUndefined();
    // bound to its cluster, not exchangeable, not forgeable
    expect((await call('GET', '/api/v1/nodes', { token: `${token.slice(0, -2)}xx` })).status).toBe(401);
    expect((await call('POST', '/edgeplane/v1/tokens', { token }, {})).status).toBe(403);
    const elsewhere = server.replace(clusterId, 'cls-someother');
    const foreign = await new Promise<number>((resolve, reject) => {
      const cfg = parseYaml(readFileSync(adminConfig, 'utf8'));
      https
        .get(
          `${elsewhere}/api/v1/nodes`,
          {
            ca: Buffer.from(cfg.clusters[0].cluster['certificate-authority-data'], 'base64'),
            headers: { authorization: `Bearer ${token}` },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
        .on('error', reject);
    });
    expect(foreign).toBe(401);
    // revoking frank's credential ends the token too
    expect((await stack.cli('cluster', 'revoke-credential', name, '--user', 'frank')).code).toBe(0);
    await eventually(
      async () => expect((await call('GET', '/api/v1/nodes', { token })).status).toBe(401),
      (CACHE_SECONDS + 5) * 1000,
      250,
    );
    const after = await kubectl(tokenConfig, ['get', 'nodes']);
    expect(after.stderr).toMatch(/Unauthorized/);
  });

  it('the admin kubeconfig still rotates: the old one is refused, the new one works', async () => {
    const rotated = path.join(dir, 'admin-rotated.kubeconfig');
    const r = await stack.cli('cluster', 'rotate-kubeconfig', name, '--file', rotated);
    expect(r.code, r.stderr).toBe(0);
    await ok(rotated, ['get', 'nodes', '-o', 'name']);
    await eventually(
      async () => expect((await kubectl(adminConfig, ['get', 'nodes'])).stderr).toMatch(/Unauthorized/),
      (CACHE_SECONDS + 5) * 1000,
      250,
    );
    adminConfig = rotated;
  });

  it('an expired certificate is refused (401)', async () => {
    const wait = shortLivedUntil + 1500 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const r = await kubectl(configs.dave!, ['get', 'nodes']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Unauthorized/);
    const raw = await call('GET', '/api/v1/nodes', credentialOf(configs.dave!));
    expect(raw.status).toBe(401);
    expect(raw.body.message).toMatch(/expired/);
  }, 120_000);
});

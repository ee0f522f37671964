import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { busSubject } from '@edgeplane/contracts';
import { caHashOf, downloadBundle, fetchPinnedGatewayCa, JoinError, redeemJoinToken } from '@edgeplane/edge';
import { createNodeCsr } from '@edgeplane/k8s';
import { freePort, testServices } from '@edgeplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterApi } from './fixtures/cluster-api.js';
import { unpinnedCa } from './fixtures/stack.js';
import {
  dropSchemas,
  restartService,
  startService,
  testSchema,
  type ServiceProc,
} from './fixtures/processes.js';

/**
 * The join endpoint as nodes use it: the cluster and tunnel services as real processes on
 * 127.0.0.1, a real join token, the gateway CA pinned by hash.
 */
describe('join over HTTPS, CA-pinned', () => {
  const schemas = [testSchema('t_tun_join_cluster'), testSchema('t_tun_join_tunnel')];
  let cluster: ServiceProc;
  let tunnel: ServiceProc;
  let api: ReturnType<typeof clusterApi>;
  let nc: NatsConnection;
  const published: { caHash: string; servingKeyPin: string; caCertPem: string }[] = [];
  let server: string;
  let mine: () => { caHash: string; servingKeyPin: string; caCertPem: string }[] = () => [];
  let agentFile: string;
  let caPem: string;
  let clusterId: string;
  let tokenText: string;

  beforeAll(async () => {
    const { natsUrl } = await testServices();
    nc = await connect({ servers: natsUrl });
    nc.subscribe(busSubject('edgeplane.tunnel.gateway-ca.published'), {
      callback: (_e, m) => {
        const env = m.json<{ data: { caHash: string; servingKeyPin: string; caCertPem: string } }>();
        published.push(env.data);
      },
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'tunnel-join-'));
    agentFile = path.join(dir, 'agent.mjs');
    writeFileSync(agentFile, '#!/usr/bin/env node\nconsole.log("agent")\n');
    cluster = await startService('cluster', schemas[0]!);
    const joinPort = await freePort();
    server = `https://127.0.0.1:${joinPort}`;
    tunnel = await startService('tunnel', schemas[1]!, {
      TUNNEL_JOIN_PORT: String(joinPort),
      TUNNEL_PORT: String(await freePort()),
      TUNNEL_PEER_PORT: String(await freePort()),
      TUNNEL_HOST: '127.0.0.1',
      TUNNEL_CLUSTER_ADDR: cluster.grpcAddress,
      TUNNEL_EDGECTL_PATH: path.join(dir, 'missing-edgectl.mjs'),
      TUNNEL_AGENT_PATH: agentFile,
    });
    api = clusterApi(cluster.grpcAddress);
    const created = await api.createCluster(`tjoin-${Date.now().toString(36)}`);
    clusterId = created.id;
    tokenText = (await api.createToken(clusterId)).tokenSecretText;
  });

  afterAll(async () => {
    api?.close();
    await tunnel?.stop();
    await cluster?.stop();
    await nc?.close();
    await dropSchemas(schemas);
  });

  it('publishes the gateway CA once, with the hash nodes pin and the serving key pin curl checks', async () => {
    // other tunnel instances may publish theirs on the same subject: ours is the one about the CA it serves
    const served = caHashOf(await unpinnedCa(server));
    mine = () => published.filter((e) => e.caHash === served);
    await expect.poll(() => mine().length, { timeout: 10_000 }).toBe(1);
    const event = mine()[0]!;
    caPem = await fetchPinnedGatewayCa(server, event.caHash);
    expect(caPem).toBe(event.caCertPem);
    expect(caHashOf(caPem)).toBe(event.caHash);
    // The key the server presents is the pinned serving key (curl --pinnedpubkey sha256//…).
    const peer = await servingCertificate(server);
    const spki = peer.publicKey.export({ type: 'spki', format: 'der' });
    const { createHash } = await import('node:crypto');
    expect(`sha256//${createHash('sha256').update(spki).digest('base64')}`).toBe(event.servingKeyPin);
  });

  it('refuses a CA whose hash is not the pinned one', async () => {
    const wrong = `sha256:${'0'.repeat(64)}`;
    const error = await fetchPinnedGatewayCa(server, wrong).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JoinError);
    expect((error as JoinError).code).toBe('CA_HASH_MISMATCH');
  });

  it('redeems a real token: the node certificate is signed by the cluster CA from a CSR made here', async () => {
    const csr = await createNodeCsr('edge-a');
    const identity = await redeemJoinToken(server, caPem, {
      token: tokenText,
      nodeName: 'edge-a',
      csrPem: csr.csrPem,
      arch: 'x86_64',
      os: 'Debian 12',
      interface: 'eth0',
      ips: ['127.0.0.2'],
    });
    expect(identity.clusterId).toBe(clusterId);
    expect(identity.nodeName).toBe('edge-a');
    expect(identity.tunnelAddress).toBe(`127.0.0.1:${tunnel.env.TUNNEL_PORT}`);
    const cert = new X509Certificate(identity.certificatePem);
    expect(cert.subject).toContain('CN=system:node:edge-a');
    expect(cert.checkIssued(new X509Certificate(identity.caCertificatePem))).toBe(true);
  });

  it("maps the cluster service's refusals to HTTP errors naming the field", async () => {
    const csr = await createNodeCsr('edge-b');
    const body = {
      token: tokenText,
      nodeName: 'edge-b',
      csrPem: csr.csrPem,
      arch: 'x86_64',
      os: 'Debian 12',
      interface: 'eth0',
      ips: ['127.0.0.3'],
    };
    const refused = (patch: Record<string, unknown>) =>
      redeemJoinToken(server, caPem, { ...body, ...patch }).then(
        () => {
          throw new Error('expected a refusal');
        },
        (e: JoinError) => ({ status: e.httpStatus, code: e.code, field: e.field, message: e.message }),
      );
    expect(await refused({ token: 'nope.secret' })).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await refused({ nodeName: 'Bad_Name' })).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
    const other = await createNodeCsr('someone-else');
    expect(await refused({ csrPem: other.csrPem })).toMatchObject({
      status: 400,
      code: 'INVALID_ARGUMENT',
      field: 'csrPem',
    });
    // a second node with a present node's name is refused, never replaces it
    expect(
      await refused({ nodeName: 'edge-a', csrPem: (await createNodeCsr('edge-a')).csrPem }),
    ).toMatchObject({
      status: 409,
      code: 'ALREADY_EXISTS',
    });
  });

  it('bounds every input before the cluster service sees it', async () => {
    const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      raw(server, caPem, 'POST', '/v1/join/redeem', body, headers);
    const ok = {
      token: 't.s',
      nodeName: 'n',
      csrPem: '-----BEGIN CERTIFICATE REQUEST-----',
      arch: 'x',
      os: 'o',
      interface: 'i',
      ips: [],
    };
    let r = await post(JSON.stringify({ ...ok, nodeName: 'n'.repeat(300) }));
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'nodeName' });
    r = await post(JSON.stringify({ ...ok, ips: Array.from({ length: 17 }, () => '10.0.0.1') }));
    expect(r.json.error).toMatchObject({ field: 'ips' });
    r = await post(JSON.stringify({ ...ok, extra: 1 }));
    expect(r.json.error).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'extra' });
    const { token: _t, ...noToken } = ok;
    r = await post(JSON.stringify(noToken));
    expect(r.json.error).toMatchObject({ field: 'token' });
    r = await post(JSON.stringify({ ...ok, padding: 'x'.repeat(70_000) }));
    expect(r.status).toBe(413);
    r = await post('{not json');
    expect(r.status).toBe(400);
    r = await post(JSON.stringify(ok), { 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
  });

  it('serves the agent bundle, and says clearly when edgectl is not built yet', async () => {
    const agent = await downloadBundle(server, caPem, 'agent');
    expect(agent.toString()).toContain('#!/usr/bin/env node');
    const error = (await downloadBundle(server, caPem, 'edgectl').catch((e: unknown) => e)) as JoinError;
    expect(error.httpStatus).toBe(404);
    expect(error.message).toMatch(/edgectl bundle is not built yet/);
  });

  it('keeps the same CA across a restart (no second GatewayCaPublished)', async () => {
    await tunnel.stop();
    tunnel = await restartService(tunnel, 'tunnel');
    expect(await fetchPinnedGatewayCa(server, mine()[0]!.caHash)).toBe(caPem);
    await new Promise((r) => setTimeout(r, 500));
    expect(mine()).toHaveLength(1);
  });
});

function servingCertificate(server: string): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${server}/v1/join/ca`, { rejectUnauthorized: false, agent: false }, (res) => {
      resolve(new X509Certificate((res.socket as TLSSocket).getPeerCertificate().raw));
      res.resume();
    });
    req.on('error', reject);
    req.end();
  });
}

function raw(
  server: string,
  ca: string,
  method: string,
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; json: { error: { code: string; field: string | null } } }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${server}${url}`, { method, ca, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(parts).toString()) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

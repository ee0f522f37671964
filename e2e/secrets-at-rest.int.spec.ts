import { createHash, randomBytes } from 'node:crypto';
import https from 'node:https';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busSubject, decodeEnvelope, streamName, STREAMS } from '@edgeplane/contracts';
import { redeemJoinToken } from '@edgeplane/edge';
import { createDatabase } from '@edgeplane/eventstore';
import { createNodeCsr } from '@edgeplane/k8s';
import type { Bus } from '@edgeplane/messaging';
import {
  bootstrapService,
  generateKekEntry,
  parseKeyring,
  SealedSecretSchema,
  type RunningService,
  type ServiceDefinition,
} from '@edgeplane/service-kit';
import { eventually, freePort, testBus, testServices, uniqueName } from '@edgeplane/testing';
import {
  clusterServiceDefinition,
  formatJoinToken,
  generateTokenSecret,
  hashTokenSecret,
} from '../services/cluster/src/index.js';
import { clusterApi } from '../services/cluster/test/grpc-client.js';
import { tunnelService } from '../services/tunnel/src/service.js';

/**
 * Secrets at rest and off the bus (issue 12): the cluster and tunnel services in-process on real
 * PostgreSQL, JetStream and gRPC, a node joining through the tunnel's join endpoint. Private keys
 * are sealed under the key-encryption key (envelope encryption) and JoinTokenCreated@v2 carries no
 * install script; KEK rotation, a v1 event with scripts in clear, and starts with a missing,
 * unknown or wrong KEK are played through restarts on the same schemas.
 */
describe('secrets at rest: sealed private keys, install scripts off the bus, KEK rotation', () => {
  const k1 = generateKekEntry('k1');
  const k2 = generateKekEntry('k2');
  const k2Impostor = `k2:${randomBytes(32).toString('base64')}`;
  const PRE = 'export SITE_PASSWORD=pre-s3cret\n';
  const POST = 'echo post-s3cret-done\n';
  const clusterLogical = uniqueName('sec_cluster').slice(0, 40);
  const tunnelLogical = uniqueName('sec_tunnel').slice(0, 40);
  const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  let base: Record<string, string>;
  let clusterSvc: RunningService<never> | undefined;
  let tunnelSvc: RunningService<never> | undefined;
  let api: ReturnType<typeof clusterApi>;
  let bus: Bus;
  let joinUrl: string;
  let gatewayCaPem: string;
  let clusterId: string;
  let tokenText: string;
  let tokenId: string;
  const ports: Record<string, string> = {};

  const bootCluster = async (kek: string) =>
    (await bootstrapService(
      {
        ...(clusterServiceDefinition() as ServiceDefinition<never>),
        schema: clusterLogical,
      },
      { ...base, GRPC_PORT: ports.clusterGrpc!, EDGEPLANE_KEK: kek, EDGEPLANE_KEK_FILE: '' },
    )) as RunningService<never>;
  const bootTunnel = async (kek: string) =>
    (await bootstrapService(
      { ...(tunnelService as ServiceDefinition<never>), schema: tunnelLogical },
      {
        ...base,
        GRPC_PORT: String(await freePort()),
        TUNNEL_HOST: '127.0.0.1',
        TUNNEL_JOIN_PORT: ports.join!,
        TUNNEL_PORT: String(await freePort()),
        TUNNEL_PEER_PORT: String(await freePort()),
        TUNNEL_REPLICA_ID: `sec-${tunnelLogical}`.slice(0, 60),
        TUNNEL_CLUSTER_ADDR: `127.0.0.1:${ports.clusterGrpc}`,
        EDGEPLANE_KEK: kek,
        EDGEPLANE_KEK_FILE: '',
      },
    )) as RunningService<never>;
  const clusterSchema = () => clusterSvc!.store.schema;
  const tunnelSchema = () => tunnelSvc!.store.schema;
  const rows = async (db: RunningService<never>['db'], schema: string, table: string) =>
    (
      await sql<{
        row: Record<string, unknown>;
      }>`SELECT to_jsonb(t) AS row FROM ${sql.id(schema, table)} t`.execute(db)
    ).rows.map((r) => r.row);

  const join = async (token: string, nodeName: string) => {
    const csr = await createNodeCsr(nodeName);
    return eventually(
      () =>
        redeemJoinToken(joinUrl, gatewayCaPem, {
          token,
          nodeName,
          csrPem: csr.csrPem,
          arch: 'x86_64',
          os: 'Debian 12',
          interface: 'lo',
          ips: ['127.0.0.1'],
        }),
      60_000,
      500,
    );
  };
  /** The last JoinTokenCreated message in the JetStream stream, raw, once it is the given token's. */
  const publishedTokenCreated = async (id: string): Promise<string> =>
    (await eventually(async () => {
      const m = await bus.jsm.streams.getMessage(streamName(STREAMS.CLUSTER.name), {
        last_by_subj: busSubject('edgeplane.cluster.join-token.created'),
      });
      if (!m) return undefined;
      const raw = new TextDecoder().decode(m.data);
      return decodeEnvelope(raw).streamId === `join-token-${id}` ? raw : undefined;
    }, 20_000))!;

  beforeAll(async () => {
    const { databaseUrl, natsUrl } = await testServices();
    bus = await testBus();
    base = {
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      GRPC_HOST: '127.0.0.1',
      METRICS_PORT: '0',
      LOG_LEVEL: 'fatal',
      CONSUMER_START: 'new',
    };
    ports.clusterGrpc = String(await freePort());
    ports.join = String(await freePort());
    joinUrl = `https://127.0.0.1:${ports.join}`;
    clusterSvc = await bootCluster(k1);
    tunnelSvc = await bootTunnel(k1);
    api = clusterApi(`127.0.0.1:${ports.clusterGrpc}`);
    const cluster = await api.clusters('CreateCluster', {
      name: `sec-${randomBytes(3).toString('hex')}`,
      kubernetesVersion: '1.22.5',
      runtime: 'containerd',
      region: 'ap-guangzhou',
      vpcCidr: '10.0.0.0/16',
      podCidr: '172.16.0.0/16',
      serviceCidr: '172.17.0.0/20',
    });
    clusterId = cluster.id;
    await api.clusters('SetAccess', { cluster: { id: clusterId }, publicAccess: true });
    const t = await api.tokens('CreateJoinToken', {
      cluster: { id: clusterId },
      preInstallScript: PRE,
      postInstallScript: POST,
    });
    tokenText = t.tokenSecretText;
    tokenId = t.token.id;
    gatewayCaPem = await new Promise<string>((resolve, reject) =>
      https
        .get(`${joinUrl}/v1/join/ca`, { rejectUnauthorized: false, agent: false }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => resolve(Buffer.concat(parts).toString()));
        })
        .on('error', reject),
    );
  }, 180_000);

  afterAll(async () => {
    api?.close();
    const schemas = [clusterSvc?.store.schema, tunnelSvc?.store.schema];
    for (const svc of [tunnelSvc, clusterSvc]) await svc?.stop().catch(() => undefined);
    await bus?.close();
    const db = createDatabase({ url: (await testServices()).databaseUrl, max: 1 });
    for (const schema of schemas)
      if (schema)
        await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db).catch(() => undefined);
    await db.destroy();
  });

  it('SELECT on every key table shows no plaintext private key; the ciphertext opens only with the right KEK', async () => {
    const right = parseKeyring(k1, 'test');
    const impostor = parseKeyring(`k1:${randomBytes(32).toString('base64')}`, 'test');
    const keyRows = await rows(clusterSvc!.db, clusterSchema(), 'cluster_keys');
    const gatewayRows = await rows(tunnelSvc!.db, tunnelSchema(), 'gateway_keys');
    const scriptRows = await rows(clusterSvc!.db, clusterSchema(), 'join_token_scripts');
    expect(keyRows.length).toBe(1);
    expect(gatewayRows.length).toBe(1);
    expect(scriptRows.map((r) => r.kind).sort()).toEqual(['post', 'pre']);
    for (const row of [...keyRows, ...gatewayRows, ...scriptRows]) {
      const text = JSON.stringify(row);
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain('s3cret');
    }
    const [keys] = keyRows;
    expect(keys).toMatchObject({ ca_key_pem: null, admin_key_pem: null });
    const ca = SealedSecretSchema.parse(keys!.ca_key_sealed);
    expect(ca.kek).toBe('k1');
    expect(right.open(ca, `cluster_keys/${clusterId}/ca_key`)).toContain('-----BEGIN PRIVATE KEY-----');
    expect(() => impostor.open(ca, `cluster_keys/${clusterId}/ca_key`)).toThrow(/different key/);
    expect(() => right.open(ca, `cluster_keys/${clusterId}/admin_key`)).toThrow(/does not decrypt/);
    const [gateway] = gatewayRows;
    expect(gateway).toMatchObject({ ca_key_pem: null, serving_key_pem: null });
    expect(
      right.open(SealedSecretSchema.parse(gateway!.serving_key_sealed), 'gateway_keys/gateway/serving_key'),
    ).toContain('PRIVATE KEY');
    const pre = scriptRows.find((r) => r.kind === 'pre')!;
    expect(right.open(SealedSecretSchema.parse(pre.script_sealed), `join_token_scripts/${tokenId}/pre`)).toBe(
      PRE,
    );
  });

  it('JoinTokenCreated in the stream carries no script text, only SHA-256 and size; a node redeeming the token receives the scripts', async () => {
    const raw = await publishedTokenCreated(tokenId);
    expect(raw).not.toContain('s3cret');
    const published = decodeEnvelope(raw);
    expect(published.version).toBe(2);
    expect(published.data).toMatchObject({
      preInstallScript: { sha256: sha(PRE), bytes: Buffer.byteLength(PRE) },
      postInstallScript: { sha256: sha(POST), bytes: Buffer.byteLength(POST) },
    });
    const logged = await sql<{ data: string }>`
      SELECT data::text AS data FROM ${sql.id(clusterSchema(), 'events')} WHERE type = 'JoinTokenCreated'`.execute(
      clusterSvc!.db,
    );
    expect(logged.rows.length).toBe(1);
    expect(logged.rows[0]!.data).not.toContain('s3cret');
    const identity = await join(tokenText, 'edge-a');
    expect(identity.preInstallScript).toBe(PRE);
    expect(identity.postInstallScript).toBe(POST);
  });

  it('a JoinTokenCreated@v1 with scripts in clear is published as v2, its scripts reach the sealed store at the next start; a KEK rotation re-wraps every record and leftover plaintext is sealed', async () => {
    // what a version before v2 recorded: the scripts in the event itself
    const oldId = randomBytes(5).toString('hex');
    const secret = generateTokenSecret();
    const now = new Date();
    await clusterSvc!.store.append(
      `join-token-${oldId}`,
      0,
      [
        {
          type: 'JoinTokenCreated',
          version: 1,
          data: {
            tokenId: oldId,
            clusterId,
            secretHash: hashTokenSecret(secret),
            ttlSeconds: 3600,
            expiresAt: new Date(now.getTime() + 3600_000).toISOString(),
            containerDir: '/var/lib/containerd',
            preInstallScript: 'echo v1-s3cret\n',
            postInstallScript: null,
            createdAt: now.toISOString(),
          },
        },
      ],
      { metadata: { actor: 'test' } },
    );
    const raw = await publishedTokenCreated(oldId);
    expect(raw).not.toContain('v1-s3cret');
    expect(decodeEnvelope(raw).version).toBe(2);

    // a key row as a version before sealing left it: the admin key in plaintext
    const q = sql.id(clusterSchema(), 'cluster_keys');
    const before = (await rows(clusterSvc!.db, clusterSchema(), 'cluster_keys'))[0]!;
    const adminPem = parseKeyring(k1, 'test').open(
      SealedSecretSchema.parse(before.admin_key_sealed),
      `cluster_keys/${clusterId}/admin_key`,
    );
    await sql`UPDATE ${q} SET admin_key_pem = ${adminPem}, admin_key_sealed = NULL`.execute(clusterSvc!.db);

    await clusterSvc!.stop();
    clusterSvc = await bootCluster(`${k2}\n${k1}`); // rotation: the new key first, the old one after it
    const after = (await rows(clusterSvc.db, clusterSchema(), 'cluster_keys'))[0]!;
    expect(JSON.stringify(after)).not.toContain('PRIVATE KEY');
    expect(after.admin_key_pem).toBeNull();
    const ca = SealedSecretSchema.parse(after.ca_key_sealed);
    expect(ca.kek).toBe('k2');
    expect(ca.ct).toBe(SealedSecretSchema.parse(before.ca_key_sealed).ct); // re-wrapped, not re-encrypted
    expect(SealedSecretSchema.parse(after.admin_key_sealed).kek).toBe('k2');
    const scripts = await rows(clusterSvc.db, clusterSchema(), 'join_token_scripts');
    expect(scripts.map((r) => `${r.token_id}/${r.kind}`).sort()).toEqual(
      [`${oldId}/pre`, `${tokenId}/post`, `${tokenId}/pre`].sort(),
    );
    expect(scripts.every((r) => SealedSecretSchema.parse(r.script_sealed).kek === 'k2')).toBe(true);
    expect(JSON.stringify(scripts)).not.toContain('s3cret');

    // the read models rebuild from position 0 over the v1 event
    await clusterSvc.store.rebuildProjections();
    await clusterSvc.store.rebuildProjections();
    const listed = await api.tokens('ListJoinTokens', { cluster: { id: clusterId } });
    expect(listed.tokens.find((t: { id: string }) => t.id === oldId)).toMatchObject({
      hasPreInstallScript: true,
      hasPostInstallScript: false,
    });
    const identity = await join(formatJoinToken(oldId, secret), 'edge-v1');
    expect(identity.preInstallScript).toBe('echo v1-s3cret\n');
  });

  it('after rotation the old KEK can go; a missing, unknown or wrong KEK fails the start with a clear message', async () => {
    await clusterSvc!.stop();
    clusterSvc = await bootCluster(k2);
    // the CA key (signing) and the scripts open under k2 alone
    const identity = await join(tokenText, 'edge-b');
    expect(identity.preInstallScript).toBe(PRE);
    await clusterSvc.stop();
    clusterSvc = undefined;

    await expect(bootCluster('')).rejects.toThrow(/EDGEPLANE_KEK: no key-encryption key configured/);
    await expect(bootCluster(k1)).rejects.toThrow(/key-encryption key "k2", which is not configured/);
    await expect(bootCluster(k2Impostor)).rejects.toThrow(/"k2" does not open .* a different key/);

    // the tunnel's gateway keys: sealed under k1, so k2 alone is refused, k2 + k1 re-wraps them
    await tunnelSvc!.stop();
    tunnelSvc = undefined;
    await expect(bootTunnel(k2)).rejects.toThrow(/key-encryption key "k1", which is not configured/);
    tunnelSvc = await bootTunnel(`${k2},${k1}`);
    const gateway = (await rows(tunnelSvc.db, tunnelSchema(), 'gateway_keys'))[0]!;
    expect(SealedSecretSchema.parse(gateway.ca_key_sealed).kek).toBe('k2');
    expect(SealedSecretSchema.parse(gateway.serving_key_sealed).kek).toBe('k2');
    clusterSvc = await bootCluster(k2);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  bucketName,
  busSubject,
  currentEnvironment,
  durableName,
  NodeMembershipChanged,
  NodeVerdictChanged,
  signalSubject,
  streamName,
  STREAMS,
} from '@edgeplane/contracts';
import {
  connectBus,
  ensureStream,
  isPermissionViolation,
  type Bus,
  type BusCredentials,
} from '@edgeplane/messaging';
import { createDatabase } from '@edgeplane/eventstore';
import { bootstrapService, type RunningService } from '@edgeplane/service-kit';
import { listDeadLetters } from '../libs/service-kit/src/admin/dead-letters.js';
import {
  clusterCreated,
  eventually,
  freePort,
  membershipChanged,
  nodeJoined,
  publishEvent,
  publishHeartbeat,
  publishProbeReport,
  testServices,
  uniqueName,
  uniqueSchema,
} from '@edgeplane/testing';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { createUser } from '@nats-io/nkeys';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthArbiterService } from '../services/health-arbiter/src/service.js';
import { provisionBuckets, subscriberDurable, writeNatsAuth, type BusUser } from '../scripts/nats-auth.mjs';
import { startNatsCluster, type NatsCluster } from '../scripts/nats-cluster.mjs';

/**
 * The bus closed (issue 12): a real nats-server run with the authorization the stack generates
 * (scripts/nats-auth.mjs: one NKEY user per service, per-subject rights), the streams provisioned
 * by its admin user as the stack does. Forgeries seen in the attack — a heartbeat or probe report
 * from anyone but the tunnel gateway, a NodeVerdictChanged or NodeMembershipChanged from anyone
 * but its emitter — are refused by the server (a permission violation told to the client and in
 * the server's log) and nothing lands in a stream; the rightful credentials still work, proven
 * with a real health-arbiter whose consumers, lease bucket and relay run on its own credential.
 */
describe('the bus closed: NATS refuses what a credential may not publish', () => {
  const env = currentEnvironment();
  const dir = mkdtempSync(path.join(tmpdir(), 'edgeplane-bus-forgery-'));
  const serverLog: string[] = [];
  const buses: Bus[] = [];
  let nats: NatsCluster;
  let users: Record<string, BusUser>;
  let admin: Bus;

  const credentialsOf = (user: string): BusCredentials => ({
    nkeySeedFile: users[user]!.seedFile,
    inboxPrefix: users[user]!.inboxPrefix,
  });
  const as = async (user: string): Promise<Bus> => {
    const bus = await connectBus({
      url: nats.url,
      name: `forgery-${user}`,
      credentials: credentialsOf(user),
    });
    buses.push(bus);
    return bus;
  };
  const lastSeq = async (key: keyof typeof STREAMS) =>
    (await admin.jsm.streams.info(streamName(STREAMS[key].name))).state.last_seq;
  /** the server's log lines refusing `user` a publish/subscribe of `subject` */
  const refusals = (user: string, kind: 'Publish' | 'Subscription', subject?: string) =>
    serverLog.filter(
      (l) =>
        l.includes(`${kind} Violation`) &&
        l.includes(`"${users[user]!.publicKey}"`) &&
        (subject === undefined || l.includes(`Subject "${subject}"`)),
    );
  const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

  beforeAll(async () => {
    const auth = await writeNatsAuth({
      dir,
      env,
      // the subscriber's read rights: these public events (the stack takes PUBLIC_EVENTS)
      declarations: { streams: STREAMS, publicSubjects: [NodeVerdictChanged.subject] },
    });
    users = auth.users;
    nats = await startNatsCluster({
      nodes: 1,
      standalone: true,
      clientPort: await freePort(),
      dir: path.join(dir, 'server'),
      authFile: auth.configFile,
      admin: users.admin,
      onStderrLine: (line) => serverLog.push(line),
    });
    admin = await as('admin');
    for (const decl of Object.values(STREAMS)) await ensureStream(admin.jsm, decl);
    await provisionBuckets(admin.nc, { env });
  });

  afterAll(async () => {
    for (const bus of buses) await bus.close().catch(() => undefined);
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets in no client without a credential, with an unknown NKEY or with a guessed password', async () => {
    await expect(connectBus({ url: nats.url, credentials: {} })).rejects.toThrow(/Authorization Violation/);
    const stranger = path.join(dir, 'stranger.nk');
    writeFileSync(stranger, new TextDecoder().decode(createUser().getSeed()), { mode: 0o600 });
    await expect(connectBus({ url: nats.url, credentials: { nkeySeedFile: stranger } })).rejects.toThrow(
      /Authorization Violation/,
    );
    await expect(
      connectBus({ url: nats.url, credentials: { user: 'tunnel', password: 'tunnel' } }),
    ).rejects.toThrow(/Authorization Violation/);
    await eventually(() => serverLog.filter((l) => l.includes('authentication error')).length >= 3, 5000);
  });

  it('refuses heartbeats and probe reports from every credential but the tunnel gateway’s, which may send them', async () => {
    const clusterId = uniqueName('cid').replace(/_/g, '-');
    const before = await lastSeq('SIGNALS');
    const heartbeat = signalSubject('heartbeat', clusterId);
    for (const user of [
      'cluster',
      'nodepool',
      'grid',
      'health-arbiter',
      'addons',
      'kube-api',
      'subscriber',
    ]) {
      const bus = await as(user);
      // with a PubAck wait: the client is told
      const refused = await bus.js
        .publish(heartbeat, json({ clusterId, node: 'n1' }))
        .catch((e: unknown) => e);
      expect(isPermissionViolation(refused), `${user}: ${String(refused)}`).toBe(true);
      // the gateway's way (no PubAck): the server refuses and logs it
      publishHeartbeat(bus, clusterId, 'n1');
      publishProbeReport(bus, clusterId, 'n1', { n2: false });
      await bus.nc.flush();
      await eventually(() => refusals(user, 'Publish', signalSubject('probe', clusterId)).length > 0, 5000);
      expect(refusals(user, 'Publish', heartbeat).length).toBe(2);
    }
    expect(await lastSeq('SIGNALS')).toBe(before);

    const tunnel = await as('tunnel');
    publishHeartbeat(tunnel, clusterId, 'n1');
    publishProbeReport(tunnel, clusterId, 'n1', { n2: true });
    await tunnel.nc.flush();
    await eventually(async () => (await lastSeq('SIGNALS')) === before + 2, 5000);
    expect(refusals('tunnel', 'Publish')).toEqual([]);
  });

  it('refuses a NodeVerdictChanged from anyone but the arbiter and a NodeMembershipChanged from anyone but nodepool', async () => {
    const verdict = busSubject(NodeVerdictChanged.subject);
    const membership = busSubject(NodeMembershipChanged.subject);
    const health = await lastSeq('HEALTH');
    const nodepool = await lastSeq('NODEPOOL');
    const forged = { type: 'NodeVerdictChanged', data: { verdict: 'NotReadyNoExecute', node: 'n1' } };
    for (const user of ['cluster', 'nodepool', 'grid', 'tunnel', 'addons', 'kube-api', 'subscriber']) {
      const bus = await as(user);
      const refused = await bus.js.publish(verdict, json(forged)).catch((e: unknown) => e);
      expect(isPermissionViolation(refused), `${user}: ${String(refused)}`).toBe(true);
    }
    for (const user of ['cluster', 'grid', 'health-arbiter', 'tunnel', 'addons', 'kube-api', 'subscriber']) {
      const bus = await as(user);
      const body = json({ type: 'NodeMembershipChanged', data: { labels: { pwned: 'true' } } });
      const refused = await bus.js.publish(membership, body).catch((e: unknown) => e);
      expect(isPermissionViolation(refused), `${user}: ${String(refused)}`).toBe(true);
    }
    expect(await lastSeq('HEALTH')).toBe(health);
    expect(await lastSeq('NODEPOOL')).toBe(nodepool);

    // nor can a service bend a stream to carry what it may publish elsewhere, or read one it does not
    const np = await as('nodepool');
    const update = await np.jsm.streams
      .update(streamName(STREAMS.HEALTH.name), { subjects: [busSubject('edgeplane.health.>')] })
      .catch((e: unknown) => e);
    expect(isPermissionViolation(update)).toBe(true);
    const create = await np.jsm.streams
      .add({ name: streamName('FORGED'), subjects: [busSubject('edgeplane.nodepool.forged.>')] })
      .catch((e: unknown) => e);
    expect(isPermissionViolation(create)).toBe(true);
    const peek = await np.jsm.streams.info(streamName(STREAMS.SIGNALS.name)).catch((e: unknown) => e);
    expect(isPermissionViolation(peek)).toBe(true);
    // a KV bucket is a stream too: its users read and write it, they cannot reconfigure it
    for (const [user, bucket] of [
      ['tunnel', 'tunnel_routes'],
      ['health-arbiter', 'health_partition_leases'],
    ] as const) {
      const bus = await as(user);
      const kv = `KV_${bucketName(bucket)}`;
      expect((await bus.jsm.streams.info(kv)).config.name).toBe(kv);
      const bend = await bus.jsm.streams
        .update(kv, { subjects: [`$KV.${bucketName(bucket)}.>`], max_age: 0 })
        .catch((e: unknown) => e);
      expect(isPermissionViolation(bend), `${user}: ${String(bend)}`).toBe(true);
    }
  });

  it('the subscriber reads the public events and nothing else, and publishes nothing', async () => {
    const sub = await as('subscriber');
    const seen: string[] = [];
    const refused: unknown[] = [];
    const callback = (err: Error | null, m: { subject: string }): void => {
      if (err) refused.push(err);
      else seen.push(m.subject);
    };
    const publicSub = sub.nc.subscribe(busSubject(NodeVerdictChanged.subject), { callback });
    // internal events, and every reply on the bus (_INBOX.>), are out of its reach
    const internalSub = sub.nc.subscribe(busSubject('edgeplane.cluster.>'), { callback });
    const inboxSub = sub.nc.subscribe('_INBOX.>', { callback });
    await sub.nc.flush();
    await eventually(() => refused.length === 2, 5000);
    expect(refused.every((e) => isPermissionViolation(e))).toBe(true);
    expect(internalSub.isClosed() && inboxSub.isClosed()).toBe(true);
    // and the server says so in its log (written a moment later)
    await eventually(
      () =>
        refusals('subscriber', 'Subscription', busSubject('edgeplane.cluster.>')).length === 1 &&
        refusals('subscriber', 'Subscription', '_INBOX.>').length === 1,
      5000,
    );

    const arbiter = await as('health-arbiter');
    await arbiter.js.publish(busSubject(NodeVerdictChanged.subject), json({ probe: 1 }));
    const cluster = await as('cluster');
    await cluster.js.publish(busSubject('edgeplane.cluster.join-token.created'), json({ probe: 2 }));
    await eventually(() => seen.length > 0, 5000);
    await sub.nc.flush();
    expect(seen).toEqual([busSubject(NodeVerdictChanged.subject)]);

    for (const subject of [
      busSubject(NodeVerdictChanged.subject),
      signalSubject('heartbeat', 'c1'),
      busSubject('edgeplane.dlq.cluster__reactors'),
      `$JS.API.CONSUMER.CREATE.${streamName(STREAMS.CLUSTER.name)}`,
    ]) {
      const refused = await sub.js.publish(subject, json({ forged: true })).catch((e: unknown) => e);
      expect(isPermissionViolation(refused), `${subject}: ${String(refused)}`).toBe(true);
    }
    publicSub.unsubscribe();
    internalSub.unsubscribe();
    inboxSub.unsubscribe();

    // its own durable on a public subject: created, read (the event published above), acked
    const health = streamName(STREAMS.HEALTH.name);
    const durable = subscriberDurable('subscriber', NodeVerdictChanged.subject, env);
    const config = {
      durable_name: durable,
      filter_subject: busSubject(NodeVerdictChanged.subject),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
    };
    await sub.jsm.consumers.add(health, config);
    const batch = await (
      await sub.js.consumers.get(health, durable)
    ).fetch({ max_messages: 10, expires: 2000 });
    const read: unknown[] = [];
    for await (const m of batch) {
      read.push(m.json());
      m.ack();
    }
    expect(read).toEqual([{ probe: 1 }]);
    await eventually(
      async () => (await admin.jsm.consumers.info(health, durable)).ack_floor.stream_seq > 0,
      5000,
    );
    // but not with a wider filter (internal events), nor a consumer under another name
    const wider = await sub.jsm.consumers
      .add(health, { ...config, filter_subject: busSubject('edgeplane.health.>') })
      .catch((e: unknown) => e);
    expect(isPermissionViolation(wider), String(wider)).toBe(true);
    const other = await sub.jsm.consumers
      .add(health, { ...config, durable_name: durableName('cluster__health-verdicts') })
      .catch((e: unknown) => e);
    expect(isPermissionViolation(other), String(other)).toBe(true);
    const steal = await sub.jsm.consumers
      .info(health, durableName('cluster__health-verdicts'))
      .catch((e: unknown) => e);
    expect(isPermissionViolation(steal), String(steal)).toBe(true);
  });

  it('a real health-arbiter on its own credential: the gateway’s heartbeats make a verdict its relay publishes; forged ones make none', async () => {
    const { databaseUrl } = await testServices();
    const schema = uniqueSchema('t_busforge');
    const clusterId = uniqueName('cid').replace(/_/g, '-');
    const svc = (await bootstrapService(
      { ...healthArbiterService, schema },
      {
        DATABASE_URL: databaseUrl,
        NATS_URL: nats.url,
        ...users['health-arbiter']!.env,
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: String(await freePort()),
        METRICS_PORT: String(await freePort()),
        LOG_LEVEL: 'warn',
        CONSUMER_START: 'new',
        HEALTH_TICK_MS: '250',
      },
    )) as RunningService;
    const subscriber = await as('subscriber');
    const verdicts: { node: string; verdict: string }[] = [];
    subscriber.nc.subscribe(busSubject(NodeVerdictChanged.subject), {
      callback: (_e, m) => {
        const { data } = m.json<{ data: { clusterId: string; node: string; verdict: string } }>();
        if (data.clusterId === clusterId) verdicts.push({ node: data.node, verdict: data.verdict });
      },
    });
    const cluster = await as('cluster');
    const nodepool = await as('nodepool');
    const tunnel = await as('tunnel');
    let timer: NodeJS.Timeout | undefined;
    try {
      await publishEvent(
        cluster,
        'ClusterCreated',
        `cluster-${clusterId}`,
        clusterCreated(clusterId, clusterId),
      );
      for (const node of ['n1', 'n2']) {
        await publishEvent(cluster, 'NodeJoined', `node-${clusterId}-${node}`, nodeJoined(clusterId, node));
        await publishEvent(
          nodepool,
          'NodeMembershipChanged',
          `nodemembership:${clusterId}:${node}`,
          membershipChanged(clusterId, node, ['unit-node-all']),
        );
      }
      timer = setInterval(() => {
        publishHeartbeat(tunnel, clusterId, 'n1'); // the gateway's credential
        publishHeartbeat(nodepool, clusterId, 'n2'); // a forger's: refused by the server
      }, 300);
      await eventually(() => verdicts.some((v) => v.node === 'n1' && v.verdict === 'Ready'), 30_000, 100);
      // a few more evaluation ticks: n2's forged heartbeats never made it Ready
      await new Promise((r) => setTimeout(r, 1500));
      expect(verdicts.filter((v) => v.node === 'n2' && v.verdict === 'Ready')).toEqual([]);
      expect(refusals('nodepool', 'Publish', signalSubject('heartbeat', clusterId)).length).toBeGreaterThan(
        0,
      );
      // the verdict came through the arbiter's relay (its event store) on the arbiter's credential
      const stored = await svc.db
        .withSchema(schema)
        .selectFrom('events')
        .select('type')
        .where('type', '=', 'NodeVerdictChanged')
        .execute();
      expect(stored.length).toBeGreaterThan(0);
      // a message its consumer cannot read goes to the dead letters on its own credential, and its
      // admin service lists them (DLQ stream info, an ordered consumer, deleted after)
      await cluster.js.publish(busSubject('edgeplane.cluster.cluster.created'), json({ not: 'an envelope' }));
      const letters = await eventually(async () => {
        const page = await listDeadLetters(svc.bus, { pageSize: 10, after: 0 });
        return page.items.length > 0 ? page.items : undefined;
      }, 15_000);
      expect(letters?.[0]).toMatchObject({ originalSubject: 'edgeplane.cluster.cluster.created' });
      // and on its whole way (streams, durable consumers, lease bucket, signal replay, dead letters)
      // the server refused the arbiter nothing
      const ofService = (lines: string[]) => lines.filter((l) => l.includes('nats.js:health-arbiter"'));
      expect(ofService(refusals('health-arbiter', 'Publish'))).toEqual([]);
      expect(ofService(refusals('health-arbiter', 'Subscription'))).toEqual([]);
      expect(serverLog.some((l) => l.includes('nats.js:health-arbiter"'))).toBe(false);
    } finally {
      clearInterval(timer);
      await svc.stop();
      const db = createDatabase({ url: databaseUrl, max: 1 });
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db).catch(() => undefined);
      await db.destroy();
    }
  });
});

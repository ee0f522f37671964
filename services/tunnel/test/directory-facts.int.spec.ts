import { eventStoreMigrations, type Trx } from '@edgeplane/eventstore';
import { createLogger } from '@edgeplane/observability';
import { freshSchema, type TestDatabase } from '@edgeplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tunnelMigrations } from '../src/db/migrations.js';
import { createGatewayCa } from '../src/gateway-ca/gateway-pki.js';
import { Directory } from '../src/gateway/directory.js';
import {
  allClusters,
  clusterCreated,
  nodeFacts,
  nodesOfCluster,
  remoteLoginChanged,
  setUnits,
  switchUnitCheck,
} from '../src/read-model/directory.queries.js';

/**
 * Replicas share the consumers' durables, so one aggregate's events may be applied by two
 * replicas in either order. The directory's facts must come out the same whatever the order,
 * and a redelivery must change nothing.
 */
describe('directory facts are order-independent', () => {
  let t: TestDatabase;
  const ca = '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n';

  beforeAll(async () => {
    t = await freshSchema('tun_facts', (s) => ({ ...eventStoreMigrations(s), ...tunnelMigrations(s) }));
  });
  afterAll(() => t?.drop());

  const inTrx = (work: (trx: Trx) => Promise<void>) => t.db.transaction().execute(work);

  // node stream: 1 NodeJoined, 2 NodeCredentialIssued, 3 NodeRemoved, 4 NodeJoined (rejoin), 5 NodeCredentialIssued
  const history = [
    { presence: { present: true, ips: ['10.0.0.1'], pos: 1 }, credential: { serial: null, pos: 1 } },
    { credential: { serial: 'AA01', pos: 2 } },
    { presence: { present: false, pos: 3 }, credential: { serial: null, pos: 3 } },
    { presence: { present: true, ips: ['10.0.0.9'], pos: 4 }, credential: { serial: null, pos: 4 } },
    { credential: { serial: 'BB02', pos: 5 } },
  ];

  async function apply(node: string, order: number[]) {
    for (const i of order)
      await inTrx((trx) => nodeFacts(trx, t.schema, { clusterId: 'cls-f', node, ...history[i]! }));
    return (await nodesOfCluster(t.db, t.schema, 'cls-f', [node]))[0];
  }

  it('gives the same node facts in order, reversed, shuffled and replayed', async () => {
    const expected = { present: true, ips: ['10.0.0.9'], credential_serial: 'bb02' };
    expect(await apply('in-order', [0, 1, 2, 3, 4])).toMatchObject(expected);
    expect(await apply('reversed', [4, 3, 2, 1, 0])).toMatchObject(expected);
    expect(await apply('shuffled', [1, 4, 0, 3, 2])).toMatchObject(expected);
    expect(await apply('replayed', [0, 1, 2, 3, 4, 0, 1, 2, 3, 4])).toMatchObject(expected);
    // credential issued before its join arrived (the race two replicas produced)
    expect(await apply('cred-first', [1, 0])).toMatchObject({ present: true, credential_serial: 'aa01' });
  });

  it('keeps the newest remote-login switch, and a cluster made by a later event waits for its CA', async () => {
    await inTrx((trx) => remoteLoginChanged(trx, t.schema, { clusterId: 'cls-r', enabled: false, pos: 3 }));
    let row = (await allClusters(t.db, t.schema)).find((c) => c.cluster_id === 'cls-r')!;
    expect(row.ca_cert_pem).toBeNull();
    await inTrx((trx) => remoteLoginChanged(trx, t.schema, { clusterId: 'cls-r', enabled: true, pos: 2 }));
    await inTrx((trx) =>
      clusterCreated(trx, t.schema, {
        clusterId: 'cls-r',
        name: 'r',
        caCertPem: ca,
        remoteLogin: true,
        pos: 1,
      }),
    );
    row = (await allClusters(t.db, t.schema)).find((c) => c.cluster_id === 'cls-r')!;
    expect(row).toMatchObject({ name: 'r', ca_cert_pem: ca, remote_login: false });
  });

  it('keeps the newest unit layer and each unit switch by its own position', async () => {
    await inTrx((trx) => setUnits(trx, t.schema, { clusterId: 'cls-u', node: 'n', units: ['b'], pos: 2 }));
    await inTrx((trx) => setUnits(trx, t.schema, { clusterId: 'cls-u', node: 'n', units: ['a'], pos: 1 }));
    expect((await nodesOfCluster(t.db, t.schema, 'cls-u'))[0]!.units).toEqual(['b']);
    await inTrx((trx) =>
      switchUnitCheck(trx, t.schema, { clusterId: 'cls-u', unit: 'x', enabled: true, pos: 5 }),
    );
    await inTrx((trx) =>
      switchUnitCheck(trx, t.schema, { clusterId: 'cls-u', unit: 'x', enabled: false, pos: 4 }),
    );
    await inTrx((trx) =>
      switchUnitCheck(trx, t.schema, { clusterId: 'cls-u', unit: 'y', enabled: false, pos: 6 }),
    );
    await inTrx((trx) =>
      clusterCreated(trx, t.schema, {
        clusterId: 'cls-u',
        name: 'u',
        caCertPem: ca,
        remoteLogin: false,
        pos: 1,
      }),
    );
    const row = (await allClusters(t.db, t.schema)).find((c) => c.cluster_id === 'cls-u')!;
    expect(row.unit_switches).toEqual({ x: { enabled: true, pos: 5 }, y: { enabled: false, pos: 6 } });
  });
});

describe('the gateway directory', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshSchema('tun_dir', (s) => ({ ...eventStoreMigrations(s), ...tunnelMigrations(s) }));
  });
  afterAll(() => t?.drop());

  it('loads despite a cluster whose CA cannot be read (a test helper on the shared bus publishes one), and does not trust it', async () => {
    const good = (await createGatewayCa(new Date())).certPem;
    await t.db.transaction().execute(async (trx) => {
      await clusterCreated(trx, t.schema, {
        clusterId: 'cls-good',
        name: 'good',
        caCertPem: good,
        remoteLogin: false,
        pos: 1,
      });
      await clusterCreated(trx, t.schema, {
        clusterId: 'cls-fake',
        name: 'fake',
        caCertPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
        remoteLogin: false,
        pos: 1,
      });
    });
    const directory = new Directory(t.db, t.schema, t.databaseUrl, createLogger('test', 'silent'), 51005);
    await directory.start();
    try {
      expect(directory.resolveCluster('good')?.id).toBe('cls-good');
      expect(directory.resolveCluster('fake')).toBeUndefined();
      expect(directory.trustedCas()).toEqual([good]);
    } finally {
      await directory.stop();
    }
  });
});

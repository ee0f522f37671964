import { catalogue, STREAMS } from '@edgeplane/contracts';
import { describe, expect, it } from 'vitest';
import { addonsService } from '../services/addons/src/service.js';
import { clusterService } from '../services/cluster/src/service.js';
import { gridService } from '../services/grid/src/service.js';
import { healthArbiterService } from '../services/health-arbiter/src/service.js';
import { kubeApiService } from '../services/kube-api/src/service.js';
import { nodepoolService } from '../services/nodepool/src/service.js';
import { tunnelService } from '../services/tunnel/src/service.js';
import { busPermissions, SERVICE_USERS } from '../scripts/nats-auth.mjs';

/**
 * The closed bus's rights table (scripts/nats-auth.mjs) against what the services declare: a
 * service whose definition names a stream its NATS user may not read would fail its start on a
 * closed bus; an event subject granted to anyone but its emitter would let it forge.
 */
const declarations = { streams: STREAMS, publicSubjects: ['edgeplane.health.node.verdict-changed'] };
const definitions = [
  addonsService,
  clusterService,
  gridService,
  healthArbiterService,
  kubeApiService,
  nodepoolService,
  tunnelService,
];
/** `edgeplane.<x>.>` of every stream but the dead letters: whose publishers are the relays and the gateway */
const eventSpaces = Object.entries(STREAMS)
  .filter(([key]) => key !== 'DEAD_LETTER')
  .map(([key, s]) => ({ key, prefix: s.subjects[0]!.replace(/>$/, '') }));

describe('bus rights (scripts/nats-auth.mjs)', () => {
  it('every service has a user that may read each stream its definition declares', () => {
    const rights = busPermissions({ declarations });
    for (const def of definitions) {
      const allowed = rights[def.name]?.publish.allow;
      expect(allowed, `no bus user for ${def.name}`).toBeDefined();
      for (const stream of [...(def.streams ?? []), STREAMS.DEAD_LETTER]) {
        expect(allowed, `${def.name} reads ${stream.name}`).toContain(`$JS.API.STREAM.INFO.${stream.name}`);
        expect(allowed, `${def.name} consumes ${stream.name}`).toContain(
          `$JS.API.CONSUMER.MSG.NEXT.${stream.name}.*`,
        );
      }
    }
  });

  it('grants an event or signal subject only to its emitter: the relay of its service, signals to the tunnel', () => {
    const rights = busPermissions({ declarations });
    for (const [user, r] of Object.entries(rights)) {
      if (user === 'admin') continue;
      const mine = new Set(SERVICE_USERS[user]?.publishes ?? []);
      for (const { key, prefix } of eventSpaces) {
        const granted = r.publish.allow.filter(
          (s) => s.startsWith(prefix) || s === '>' || s === 'edgeplane.>',
        );
        expect(granted, `${user} on ${key}`).toEqual(mine.has(key) ? [`${prefix}>`] : []);
      }
      // nobody but admin creates, changes or deletes a stream, KV buckets included (a stream's
      // republish could forge)
      expect(
        r.publish.allow.filter((s) => /^\$JS\.API\.STREAM\.(CREATE|UPDATE|DELETE|PURGE)\./.test(s)),
      ).toEqual([]);
      expect(r.subscribe.allow.filter((s) => s.startsWith('_INBOX'))).toEqual([`_INBOX_${user}.>`]);
    }
    expect(rights.tunnel!.publish.allow).toContain('edgeplane.signal.>');
    // the subscriber publishes no subject; on the JetStream API only its own durable per public subject
    const durable = 'subscriber__health-node-verdict-changed';
    expect(rights.subscriber!.publish.allow.filter((s) => !s.startsWith('$JS.'))).toEqual([]);
    expect(rights.subscriber!.publish.allow).toContain(
      `$JS.API.CONSUMER.CREATE.EDGEPLANE_HEALTH.${durable}.edgeplane.health.node.verdict-changed`,
    );
    expect(rights.subscriber!.publish.allow).toContain(
      `$JS.API.CONSUMER.MSG.NEXT.EDGEPLANE_HEALTH.${durable}`,
    );
    expect(rights.subscriber!.publish.allow.filter((s) => s.includes('*') || s.includes('>'))).toEqual([
      `$JS.ACK.EDGEPLANE_HEALTH.${durable}.>`,
    ]);
    expect(rights.subscriber!.subscribe.allow).toEqual([
      'edgeplane.health.node.verdict-changed',
      '_INBOX_subscriber.>',
    ]);
  });

  it('lets the emitter of every catalogue event publish it (its relay would be refused otherwise)', () => {
    const rights = busPermissions({ declarations });
    const covers = (grant: string, subject: string) =>
      grant.endsWith('.>') ? subject.startsWith(grant.slice(0, -1)) : grant === subject;
    for (const def of catalogue.all()) {
      const allowed = rights[def.emitter]?.publish.allow ?? [];
      expect(
        allowed.some((g) => covers(g, def.subject)),
        `${def.type} (${def.subject}) by ${def.emitter}`,
      ).toBe(true);
    }
  });

  it('puts every subject, stream and bucket of an environment under its prefix', () => {
    const rights = busPermissions({ env: 'dev-1', declarations });
    expect(rights.nodepool!.publish.allow).toContain('dev-1.edgeplane.nodepool.>');
    expect(rights.nodepool!.publish.allow).not.toContain('edgeplane.nodepool.>');
    expect(rights.nodepool!.publish.allow).toContain('$JS.API.STREAM.INFO.dev-1_EDGEPLANE_CLUSTER');
    expect(rights.tunnel!.publish.allow).toContain('dev-1.edgeplane.signal.>');
    expect(rights.tunnel!.publish.allow).toContain('$KV.dev-1_tunnel_routes.>');
    expect(rights['health-arbiter']!.publish.allow).toContain(
      '$JS.API.STREAM.INFO.KV_dev-1_health_partition_leases',
    );
    expect(rights.subscriber!.subscribe.allow).toContain('dev-1.edgeplane.health.node.verdict-changed');
    expect(() => busPermissions({ env: 'Bad Env', declarations })).toThrow(/not a valid EDGEPLANE_ENV/);
  });
});

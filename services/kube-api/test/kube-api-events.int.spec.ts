/**
 * The event history reader (src/events/event-history.ts) on real JetStream: envelopes published
 * into this file's own environment's streams (EDGEPLANE_ENV, as the services' relays publish them),
 * read back as Kubernetes Events — the merge of four streams, paging, the per-page scan bound,
 * field selectors, get by name, the watch from a position and its 410 after a purge.
 */
import { randomUUID } from 'node:crypto';
import { busSubject, catalogue, streamName, validateEventData } from '@edgeplane/contracts';
import type { Bus } from '@edgeplane/messaging';
import { testBus } from '@edgeplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventHistory } from '../src/events/event-history.js';
import { parseEventSelector } from '../src/events/event-selector.js';
import type { RequestContext } from '../src/resources/resource.js';

let bus: Bus;
const CLUSTER = `c-${randomUUID().slice(0, 8)}`;
const OTHER = `c-${randomUUID().slice(0, 8)}`;
let t0 = Date.now() - 60_000;

/** Publishes one catalogue event as the relays do (the envelope on its subject). */
async function publish(type: string, data: Record<string, unknown>): Promise<number> {
  const def = catalogue.get(type, 1);
  validateEventData(type, 1, data);
  const envelope = {
    id: randomUUID(),
    type,
    version: 1,
    streamId: `${type}-${randomUUID()}`,
    streamPosition: 1,
    globalPosition: 1,
    occurredAt: new Date((t0 += 1000)).toISOString(),
    data,
    metadata: { actor: 'tester' },
  };
  const ack = await bus.js.publish(busSubject(def.subject), JSON.stringify(envelope));
  return ack.seq;
}

const labels = (clusterId: string, node: string, k: string) =>
  publish('NodeLabelsChanged', {
    clusterId,
    nodeName: node,
    set: { [k]: 'x' },
    removed: [],
    changedAt: new Date().toISOString(),
  });
const unit = (clusterId: string, name: string, nodes: string[]) =>
  publish('NodeUnitCreated', {
    clusterId,
    name,
    type: 'edge',
    nodes,
    allNodes: false,
    setNode: { labels: {}, annotations: {}, taints: [] },
    labels: {},
    default: false,
    at: new Date().toISOString(),
  });
const eviction = (clusterId: string, node: string) =>
  publish('NodeEvictionRequested', {
    clusterId,
    node,
    rule: 'peers-confirm-down',
    reason: 'the cloud lost it and 2 of 3 peers confirm it down',
    at: new Date().toISOString(),
  });
const gridDeleted = (clusterId: string, name: string) =>
  publish('GridDeleted', { clusterId, name, kind: 'ServiceGrid', at: new Date().toISOString() });

function ctx(history: EventHistory, rv: string, namespace?: string): RequestContext {
  return {
    clusterId: CLUSTER,
    kubernetesVersion: '1.22.5',
    runtime: 'containerd',
    identity: { kind: 'user', user: 'tester', groups: ['system:masters'], via: 'certificate' } as never,
    // no grid service: the events published here name their grid's kind, nothing is looked up
    upstream: undefined as never,
    resourceVersion: rv,
    now: new Date(),
    bus,
    ...(namespace !== undefined ? { namespace } : {}),
  };
}

async function listAll(history: EventHistory, selector = '', limit = 500) {
  const rv = await history.position();
  const names: string[] = [];
  let token = '';
  let pages = 0;
  do {
    const page = await history.list(ctx(history, rv), parseEventSelector(selector, Date.now()), limit, token);
    names.push(...page.items.map((e) => `${e.reason}/${(e.involvedObject as { name: string }).name}`));
    token = page.continueToken ?? '';
    pages++;
  } while (token && pages < 200);
  return { names, pages };
}

beforeAll(async () => {
  bus = await testBus();
  // interleaved over four streams, plus another cluster's events in between
  await labels(CLUSTER, 'bj-1', 'a'); // 1
  await unit(CLUSTER, 'beijing', ['bj-1', 'bj-2']); // 2
  await labels(OTHER, 'bj-1', 'other');
  await eviction(CLUSTER, 'bj-2'); // 3
  await gridDeleted(CLUSTER, 'edge-svc'); // 4
  await labels(CLUSTER, 'gz-1', 'b'); // 5
  for (let i = 0; i < 30; i++) await labels(OTHER, 'x', `k${i}`);
  await unit(CLUSTER, 'guangzhou', ['gz-1']); // 6
}, 60_000);

afterAll(async () => {
  await bus?.close();
});

describe('event history on JetStream', () => {
  it('merges the four streams newest first; pages hold every event once, across streams', async () => {
    const history = new EventHistory(bus);
    const all = await listAll(history);
    expect(all.names).toEqual([
      'NodeUnitCreated/guangzhou',
      'NodeLabelsChanged/gz-1',
      'GridDeleted/edge-svc',
      'NodeEvictionRequested/bj-2',
      'NodeUnitCreated/beijing',
      'NodeLabelsChanged/bj-1',
    ]);
    const paged = await listAll(history, '', 2);
    expect(paged.names).toEqual(all.names);
    expect(paged.pages).toBe(3);
  });

  it('a page reads at most scanMax messages per stream, then answers what it has and where to go on', async () => {
    // 30 of another cluster's events sit between gz-1's label and the guangzhou unit
    const history = new EventHistory(bus, { windowSeconds: 3600, scanMax: 5 });
    const rv = await history.position();
    const first = await history.list(ctx(history, rv), parseEventSelector('', Date.now()), 500, '');
    expect(first.continueToken).toBeTruthy();
    const all = await listAll(history);
    expect(all.names).toEqual([
      'NodeUnitCreated/guangzhou',
      'NodeLabelsChanged/gz-1',
      'GridDeleted/edge-svc',
      'NodeEvictionRequested/bj-2',
      'NodeUnitCreated/beijing',
      'NodeLabelsChanged/bj-1',
    ]);
    expect(all.pages).toBeGreaterThan(1);
  });

  it('field selectors: kind, node scope, unit, grid, type, namespace; Warnings', async () => {
    const history = new EventHistory(bus);
    expect((await listAll(history, 'involvedObject.kind=NodeUnit')).names).toEqual([
      'NodeUnitCreated/guangzhou',
      'NodeUnitCreated/beijing',
    ]);
    // bj-2: its eviction and the unit it joined
    expect((await listAll(history, 'edgeplane.io/node=bj-2')).names).toEqual([
      'NodeEvictionRequested/bj-2',
      'NodeUnitCreated/beijing',
    ]);
    expect((await listAll(history, 'edgeplane.io/unit=guangzhou')).names).toEqual([
      'NodeUnitCreated/guangzhou',
    ]);
    expect((await listAll(history, 'edgeplane.io/grid=edge-svc')).names).toEqual(['GridDeleted/edge-svc']);
    expect((await listAll(history, 'type=Warning')).names).toEqual(['NodeEvictionRequested/bj-2']);
    expect((await listAll(history, 'source=health-arbiter')).names).toEqual(['NodeEvictionRequested/bj-2']);

    const rv = await history.position();
    const page = await history.list(
      ctx(history, rv),
      parseEventSelector('reason=GridDeleted', Date.now()),
      10,
      '',
    );
    expect(page.items[0]).toMatchObject({
      involvedObject: {
        kind: 'ServiceGrid',
        name: 'edge-svc',
        namespace: 'default',
        apiVersion: 'superedge.io/v1',
      },
      type: 'Normal',
      message: 'ServiceGrid edge-svc deleted',
      source: { component: 'grid' },
      metadata: { annotations: { 'edgeplane.io/actor': 'tester' } },
    });
    // get by name reads that one message back; in another namespace it is not there
    const name = page.items[0]!.metadata.name;
    expect((await history.get(ctx(history, rv), name)).message).toBe('ServiceGrid edge-svc deleted');
    await expect(history.get(ctx(history, rv, 'kube-system'), name)).rejects.toMatchObject({ code: 404 });
    // another cluster's event at a real position is not this cluster's
    const otherSeq = await labels(OTHER, 'bj-1', 'late');
    await expect(history.get(ctx(history, rv), `bj-1.c${otherSeq.toString(16)}`)).rejects.toMatchObject({
      code: 404,
    });
  });

  it('watch from a position: what follows, this cluster only, each with a position to resume from; 410 once purged', async () => {
    const history = new EventHistory(bus);
    const rv = await history.position();
    const abort = new AbortController();
    const events = await history.watch(
      ctx(history, rv),
      parseEventSelector('', Date.now()),
      rv,
      abort.signal,
    );
    const seen: { reason: string; rv: string }[] = [];
    const reading = (async () => {
      for await (const e of events) {
        seen.push({
          reason: `${e.object.reason}/${(e.object.involvedObject as { name: string }).name}`,
          rv: e.object.metadata.resourceVersion as string,
        });
        if (seen.length === 3) abort.abort();
      }
    })();
    await labels(OTHER, 'bj-1', 'ignored');
    await labels(CLUSTER, 'bj-1', 'w1');
    await eviction(CLUSTER, 'gz-1');
    await unit(CLUSTER, 'shanghai', []);
    await reading;
    expect(seen.map((s) => s.reason).sort()).toEqual(
      ['NodeEvictionRequested/gz-1', 'NodeLabelsChanged/bj-1', 'NodeUnitCreated/shanghai'].sort(),
    );
    // resuming from the first delivered event's position gives the other two, not it again
    const again = new AbortController();
    const resumed = await history.watch(
      ctx(history, rv),
      parseEventSelector('', Date.now()),
      seen[0]!.rv,
      again.signal,
    );
    const later: string[] = [];
    for await (const e of resumed) {
      later.push(`${e.object.reason}/${(e.object.involvedObject as { name: string }).name}`);
      if (later.length === 2) again.abort();
    }
    expect(later.sort()).toEqual(
      seen
        .slice(1)
        .map((s) => s.reason)
        .sort(),
    );

    // the cluster stream purged: the position is gone (410: the client lists again)
    await bus.jsm.streams.purge(streamName('EDGEPLANE_CLUSTER'));
    await expect(
      history.watch(ctx(history, rv), parseEventSelector('', Date.now()), rv, new AbortController().signal),
    ).rejects.toMatchObject({ code: 410, reason: 'Expired' });
  });
});

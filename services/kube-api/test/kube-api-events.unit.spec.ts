import { randomUUID } from 'node:crypto';
import { PUBLIC_EVENTS, type Envelope } from '@edgeplane/contracts';
import { describe, expect, it } from 'vitest';
import { decodePositions, encodePositions, historySources } from '../src/events/event-history.js';
import {
  EVENT_RULES,
  eventName,
  historyEntry,
  kubeEvent,
  originOfName,
  type GridResolver,
} from '../src/events/event-mapping.js';
import { entryMatches, parseEventSelector, parseTimeBound } from '../src/events/event-selector.js';
import { eventsResource, toEventsV1 } from '../src/resources/events.js';
import { stableUid } from '../src/resources/resource.js';

const CLUSTER = 'c-1';
const NOW = Date.parse('2026-11-28T20:00:00Z');
const noGrids: GridResolver = () => undefined;

function env(type: string, data: Record<string, unknown>, at = '2026-11-28T19:59:00.123Z'): Envelope {
  return {
    id: randomUUID(),
    type,
    version: 1,
    streamId: 's',
    streamPosition: 1,
    globalPosition: 1,
    occurredAt: at,
    data: { clusterId: CLUSTER, ...data },
    metadata: { actor: 'alice' },
  };
}
const entry = (type: string, data: Record<string, unknown>, grids = noGrids, seq = 42) =>
  historyEntry(env(type, data), { source: 'EDGEPLANE_CLUSTER', seq }, CLUSTER, grids)!;
const event = (type: string, data: Record<string, unknown>, grids = noGrids) =>
  kubeEvent(entry(type, data, grids), CLUSTER, 'c42.g0.h0.n0') as Record<string, any>;

describe('domain events → Kubernetes Events', () => {
  it('every public event type is an Event', () => {
    expect(Object.keys(PUBLIC_EVENTS).filter((t) => !EVENT_RULES[t])).toEqual([]);
  });

  it('a node join: the Node as involved object (its kube API uid), the sentence, Normal, the cluster service as source', () => {
    const e = event('NodeJoined', {
      nodeName: 'bj-1',
      source: { kind: 'script' },
      inventory: { arch: 'arm64', os: 'Ubuntu 22.04', ips: ['10.0.0.5'] },
    });
    expect(e).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: 'bj-1.c2a',
        namespace: 'default',
        resourceVersion: 'c42.g0.h0.n0',
        annotations: { 'edgeplane.io/actor': 'alice', 'edgeplane.io/stream': 'EDGEPLANE_CLUSTER:42' },
      },
      involvedObject: {
        kind: 'Node',
        apiVersion: 'v1',
        name: 'bj-1',
        uid: stableUid(CLUSTER, 'node', 'bj-1'),
      },
      reason: 'NodeJoined',
      message: 'Node bj-1 joined the cluster (join script; arm64, Ubuntu 22.04, 10.0.0.5)',
      type: 'Normal',
      source: { component: 'cluster' },
      reportingComponent: 'edgeplane.io/cluster',
      count: 1,
      firstTimestamp: '2026-11-28T19:59:00Z',
      lastTimestamp: '2026-11-28T19:59:00Z',
      eventTime: '2026-11-28T19:59:00.123000Z',
    });
    expect(e.involvedObject.namespace).toBeUndefined();
  });

  it('Warnings: NotReady verdicts, evictions, halted rollouts, failed promotions, Pending pods; Normal otherwise', () => {
    const verdict = (verdict: string) =>
      event('NodeVerdictChanged', {
        node: 'gz-3',
        verdict,
        previous: 'Ready',
        rule: 'peers-vouch',
        condition: {
          type: 'Ready',
          status: 'False',
          reason: 'CloudLost',
          message: 'the cloud lost it; 2 peers vouch',
        },
      });
    expect(verdict('NotReadyNoSchedule')).toMatchObject({
      type: 'Warning',
      message:
        'Node gz-3 is NotReadyNoSchedule (was Ready): the cloud lost it; 2 peers vouch [rule peers-vouch]',
      source: { component: 'health-arbiter' },
    });
    expect(verdict('Ready').type).toBe('Normal');
    expect(
      event('NodeEvictionRequested', { node: 'gz-3', rule: 'peers-confirm-down', reason: 'down' }).type,
    ).toBe('Warning');
    expect(
      event('RolloutWaveHalted', {
        name: 'web',
        generation: 3,
        wave: 1,
        units: ['a'],
        reason: 'unit a failed',
      }),
    ).toMatchObject({
      type: 'Warning',
      message: 'Rollout of web generation 3 halted at wave 2 (units a): unit a failed',
    });
    expect(event('KinsClusterFailed', { unit: 'u', generation: 1, reason: 'no quorum' }).type).toBe(
      'Warning',
    );
    expect(
      event('PodUnscheduled', {
        grid: 'web',
        child: 'web-u',
        unit: 'u',
        pod: 'p',
        node: null,
        pending: true,
        reason: 'no node fits',
      }).type,
    ).toBe('Warning');
    expect(event('NodeLabelsChanged', { nodeName: 'n', set: { a: 'b' }, removed: ['c'] })).toMatchObject({
      type: 'Normal',
      message: 'Labels of node n changed: set a=b; removed c',
    });
  });

  it('objects: NodeUnit, NodeGroup, grids in their namespace (the grid service says which kind a rollout is), pods', () => {
    expect(
      event('NodeUnitCreated', { name: 'beijing', type: 'edge', nodes: ['a', 'b'], allNodes: false })
        .involvedObject,
    ).toEqual({
      kind: 'NodeUnit',
      apiVersion: 'site.superedge.io/v1alpha2',
      name: 'beijing',
      uid: stableUid(CLUSTER, 'nodeunit', 'beijing'),
    });
    expect(
      event('NodeGroupUnitsChanged', { name: 'location', units: ['a'], added: ['a'], removed: [] }),
    ).toMatchObject({
      involvedObject: { kind: 'NodeGroup', name: 'location' },
      message: 'NodeGroup location units changed (added a); 1 unit(s) now',
    });
    const applied = event('GridApplied', {
      name: 'web',
      kind: 'StatefulSetGrid',
      generation: 2,
      manifest: { metadata: { name: 'web', namespace: 'shop' } },
    });
    expect(applied).toMatchObject({
      metadata: { namespace: 'shop' },
      involvedObject: {
        kind: 'StatefulSetGrid',
        name: 'web',
        namespace: 'shop',
        apiVersion: 'superedge.io/v1',
      },
    });
    const grids: GridResolver = (n) =>
      n === 'web' ? { kind: 'StatefulSetGrid', namespace: 'shop' } : undefined;
    expect(event('RolloutPaused', { name: 'web', generation: 2 }, grids).involvedObject).toMatchObject({
      kind: 'StatefulSetGrid',
      namespace: 'shop',
    });
    expect(event('RolloutPaused', { name: 'gone', generation: 2 }).involvedObject).toMatchObject({
      kind: 'DeploymentGrid',
      namespace: 'default',
    });
    expect(
      event(
        'PodScheduled',
        { grid: 'web', child: 'web-u', unit: 'u', pod: 'web-u-0', node: 'n2', previousNode: 'n1' },
        grids,
      ),
    ).toMatchObject({
      metadata: { namespace: 'shop' },
      involvedObject: { kind: 'Pod', name: 'web-u-0', namespace: 'shop' },
      message: 'Pod web-u-0 of web moved from node n1 to node n2 (unit u)',
    });
  });

  it("another cluster's event and internal types without a rule are no Event", () => {
    const other = { ...env('NodeJoined', { nodeName: 'x' }), data: { clusterId: 'other', nodeName: 'x' } };
    expect(historyEntry(other, { source: 'EDGEPLANE_CLUSTER', seq: 1 }, CLUSTER, noGrids)).toBeUndefined();
    expect(
      historyEntry(env('JoinTokenCreated', {}), { source: 'EDGEPLANE_CLUSTER', seq: 1 }, CLUSTER, noGrids),
    ).toBeUndefined();
  });

  it('names point back at their stream and sequence', () => {
    const e = entry(
      'NodeUncordoned',
      { nodeName: 'a.b', holder: 'operator', stillCordonedBy: [] },
      noGrids,
      255,
    );
    expect(eventName(e)).toBe('a.b.cff');
    expect(originOfName('a.b.cff')).toEqual({ source: 'EDGEPLANE_CLUSTER', seq: 255 });
    expect(originOfName('a.b.h10')).toEqual({ source: 'EDGEPLANE_HEALTH', seq: 16 });
    expect(originOfName('bj-1')).toBeUndefined();
    expect(originOfName('bj-1.z10')).toBeUndefined();
  });

  it('events.k8s.io/v1 carries the same event in its shape; Table cells as kubectl prints them', () => {
    const e = event('NodeDrainRequested', { nodeName: 'n', requestId: 'r', gracePeriodSeconds: 30 });
    expect(toEventsV1(e as never)).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      regarding: { kind: 'Node', name: 'n' },
      note: e.message,
      reportingController: 'edgeplane.io/cluster',
      deprecatedCount: 1,
    });
    expect(eventsResource.cells(e as never, new Date(NOW))).toEqual([
      '60s',
      'Normal',
      'NodeDrainRequested',
      'node/n',
      'cluster',
      'Drain of node n requested: its pods are evicted and placed again inside their unit (grace 30 s)',
    ]);
  });
});

describe('event field selectors', () => {
  it('time bounds: ages and RFC 3339; anything else is 400 naming the field', () => {
    expect(parseTimeBound('edgeplane.io/since', '90s', NOW)).toBe(NOW - 90_000);
    expect(parseTimeBound('edgeplane.io/since', '2h', NOW)).toBe(NOW - 7_200_000);
    expect(parseTimeBound('edgeplane.io/until', '2026-11-28T19:00:00Z', NOW)).toBe(
      Date.parse('2026-11-28T19:00:00Z'),
    );
    expect(() => parseTimeBound('edgeplane.io/since', 'yesterday', NOW)).toThrow(
      /edgeplane\.io\/since: "yesterday" is neither an RFC 3339 time/,
    );
    expect(() => parseEventSelector('edgeplane.io/since!=1h', NOW)).toThrow(/only = is supported/);
    expect(() => parseEventSelector('edgeplane.io/since=1h,edgeplane.io/until=2h', NOW)).toThrow(
      /since is after edgeplane\.io\/until/,
    );
    expect(() => parseEventSelector('spec.nodeName=x', NOW)).toThrow(
      'field label not supported: spec.nodeName',
    );
  });

  it("kubectl describe's selector (name, empty namespace, kind, the node's uid) finds a node's events", () => {
    const e = entry('NodeCordoned', { nodeName: 'bj-1', holder: 'operator', reason: 'maintenance' });
    const uid = stableUid(CLUSTER, 'node', 'bj-1');
    const describe = parseEventSelector(
      `involvedObject.name=bj-1,involvedObject.namespace=,involvedObject.kind=Node,involvedObject.uid=${uid}`,
      NOW,
    );
    expect(entryMatches(describe, e, uid, 'cluster', undefined)).toBe(true);
    const byName = parseEventSelector('involvedObject.name=bj-1,involvedObject.uid=bj-1', NOW);
    expect(entryMatches(byName, e, uid, 'cluster', undefined)).toBe(false);
    expect(entryMatches(parseEventSelector('', NOW), e, uid, 'cluster', 'kube-system')).toBe(false);
    expect(
      entryMatches(parseEventSelector('source=cluster,type=Normal', NOW), e, uid, 'cluster', 'default'),
    ).toBe(true);
    expect(
      entryMatches(parseEventSelector('edgeplane.io/since=30s', NOW), e, uid, 'cluster', undefined),
    ).toBe(false);
  });

  it('node and unit scope: a unit created with a node is about that node', () => {
    const e = entry('NodeUnitCreated', { name: 'beijing', type: 'edge', nodes: ['bj-1'], allNodes: false });
    const uid = stableUid(CLUSTER, 'nodeunit', 'beijing');
    expect(
      entryMatches(parseEventSelector('edgeplane.io/node=bj-1', NOW), e, uid, 'nodepool', undefined),
    ).toBe(true);
    expect(
      entryMatches(parseEventSelector('edgeplane.io/node=gz-1', NOW), e, uid, 'nodepool', undefined),
    ).toBe(false);
    expect(
      entryMatches(parseEventSelector('edgeplane.io/unit=beijing', NOW), e, uid, 'nodepool', undefined),
    ).toBe(true);
  });
});

describe('resourceVersions of the history', () => {
  it('one sequence per stream; not one is 400, a missing stream 410', () => {
    const sources = historySources();
    expect(sources.map((s) => s.name)).toEqual([
      'EDGEPLANE_CLUSTER',
      'EDGEPLANE_GRID',
      'EDGEPLANE_HEALTH',
      'EDGEPLANE_NODEPOOL',
    ]);
    const rv = encodePositions(
      { EDGEPLANE_CLUSTER: 12, EDGEPLANE_GRID: 3, EDGEPLANE_HEALTH: 0, EDGEPLANE_NODEPOOL: 7 },
      sources,
    );
    expect(rv).toBe('c12.g3.h0.n7');
    expect(decodePositions(rv, sources)).toEqual({
      EDGEPLANE_CLUSTER: 12,
      EDGEPLANE_GRID: 3,
      EDGEPLANE_HEALTH: 0,
      EDGEPLANE_NODEPOOL: 7,
    });
    expect(() => decodePositions('12345', sources)).toThrow(/invalid resourceVersion "12345"/);
    expect(() => decodePositions('c12.n7', sources)).toThrow(expect.objectContaining({ code: 410 }));
  });
});

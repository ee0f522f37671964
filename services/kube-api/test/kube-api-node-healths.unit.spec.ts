import type { EdgeplaneHealthV1 } from '@edgeplane/proto';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/discovery/discovery.js';
import {
  nodeHealthFromExplanation,
  nodeHealthFromVerdict,
  nodeHealthsResource,
  VERDICT_LABEL,
} from '../src/resources/node-healths.js';
import type { RequestContext } from '../src/resources/resource.js';
import { RESOURCES } from '../src/resources/routing-table.js';

const ctx = {
  clusterId: 'cls-1',
  kubernetesVersion: '1.22.5',
  runtime: 'containerd',
  resourceVersion: '42',
  now: new Date('2026-01-01T00:10:00Z'),
} as RequestContext;

const quorum = { peerSetSize: 2, needed: 2, fresh: 2, healthyVotes: 2, unhealthyVotes: 0, abstained: 0 };
const gz3Row: EdgeplaneHealthV1.NodeVerdict__Output = {
  node: 'gz-3',
  verdict: 'VERDICT_NOT_READY_NO_SCHEDULE',
  rule: 'peers-vouch',
  since: '2026-01-01T00:07:00.000Z',
  units: ['guangzhou', 'unit-node-all'],
  cloudLost: true,
  cloudLastSeen: '2026-01-01T00:06:58.000Z',
  quorum,
};

/** Upstream answering ListVerdicts from `rows` (paged as the arbiter does) and counting calls. */
function upstreamOf(rows: EdgeplaneHealthV1.NodeVerdict__Output[]) {
  const calls: EdgeplaneHealthV1.ListVerdictsRequest[] = [];
  return {
    calls,
    upstream: {
      async listVerdicts(req: EdgeplaneHealthV1.ListVerdictsRequest) {
        calls.push(req);
        const only = (req.verdicts ?? []) as string[];
        const all = rows.filter((r) => !only.length || only.includes(r.verdict));
        const from = Number(req.pageToken || 0);
        const size = req.pageSize || 100;
        const next = from + size < all.length ? String(from + size) : '';
        return { verdicts: all.slice(from, from + size), nextPageToken: next };
      },
    },
  };
}

describe('nodehealths (health.edgeplane.io/v1)', () => {
  it('is served, read-only, cluster-scoped, with a watch on the health stream', () => {
    expect(RESOURCES).toContain(nodeHealthsResource);
    expect(nodeHealthsResource.verbs).toEqual(['get', 'list', 'watch']);
    expect(nodeHealthsResource.namespaced).toBe(false);
    expect(nodeHealthsResource.watchStream).toBe('EDGEPLANE_HEALTH');
    expect(nodeHealthsResource.watchSubject).toBe('edgeplane.health.node.verdict-changed');
    const ev = nodeHealthsResource.watchEvent!;
    expect(ev('NodeVerdictChanged', { clusterId: 'c', node: 'gz-3', previous: null })).toEqual({
      name: 'gz-3',
      added: true,
    });
    expect(ev('NodeVerdictChanged', { clusterId: 'c', node: 'gz-3', previous: 'Ready' })).toEqual({
      name: 'gz-3',
      added: false,
    });
    expect(ev('NodeVerdictChanged', { clusterId: 'c' })).toBeUndefined();
    const doc = openApiDocument(RESOURCES, 'apis/health.edgeplane.io/v1') as {
      components: { schemas: Record<string, unknown> };
    };
    expect(JSON.stringify(doc.components.schemas)).toMatch(/NotReadyNoSchedule/);
  });

  it('a ListVerdicts row: the verdict in the arbiter words, units, cloud, quorum; Table cells', () => {
    const o = nodeHealthFromVerdict(gz3Row, ctx);
    expect(o).toMatchObject({
      apiVersion: 'health.edgeplane.io/v1',
      kind: 'NodeHealth',
      metadata: {
        name: 'gz-3',
        resourceVersion: '42',
        labels: { [VERDICT_LABEL]: 'NotReadyNoSchedule', 'health.edgeplane.io/rule': 'peers-vouch' },
      },
      status: {
        verdict: 'NotReadyNoSchedule',
        rule: 'peers-vouch',
        units: ['guangzhou', 'unit-node-all'],
        cloud: { lost: true, lastSeen: '2026-01-01T00:06:58.000Z' },
        quorum,
        evidenceAsOf: '2026-01-01T00:07:00.000Z',
      },
    });
    expect(nodeHealthsResource.cells(o, ctx.now)).toEqual([
      'gz-3',
      'NotReadyNoSchedule',
      'peers-vouch',
      'lost',
      '2 up, 0 down / 2 needed',
      '3m',
      'guangzhou',
      '2026-01-01T00:06:58.000Z',
    ]);
    const fresh = nodeHealthFromVerdict(
      {
        ...gz3Row,
        node: 'n',
        verdict: 'VERDICT_UNKNOWN',
        rule: 'awaiting-first-heartbeat',
        units: [],
        cloudLost: false,
        cloudLastSeen: '',
        quorum: null,
      },
      ctx,
    );
    expect(nodeHealthsResource.cells(fresh, ctx.now).slice(1, 5)).toEqual([
      'Unknown',
      'awaiting-first-heartbeat',
      'never',
      '-',
    ]);
    expect(nodeHealthsResource.columns.map((c) => c.name)).toEqual([
      'Name',
      'Verdict',
      'Rule',
      'Cloud',
      'Votes',
      'Since',
      'Units',
      'Last-Heard',
    ]);
  });

  it('an ExplainNode answer: every peer vote with age and staleness, the rule and its words, history', () => {
    const x: EdgeplaneHealthV1.NodeExplanation__Output = {
      clusterId: 'cls-1',
      node: 'gz-3',
      verdict: 'VERDICT_NOT_READY_NO_SCHEDULE',
      rule: 'peers-vouch',
      since: '2026-01-01T00:07:00.000Z',
      computedVerdict: 'VERDICT_NOT_READY_NO_SCHEDULE',
      computedRule: 'peers-vouch',
      explanation: 'cloud lost; a majority of its peers report it healthy',
      taints: [{ key: 'node.kubernetes.io/unreachable', value: '', effect: 'NoSchedule' }],
      condition: { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'm' },
      cloud: { lastSeen: '2026-01-01T00:06:58.000Z', ageMs: '182000', lost: true, graceMs: 2000 },
      scope: 'units',
      units: ['guangzhou'],
      peers: [
        { peer: 'gz-1', healthy: true, ageMs: '800', fresh: true, abstained: false, counted: true },
        { peer: 'gz-2', healthy: true, ageMs: '61000', fresh: false, abstained: false, counted: false },
      ],
      quorum: { ...quorum, fresh: 1, healthyVotes: 1 },
      frozen: false,
      darkUnits: [],
      history: [
        {
          at: '2026-01-01T00:01:00.000Z',
          verdict: 'VERDICT_READY',
          previous: 'VERDICT_UNSPECIFIED',
          rule: 'cloud-contact',
        },
        {
          at: '2026-01-01T00:07:00.000Z',
          verdict: 'VERDICT_NOT_READY_NO_SCHEDULE',
          previous: 'VERDICT_READY',
          rule: 'peers-vouch',
        },
      ],
      holdingUntil: '',
      fromRecord: false,
    };
    const o = nodeHealthFromExplanation(x, ctx);
    expect(o.status).toMatchObject({
      verdict: 'NotReadyNoSchedule',
      rule: 'peers-vouch',
      explanation: 'cloud lost; a majority of its peers report it healthy',
      cloud: { lost: true, ageMs: 182000, graceMs: 2000 },
      peers: [
        { peer: 'gz-1', healthy: true, ageMs: 800, stale: false, counted: true },
        { peer: 'gz-2', healthy: true, ageMs: 61000, stale: true, counted: false },
      ],
      taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }],
      history: [
        { verdict: 'Ready', previous: null, rule: 'cloud-contact' },
        { verdict: 'NotReadyNoSchedule', previous: 'Ready', rule: 'peers-vouch' },
      ],
      evidenceAsOf: '2026-01-01T00:10:00.000Z',
    });
    // answered from the record: the evidence is as of the last change
    expect(nodeHealthFromExplanation({ ...x, fromRecord: true }, ctx).status).toMatchObject({
      fromRecord: true,
      evidenceAsOf: '2026-01-01T00:07:00.000Z',
    });
  });

  it('list: the owner pages when unfiltered; status.verdict goes to the owner; -l and other fields filter here; unknown field 400', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({
      ...gz3Row,
      node: `n-${i}`,
      verdict: (i % 2
        ? 'VERDICT_READY'
        : 'VERDICT_NOT_READY_NO_SCHEDULE') as EdgeplaneHealthV1.Verdict__Output,
      rule: i % 2 ? 'cloud-contact' : 'peers-vouch',
    }));
    const { upstream, calls } = upstreamOf(rows);
    const c = { ...ctx, upstream } as unknown as RequestContext;
    const opts = { labelSelector: '', fieldSelector: '', limit: 2, continueToken: '' };
    const first = await nodeHealthsResource.list(c, opts);
    expect(first.items.map((o) => o.metadata.name)).toEqual(['n-0', 'n-1']);
    expect(first.continueToken).toBe('2');
    expect(calls.at(-1)).toMatchObject({ cluster: 'cls-1', pageSize: 2, verdicts: [] });

    const ready = await nodeHealthsResource.list(c, {
      ...opts,
      limit: 0,
      fieldSelector: 'status.verdict=Ready',
    });
    expect(ready.items.map((o) => o.metadata.name)).toEqual(['n-1', 'n-3']);
    expect(calls.at(-1)).toMatchObject({ verdicts: ['VERDICT_READY'] });

    const byLabel = await nodeHealthsResource.list(c, {
      ...opts,
      labelSelector: `${VERDICT_LABEL}=NotReadyNoSchedule`,
    });
    expect(byLabel.items.map((o) => o.metadata.name)).toEqual(['n-0', 'n-2', 'n-4']);
    expect(byLabel.continueToken).toBeUndefined();

    const notRule = await nodeHealthsResource.list(c, { ...opts, fieldSelector: 'status.rule!=peers-vouch' });
    expect(notRule.items.map((o) => o.metadata.name)).toEqual(['n-1', 'n-3']);

    expect(
      (await nodeHealthsResource.list(c, { ...opts, fieldSelector: 'status.verdict=Bogus' })).items,
    ).toEqual([]);
    await expect(nodeHealthsResource.list(c, { ...opts, fieldSelector: 'spec.x=1' })).rejects.toThrow(
      'field label not supported: spec.x',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { DeciderSpecification, ValidationError, fold } from '@edgeplane/es-kit';
import { NodeEvictionRequested, NodeVerdictChanged, type NodeVerdictChangedData } from '@edgeplane/contracts';
import { nodeVerdictDecider, type RecordVerdict } from '../src/verdict/verdict.decider.js';
import { conditionOf, taintsOf } from '../src/verdict/verdict.rules.js';

const spec = DeciderSpecification(nodeVerdictDecider);

function change(
  verdict: NodeVerdictChangedData['verdict'],
  rule: NodeVerdictChangedData['rule'],
  at: string,
): RecordVerdict['change'] {
  return {
    clusterId: 'c1',
    node: 'gz-3',
    verdict,
    taints: taintsOf(verdict),
    condition: conditionOf(verdict, rule),
    rule,
    evidence: {
      cloudLastSeen: '2026-03-01T10:00:00.000Z',
      cloudLost: verdict !== 'Ready',
      scope: 'units',
      units: ['gz'],
      peers: [{ peer: 'gz-1', healthy: true, ageMs: 1200 }],
      peersOmitted: 0,
      quorum: { peerSetSize: 2, needed: 2, fresh: 1, healthyVotes: 1, unhealthyVotes: 0, abstained: 0 },
      frozen: false,
      darkUnits: [],
    },
    at,
  };
}
const ready = change('Ready', 'cloud-contact', '2026-03-01T10:00:00.000Z');
const vouched = change('NotReadyNoSchedule', 'peers-vouch', '2026-03-01T10:01:00.000Z');
const confirmedDown = change('NotReadyNoExecute', 'peers-confirm-down', '2026-03-01T10:02:00.000Z');

describe('node verdict decider: RecordVerdict', () => {
  it("records a node's first verdict with previous = null, valid against the catalogue schema", () => {
    const events = spec.given([]).when({ type: 'RecordVerdict', change: ready }).events();
    expect(events).toEqual([
      { type: 'NodeVerdictChanged', data: { ...ready, previous: null, streamVersion: 1 } },
    ]);
    expect(NodeVerdictChanged.schema.safeParse(events[0]!.data).success).toBe(true);
  });

  it('records a change with the previous verdict taken from the stream', () => {
    spec
      .given([{ type: 'NodeVerdictChanged', data: { ...ready, previous: null } }])
      .when({ type: 'RecordVerdict', change: vouched })
      .then([{ type: 'NodeVerdictChanged', data: { ...vouched, previous: 'Ready', streamVersion: 2 } }]);
  });

  it('is idempotent: the same verdict again (e.g. a redelivery) records nothing', () => {
    spec
      .given([{ type: 'NodeVerdictChanged', data: { ...ready, previous: null } }])
      .when({ type: 'RecordVerdict', change: { ...ready, at: '2026-03-01T10:02:00.000Z' } })
      .thenNothingHappens();
  });

  it("refuses a change for another node than the stream's", () => {
    spec
      .given([{ type: 'NodeVerdictChanged', data: { ...ready, previous: null } }])
      .when({ type: 'RecordVerdict', change: { ...vouched, node: 'gz-1' } })
      .thenThrows<ValidationError>(ValidationError, (e) => /c1\/gz-1.*c1\/gz-3/.test(e.message));
  });

  it('refuses a change without a node name', () => {
    spec
      .given([])
      .when({ type: 'RecordVerdict', change: { ...ready, node: '' } })
      .thenThrows<ValidationError>(ValidationError, (e) => e.violations[0]?.field === 'change.node');
  });

  it('the folded state is what a restarted arbiter seeds itself with', () => {
    const state = fold(nodeVerdictDecider, [
      { type: 'NodeVerdictChanged', data: { ...ready, previous: null } },
      { type: 'NodeVerdictChanged', data: { ...vouched, previous: 'Ready' } },
    ]);
    expect(state).toEqual({
      status: 'judged',
      clusterId: 'c1',
      node: 'gz-3',
      verdict: 'NotReadyNoSchedule',
      rule: 'peers-vouch',
      since: '2026-03-01T10:01:00.000Z',
      version: 2,
    });
  });

  it('entering NotReadyNoExecute also requests the eviction, in the same decision', () => {
    const events = spec
      .given([
        { type: 'NodeVerdictChanged', data: { ...ready, previous: null } },
        { type: 'NodeVerdictChanged', data: { ...vouched, previous: 'Ready' } },
      ])
      .when({ type: 'RecordVerdict', change: confirmedDown })
      .events();
    expect(events).toEqual([
      // the stream's third event: consumers keep the highest version they applied
      {
        type: 'NodeVerdictChanged',
        data: { ...confirmedDown, previous: 'NotReadyNoSchedule', streamVersion: 3 },
      },
      {
        type: 'NodeEvictionRequested',
        data: {
          clusterId: 'c1',
          node: 'gz-3',
          rule: 'peers-confirm-down',
          reason: expect.stringContaining('majority of its peers report it unreachable'),
          at: '2026-03-01T10:02:00.000Z',
        },
      },
    ]);
    expect(NodeEvictionRequested.schema.safeParse(events[1]!.data).success).toBe(true);
  });

  it('requests no second eviction while the node stays NoExecute, and none for NoSchedule', () => {
    spec
      .given([
        { type: 'NodeVerdictChanged', data: { ...confirmedDown, previous: 'Ready' } },
        {
          type: 'NodeEvictionRequested',
          data: {
            clusterId: 'c1',
            node: 'gz-3',
            rule: 'peers-confirm-down',
            reason: 'x',
            at: confirmedDown.at,
          },
        },
      ])
      .when({ type: 'RecordVerdict', change: { ...confirmedDown, at: '2026-03-01T10:03:00.000Z' } })
      .thenNothingHappens();
    const events = spec.given([]).when({ type: 'RecordVerdict', change: vouched }).events();
    expect(events.map((e) => e.type)).toEqual(['NodeVerdictChanged']);
  });
});

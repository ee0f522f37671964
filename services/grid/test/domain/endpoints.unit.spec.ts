import { describe, expect, it } from 'vitest';
import { unitEndpoints, type PodObservation, type ServiceGrid } from '../../src/domain/index.js';
import { grid, node, unit } from './fixtures.js';

const sg = grid(`
apiVersion: superedge.io/v1
kind: ServiceGrid
metadata: { name: echo }
spec:
  gridUniqKey: location
  template:
    selector: { app: echo }
    ports: [{ port: 80 }]
`) as ServiceGrid;

const pod = (name: string, nodeName: string, over: Partial<PodObservation> = {}): PodObservation => ({
  pod: name,
  unit: nodeName.startsWith('bj') ? 'beijing' : 'guangzhou',
  node: nodeName,
  templateHash: 'h',
  ready: true,
  readySince: '2026-11-28T10:00:00.000Z',
  ip: `10.0.0.${name.length}`,
  labels: { app: 'echo' },
  ...over,
});

describe('per-unit endpoints of a ServiceGrid', () => {
  it('each unit gets only the ready pods on its own nodes', () => {
    const units = [unit('beijing', [node('bj-1'), node('bj-2')]), unit('guangzhou', [node('gz-1')])];
    const pods = [
      pod('a', 'bj-1'),
      pod('b', 'bj-2'),
      pod('c', 'gz-1'),
      pod('d', 'gz-1', { ready: false }),
      pod('e', 'gz-1', { labels: { app: 'other' } }),
    ];
    expect(unitEndpoints(sg, units, pods)).toEqual([
      {
        service: 'echo-svc',
        unit: 'beijing',
        endpoints: [
          { pod: 'a', node: 'bj-1', ip: '10.0.0.1' },
          { pod: 'b', node: 'bj-2', ip: '10.0.0.1' },
        ],
      },
      { service: 'echo-svc', unit: 'guangzhou', endpoints: [{ pod: 'c', node: 'gz-1', ip: '10.0.0.1' }] },
    ]);
  });

  it('never endpoints on evicted (NotReadyNoExecute) or never-heard nodes; cut-off nodes keep theirs', () => {
    const units = [
      unit('beijing', [
        node('bj-1', { verdict: 'NotReadyNoExecute' }),
        node('bj-2', { verdict: 'Unknown' }),
        node('bj-3', { verdict: 'NotReadyNoSchedule' }),
      ]),
    ];
    const result = unitEndpoints(sg, units, [pod('a', 'bj-1'), pod('b', 'bj-2'), pod('c', 'bj-3')]);
    expect(result[0]?.endpoints.map((e) => e.pod)).toEqual(['c']);
  });

  it('a unit without ready pods gets an empty list, never another unit’s pods', () => {
    const units = [unit('beijing', [node('bj-1')]), unit('guangzhou', [node('gz-1')])];
    const result = unitEndpoints(sg, units, [pod('a', 'bj-1')]);
    expect(result.find((r) => r.unit === 'guangzhou')?.endpoints).toEqual([]);
  });
});

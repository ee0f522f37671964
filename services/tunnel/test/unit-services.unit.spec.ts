import { describe, expect, it } from 'vitest';
import {
  hasNamedTargetPorts,
  MAX_ENDPOINTS_PER_SERVICE,
  MAX_SERVICES_PER_NODE,
  serviceEntriesOf,
  serviceGridMeta,
  unitEndpointsOf,
  type UnitServiceRow,
} from '../src/gateway/unit-services.js';

const row = (grid: string, unit: string, extra: Partial<UnitServiceRow> = {}): UnitServiceRow => ({
  grid,
  unit,
  service: `${grid}-svc`,
  endpoints: [{ pod: `${grid}-${unit}-0`, node: `${unit}-1`, ip: '10.0.0.1' }],
  namespace: 'shop',
  ports: [],
  ...extra,
});

describe('ServiceGrids in a node’s desired state', () => {
  it('reads namespace and ports from the ServiceGrid manifest; a named targetPort keeps its name', () => {
    expect(
      serviceGridMeta({
        metadata: { name: 'echo', namespace: 'shop' },
        spec: {
          template: {
            ports: [
              { name: 'http', port: 80, targetPort: 8080 },
              { port: 53, protocol: 'UDP' },
              { name: 'named', port: 81, targetPort: 'web' },
              { name: 'bad', port: 70_000 },
            ],
          },
        },
      }),
    ).toEqual({
      namespace: 'shop',
      ports: [
        { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: '', port: 53, targetPort: 0, protocol: 'UDP' },
        { name: 'named', port: 81, targetPort: 0, protocol: 'TCP', targetPortName: 'web' },
      ],
    });
    expect(serviceGridMeta({ metadata: { name: 'x' }, spec: {} })).toEqual({
      namespace: 'default',
      ports: [],
    });
  });

  it('keeps a unit’s endpoints sorted and bounded; a removed unit has none', () => {
    const endpoints = Array.from({ length: MAX_ENDPOINTS_PER_SERVICE + 5 }, (_, i) => ({
      pod: `p-${String(1000 - i)}`,
      node: 'n',
    }));
    const base = { clusterId: 'c', name: 'echo', service: 'echo-svc', unit: 'alpha', at: 'now' };
    const kept = unitEndpointsOf({ ...base, endpoints, removed: false });
    expect(kept.endpoints).toHaveLength(MAX_ENDPOINTS_PER_SERVICE);
    expect(kept.endpoints[0]!.pod < kept.endpoints[1]!.pod).toBe(true);
    expect(unitEndpointsOf({ ...base, endpoints: [...endpoints].reverse(), removed: false }).digest).toBe(
      kept.digest,
    );
    expect(unitEndpointsOf({ ...base, endpoints, removed: true }).endpoints).toEqual([]);
  });

  it('gives one entry per Service, the first unit’s when a node is in two, endpoints without an IP at their node’s address', () => {
    const entries = serviceEntriesOf(
      [
        row('echo', 'bravo'),
        row('echo', 'alpha', { endpoints: [{ pod: 'echo-alpha-0', node: 'a-1' }] }),
        row('web', 'alpha', { namespace: null, ports: null }),
      ],
      (node) => (node === 'a-1' ? '192.168.1.5' : undefined),
    );
    expect(entries).toEqual([
      {
        name: 'web-svc',
        namespace: 'default',
        grid: 'web',
        unit: 'alpha',
        ports: [],
        endpoints: [{ ip: '10.0.0.1', pod: 'web-alpha-0', node: 'alpha-1' }],
      },
      {
        name: 'echo-svc',
        namespace: 'shop',
        grid: 'echo',
        unit: 'alpha',
        ports: [],
        endpoints: [{ ip: '192.168.1.5', pod: 'echo-alpha-0', node: 'a-1' }],
      },
    ]);
  });

  it('resolves a named targetPort from an endpoint pod’s container ports, else carries 0', () => {
    const ports = [
      { name: 'http', port: 80, targetPort: 0, protocol: 'TCP', targetPortName: 'web' },
      { name: 'admin', port: 81, targetPort: 0, protocol: 'TCP', targetPortName: 'nope' },
    ];
    const rows = [row('echo', 'alpha', { ports })];
    expect(hasNamedTargetPorts(rows)).toBe(true);
    const [entry] = serviceEntriesOf(
      rows,
      () => undefined,
      (node, pod, name) =>
        node === 'alpha-1' && pod === 'echo-alpha-0' && name === 'web' ? 8080 : undefined,
    );
    expect(entry!.ports).toEqual([
      { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: 'admin', port: 81, targetPort: 0, protocol: 'TCP' },
    ]);
    expect(hasNamedTargetPorts([row('echo', 'alpha')])).toBe(false);
  });

  it('bounds the services of one node', () => {
    const rows = Array.from({ length: MAX_SERVICES_PER_NODE + 10 }, (_, i) => row(`g${i}`, 'alpha'));
    expect(serviceEntriesOf(rows, () => undefined)).toHaveLength(MAX_SERVICES_PER_NODE);
  });
});

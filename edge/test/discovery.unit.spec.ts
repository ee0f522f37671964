import { describe, expect, it } from 'vitest';
import { ServiceDirectory, servicesFromCache, type UnitService } from '../src/agent/discovery.js';

const echo: UnitService = {
  name: 'echo-svc',
  namespace: 'shop',
  grid: 'echo',
  unit: 'alpha',
  ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
  endpoints: [
    { ip: '10.0.1.1', pod: 'echo-alpha-0', node: 'a1' },
    { ip: '10.0.1.2', pod: 'echo-alpha-1', node: 'a2' },
  ],
};
const empty: UnitService = { ...echo, name: 'empty-svc', grid: 'empty', endpoints: [] };
const bare: UnitService = { ...echo, name: 'web-svc', grid: 'web', namespace: 'default', ports: [] };

describe('ServiceDirectory: ServiceGrid names resolve to this unit’s endpoints only', () => {
  const directory = () => {
    const d = new ServiceDirectory();
    d.set([echo, empty, bare]);
    return d;
  };

  it('resolves every name form, the Service’s and the grid’s, to the target port, round robin', () => {
    const d = directory();
    const hosts = [
      'echo-svc.shop',
      'echo-svc.shop.svc',
      'echo-svc.shop.svc.cluster.local',
      'ECHO-SVC.shop.svc.cluster.local.',
      'echo.shop',
    ];
    const picked = hosts.map((h) => d.resolve(h, 80));
    for (const r of picked)
      expect(r).toMatchObject({ kind: 'endpoint', port: 8080, service: 'shop/echo-svc' });
    expect(picked.map((r) => (r.kind === 'endpoint' ? r.host : ''))).toEqual([
      '10.0.1.1',
      '10.0.1.2',
      '10.0.1.1',
      '10.0.1.2',
      '10.0.1.1',
    ]);
    // a bare name prefers the default namespace; a Service without ports keeps the asked port
    expect(d.resolve('web-svc', 9000)).toMatchObject({ kind: 'endpoint', port: 9000, host: '10.0.1.1' });
  });

  it('answers unavailable, naming the Service and unit, when there is no ready endpoint', () => {
    const d = directory();
    expect(d.resolve('empty-svc.shop', 80)).toEqual({
      kind: 'unavailable',
      message: 'service shop/empty-svc has no ready endpoint in unit alpha',
    });
    expect(d.resolve('echo-svc.shop', 81)).toEqual({
      kind: 'unavailable',
      message: 'service shop/echo-svc has no TCP port 81',
    });
    // a cluster name that is no Service of this unit never leaves it
    expect(d.resolve('other-svc.shop.svc.cluster.local', 80)).toMatchObject({ kind: 'unavailable' });
    expect(d.resolve('echo-svc.other.svc', 80)).toMatchObject({ kind: 'unavailable' });
  });

  it('leaves ordinary hosts alone: IPs, other names, other domains', () => {
    const d = directory();
    for (const h of ['10.0.1.1', 'gz-2', 'example.com', 'echo-svc.shop.example.com', 'nope'])
      expect(d.resolve(h, 80)).toEqual({ kind: 'not-a-service' });
  });

  it('forgets what a new desired state no longer has', () => {
    const d = directory();
    d.set([{ ...echo, endpoints: [] }]);
    expect(d.resolve('echo-svc.shop', 80)).toMatchObject({ kind: 'unavailable' });
    expect(d.resolve('web-svc', 80)).toEqual({ kind: 'not-a-service' });
  });

  it('reads services back from the cache file, refusing malformed ones', () => {
    expect(servicesFromCache(undefined)).toEqual([]);
    expect(servicesFromCache(JSON.parse(JSON.stringify([echo, empty])))).toEqual([echo, empty]);
    expect(servicesFromCache([{ name: 'x' }])).toBeUndefined();
    expect(servicesFromCache('x')).toBeUndefined();
  });
});

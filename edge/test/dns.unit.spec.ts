import { Resolver } from 'node:dns/promises';
import type dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceDirectory, type UnitService } from '../src/agent/discovery.js';
import { startDnsResponder } from '../src/agent/dns.js';

const echo: UnitService = {
  name: 'echo-svc',
  namespace: 'shop',
  grid: 'echo',
  unit: 'alpha',
  ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
  endpoints: [
    { ip: '10.0.1.1', pod: 'echo-alpha-0', node: 'a1' },
    { ip: '10.0.1.2', pod: 'echo-alpha-1', node: 'a2' },
    { ip: 'fd00::1:3', pod: 'echo-alpha-2', node: 'a3' },
  ],
};
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** The node's DNS responder asked by Node's own resolver (c-ares) over real UDP on loopback. */
describe('DNS responder: this unit’s ServiceGrids, headless-style, nothing forwarded', () => {
  const services = new ServiceDirectory();
  let socket: dgram.Socket;
  let resolver: Resolver;

  beforeAll(async () => {
    services.set([echo, { ...echo, name: 'empty-svc', grid: 'empty', endpoints: [] }]);
    socket = await startDnsResponder({ host: '127.0.0.1', port: 0, services, logger: silent as never });
    resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`127.0.0.1:${(socket.address() as AddressInfo).port}`]);
  });
  afterAll(() => new Promise<void>((r) => socket.close(() => r())));

  it('answers A and AAAA with the unit’s ready endpoints, rotating their order', async () => {
    const first = await resolver.resolve4('echo-svc.shop.svc.cluster.local');
    expect([...first].sort()).toEqual(['10.0.1.1', '10.0.1.2']);
    const second = await resolver.resolve4('echo-svc.shop.svc');
    expect(second[0]).not.toBe(first[0]);
    expect(await resolver.resolve6('echo.shop.svc.cluster.local')).toEqual(['fd00::1:3']);
    const ttl = await resolver.resolve4('echo-svc.shop.svc.cluster.local', { ttl: true });
    expect(ttl[0]!.ttl).toBe(5);
  });

  it('answers NXDOMAIN for a Service without ready endpoints and for one the unit does not have', async () => {
    await expect(resolver.resolve4('empty-svc.shop.svc.cluster.local')).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
    await expect(resolver.resolve4('other-svc.shop.svc.cluster.local')).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
  });

  it('refuses every other name: it never forwards', async () => {
    await expect(resolver.resolve4('example.com')).rejects.toMatchObject({ code: 'EREFUSED' });
    await expect(resolver.resolve4('echo-svc.shop')).rejects.toMatchObject({ code: 'EREFUSED' });
  });
});

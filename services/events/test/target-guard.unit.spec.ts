import { describe, expect, it } from 'vitest';
import {
  guardedLookup,
  literalHost,
  privateAddressReason,
  targetRefusal,
  type Resolve,
} from '../src/webhooks/target-guard.js';

const resolveTo =
  (...addresses: string[]): Resolve =>
  () =>
    Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

describe('webhook target guard: address classification', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.10', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:7f00:1::', '6to4'],
    // legacy IPv4 forms ipaddr.js parses (a URL normalizes them to dotted quads before this)
    ['2130706433', 'loopback'],
    ['0x7f.0.0.1', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['127.1', 'loopback'],
  ])('%s is refused as %s', (address, range) => {
    expect(privateAddressReason(address)).toContain(`a ${range} address`);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '11.0.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    '%s is a public unicast address',
    (address) => {
      expect(privateAddressReason(address)).toBeNull();
    },
  );

  it('a non-address is refused, and literal hosts are recognised (URL-normalised legacy forms included)', () => {
    expect(privateAddressReason('example.com')).toContain('not an IP address');
    expect(literalHost('[::1]')).toBe('::1');
    expect(literalHost('127.0.0.1')).toBe('127.0.0.1');
    expect(literalHost('example.com')).toBeNull();
    expect(new URL('https://2130706433/').hostname).toBe('127.0.0.1');
    expect(new URL('https://0x7f.1/').hostname).toBe('127.0.0.1');
    expect(new URL('https://[::ffff:127.0.0.1]/').hostname).toBe('[::ffff:7f00:1]');
  });
});

describe('webhook target guard: URLs and lookups', () => {
  it('refuses literal private hosts in any spelling, names resolving to one (any address), names not resolving', async () => {
    for (const url of [
      'https://127.0.0.1:8443/x',
      'https://2130706433/x',
      'https://0x7f.0.0.1/x',
      'https://[::1]/x',
      'https://[::ffff:169.254.169.254]/latest/meta-data',
      'https://169.254.169.254/',
      'https://[fe80::1]/',
      'https://0.0.0.0/',
    ])
      expect(await targetRefusal(url, resolveTo('8.8.8.8')), url).toMatch(/address/);
    expect(await targetRefusal('https://hook.example/x', resolveTo('8.8.8.8'))).toBeNull();
    expect(await targetRefusal('https://hook.example/x', resolveTo('8.8.8.8', '10.0.0.7'))).toMatch(
      /resolves to 10\.0\.0\.7 is a private address/,
    );
    expect(await targetRefusal('https://hook.example/x', resolveTo('fd00::5'))).toMatch(/uniqueLocal/);
    const notFound: Resolve = () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));
    expect(await targetRefusal('https://nowhere.invalid/x', notFound)).toMatch(
      /does not resolve \(ENOTFOUND\)/,
    );
    expect(await targetRefusal('https://localhost:1/x')).toMatch(/loopback/); // the system resolver
  });

  it('guardedLookup hands over the checked addresses, or refuses when any is private', async () => {
    const lookup = (resolve: Resolve, all: boolean, family = 0) =>
      new Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family?: number }>((r) =>
        guardedLookup(resolve)('hook.example', { all, family }, (err, address, fam) =>
          r({ err, address, family: fam }),
        ),
      );
    const ok = await lookup(resolveTo('8.8.8.8', '2606:4700::1111'), true);
    expect(ok.err).toBeNull();
    expect(ok.address).toEqual([
      { address: '8.8.8.8', family: 4 },
      { address: '2606:4700::1111', family: 6 },
    ]);
    const one = await lookup(resolveTo('2606:4700::1111', '8.8.8.8'), false, 4);
    expect(one).toMatchObject({ err: null, address: '8.8.8.8', family: 4 });
    const refused = await lookup(resolveTo('8.8.8.8', '127.0.0.1'), true);
    expect(refused.err?.code).toBe('EPRIVATETARGET');
    expect(refused.err?.message).toMatch(/127\.0\.0\.1 is a loopback address/);
  });
});

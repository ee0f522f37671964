import { describe, expect, it } from 'vitest';
import {
  cidr,
  cidrAddressCount,
  cidrContains,
  cidrContainsIp,
  cidrsOverlap,
  isIpAddress,
  parseCidr,
  podCidrHolds,
} from '../src/index.js';

describe('CIDR helpers', () => {
  it('parses IPv4 and IPv6 CIDRs into canonical form', () => {
    expect(cidr('10.0.0.0/16')).toMatchObject({ text: '10.0.0.0/16', family: 'ipv4', prefix: 16 });
    expect(cidr('fd00:0:0::/48')).toMatchObject({ text: 'fd00::/48', family: 'ipv6', prefix: 48 });
  });

  it.each([
    ['10.0.0.0', 'not a CIDR'],
    ['10.0.0.0/33', 'at most 32'],
    ['fd00::/129', 'at most 128'],
    ['10.0.0/16', 'valid IP'],
    ['127.1/8', 'valid IP'],
    ['10.0.0.0/abc', 'prefix'],
    ['10.0.0.5/16', 'host bits set; the network is 10.0.0.0/16'],
    ['fd00::1/64', 'host bits set; the network is fd00::/64'],
  ])('refuses %j', (text, reason) => {
    const parsed = parseCidr(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('detects overlap in both directions and for identical ranges', () => {
    expect(cidrsOverlap(cidr('172.16.0.0/16'), cidr('172.16.32.0/20'))).toBe(true);
    expect(cidrsOverlap(cidr('172.16.32.0/20'), cidr('172.16.0.0/16'))).toBe(true);
    expect(cidrsOverlap(cidr('10.0.0.0/8'), cidr('10.0.0.0/8'))).toBe(true);
  });

  it('adjacent, disjoint and cross-family ranges do not overlap', () => {
    expect(cidrsOverlap(cidr('172.16.0.0/16'), cidr('172.17.0.0/16'))).toBe(false);
    expect(cidrsOverlap(cidr('10.0.0.0/25'), cidr('10.0.0.128/25'))).toBe(false);
    expect(cidrsOverlap(cidr('10.0.0.0/8'), cidr('::/0'))).toBe(false);
    expect(cidrsOverlap(cidr('fd00::/16'), cidr('fd01::/16'))).toBe(false);
    expect(cidrsOverlap(cidr('fd00::/16'), cidr('fd00:1::/32'))).toBe(true);
  });

  it('containment of ranges and addresses', () => {
    expect(cidrContains(cidr('10.0.0.0/16'), cidr('10.0.3.0/24'))).toBe(true);
    expect(cidrContains(cidr('10.0.3.0/24'), cidr('10.0.0.0/16'))).toBe(false);
    expect(cidrContainsIp(cidr('10.0.0.0/16'), '10.0.255.254')).toBe(true);
    expect(cidrContainsIp(cidr('10.0.0.0/16'), '10.1.0.1')).toBe(false);
    expect(cidrContainsIp(cidr('10.0.0.0/16'), 'not-an-ip')).toBe(false);
  });

  it('capacity: the Pod CIDR holds a quota when it has at least that many addresses', () => {
    expect(cidrAddressCount(cidr('172.16.0.0/16'))).toBe(65_536);
    expect(podCidrHolds(cidr('172.16.0.0/24'), 150)).toBe(true);
    expect(podCidrHolds(cidr('172.16.0.0/25'), 150)).toBe(false);
    expect(podCidrHolds(cidr('fd00::/64'), 150_000)).toBe(true);
  });

  it('recognises IP addresses strictly (no legacy IPv4 forms)', () => {
    expect(isIpAddress('192.168.1.1')).toBe(true);
    expect(isIpAddress('::1')).toBe(true);
    expect(isIpAddress('127.1')).toBe(false);
    expect(isIpAddress('edge-01')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { localCidrErrors, overlaps, parseCidr, type Cidr } from '../console/src/clusters/cidr.js';

/** The create form's instant check (console/src/clusters/cidr.ts), before the server's dry run. */
describe('console CIDR check among the form ranges', () => {
  const c = (t: string) => parseCidr(t) as Cidr;

  it('parses IPv4 and IPv6 ranges and says why a text is not one', () => {
    expect(c('10.0.0.0/16')).toMatchObject({ family: 4, prefix: 16 });
    expect(c('fd00::/64')).toMatchObject({ family: 6, prefix: 64 });
    expect(parseCidr('')).toBe('is required');
    expect(parseCidr('10.0.0.0')).toMatch(/not a CIDR/);
    expect(parseCidr('10.0.0.300/24')).toMatch(/not an IP address/);
    expect(parseCidr('10.0.0.0/33')).toMatch(/longer than 32/);
    expect(parseCidr('10.0.0.1/24')).toMatch(/host bits set/);
  });

  it('overlap: containment either way, not across families, not for neighbours', () => {
    expect(overlaps(c('10.0.0.0/8'), c('10.20.0.0/16'))).toBe(true);
    expect(overlaps(c('10.20.0.0/16'), c('10.0.0.0/8'))).toBe(true);
    expect(overlaps(c('172.16.0.0/16'), c('172.17.0.0/16'))).toBe(false);
    expect(overlaps(c('fd00::/8'), c('10.0.0.0/8'))).toBe(false);
    expect(overlaps(c('fd00::/16'), c('fd00:1::/32'))).toBe(true);
  });

  it('names the clash on the field being created, as the cluster service does', () => {
    expect(
      localCidrErrors({
        vpcCidr: '10.30.0.0/16',
        podCidr: '172.24.0.0/16',
        serviceCidr: '172.24.0.0/20',
        nodeCidrs: ['10.30.1.0/24', 'x'],
      }),
    ).toEqual({
      podCidr: 'Pod CIDR 172.24.0.0/16 overlaps Service CIDR 172.24.0.0/20',
      'nodeCidrs[0]': 'edge-node CIDR 10.30.1.0/24 overlaps VPC CIDR 10.30.0.0/16',
      'nodeCidrs[1]': 'edge-node CIDR: x is not a CIDR (address/prefix, e.g. 10.0.0.0/16)',
    });
    expect(
      localCidrErrors({
        vpcCidr: '10.30.0.0/16',
        podCidr: '172.22.0.0/16',
        serviceCidr: '172.24.0.0/20',
        nodeCidrs: [],
      }),
    ).toEqual({});
    expect(localCidrErrors({ vpcCidr: '', podCidr: '', serviceCidr: '', nodeCidrs: [] })).toEqual({
      vpcCidr: 'VPC CIDR: is required',
      podCidr: 'Pod CIDR: is required',
      serviceCidr: 'Service CIDR: is required',
    });
  });
});

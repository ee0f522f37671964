import ipaddr from 'ipaddr.js';

/**
 * Pure IP/CIDR helpers (ipaddr.js). Only dotted four-part IPv4 and standard IPv6 text is accepted:
 * the legacy forms ipaddr.js also parses ("127.1", "0x7f.0.0.1") are refused on purpose, since an
 * operator never means them in a network plan.
 */

export type IpFamily = 'ipv4' | 'ipv6';

export interface Cidr {
  /** Canonical text, e.g. `10.0.0.0/16`. */
  readonly text: string;
  readonly family: IpFamily;
  readonly prefix: number;
  readonly network: ipaddr.IPv4 | ipaddr.IPv6;
}

export type CidrParseResult = { ok: true; cidr: Cidr } | { ok: false; reason: string };

import { isIpAddress } from '@edgeplane/k8s';

export { isIpAddress };

/**
 * Parses a CIDR strictly: valid address, prefix within the family's width, and no host bits set
 * (`10.0.0.5/16` is refused with the network it probably meant).
 */
export function parseCidr(text: string): CidrParseResult {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  if (slash < 0)
    return { ok: false, reason: `"${text}" is not a CIDR (expected address/prefix, e.g. 10.0.0.0/16)` };
  const addressText = trimmed.slice(0, slash);
  const prefixText = trimmed.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return { ok: false, reason: `"${text}" has an invalid prefix length` };
  const prefix = Number(prefixText);
  let network: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipaddr.IPv4.isValidFourPartDecimal(addressText)) {
    if (prefix > 32) return { ok: false, reason: `"${text}": an IPv4 prefix length is at most 32` };
    network = ipaddr.IPv4.networkAddressFromCIDR(`${addressText}/${prefix}`);
  } else if (ipaddr.IPv6.isValid(addressText) && !addressText.includes('%')) {
    if (prefix > 128) return { ok: false, reason: `"${text}": an IPv6 prefix length is at most 128` };
    network = networkOfIPv6(ipaddr.IPv6.parse(addressText), prefix);
  } else {
    return { ok: false, reason: `"${text}" does not start with a valid IP address` };
  }
  const address = ipaddr.parse(addressText);
  if (address.toNormalizedString() !== network.toNormalizedString()) {
    return {
      ok: false,
      reason: `"${text}" has host bits set; the network is ${network.toString()}/${prefix}`,
    };
  }
  const family: IpFamily = network.kind() === 'ipv4' ? 'ipv4' : 'ipv6';
  return { ok: true, cidr: { text: `${network.toString()}/${prefix}`, family, prefix, network } };
}

/** Parses or throws a plain Error; for callers that already validated the text. */
export function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.cidr;
}

function networkOfIPv6(address: ipaddr.IPv6, prefix: number): ipaddr.IPv6 {
  const bytes = address.toByteArray();
  for (let bit = prefix; bit < 128; bit++) {
    const index = bit >> 3;
    bytes[index] = (bytes[index] ?? 0) & ~(0x80 >> (bit & 7));
  }
  return ipaddr.fromByteArray(bytes) as ipaddr.IPv6;
}

function matches(address: ipaddr.IPv4 | ipaddr.IPv6, range: Cidr): boolean {
  if (address.kind() !== range.network.kind()) return false;
  if (address.kind() === 'ipv4')
    return (address as ipaddr.IPv4).match(range.network as ipaddr.IPv4, range.prefix);
  return (address as ipaddr.IPv6).match(range.network as ipaddr.IPv6, range.prefix);
}

/** True when the two ranges share at least one address (ranges of different families never do). */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  // Two prefixes overlap iff the wider one contains the narrower one's network address.
  return a.prefix <= b.prefix ? matches(b.network, a) : matches(a.network, b);
}

/** True when every address of `inner` is inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && outer.prefix <= inner.prefix && matches(inner.network, outer);
}

/** True when the IP address text lies inside the range. */
export function cidrContainsIp(range: Cidr, ip: string): boolean {
  if (!isIpAddress(ip)) return false;
  return matches(ipaddr.parse(ip), range);
}

/** Number of addresses in the range (2^(width − prefix)); a float beyond 2^53 for wide IPv6 ranges. */
export function cidrAddressCount(range: Cidr): number {
  const width = range.family === 'ipv4' ? 32 : 128;
  return 2 ** (width - range.prefix);
}

/**
 * Capacity rule for F-CL-2 ("Pod CIDR must be large enough for the tier's pod quota"): every pod
 * needs its own address, so the Pod CIDR holds a quota when its address count is at least the quota.
 * (Per-node /24 blocks would make small ranges useless for the small tiers the guide starts with.)
 */
export function podCidrHolds(podCidr: Cidr, podQuota: number): boolean {
  return cidrAddressCount(podCidr) >= podQuota;
}

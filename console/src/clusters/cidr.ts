/**
 * CIDR parsing and overlap, in the browser, for the create form's instant check among its own
 * ranges (the cluster service's rules are the authority: the form also asks it, as a dry run,
 * which knows the other clusters of the VPC).
 */
export interface Cidr {
  text: string;
  family: 4 | 6;
  /** first address as a bigint, and the prefix length */
  base: bigint;
  prefix: number;
}

function ipv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(Number(p));
  }
  return v;
}

function ipv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.split('::').length > 2) return undefined;
  const [head = '', tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.reduce((v, g) => (v << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** `10.0.0.0/16` → a Cidr, or the reason it is not one (in the words the field shows). */
export function parseCidr(text: string): Cidr | string {
  const t = text.trim();
  if (!t) return 'is required';
  const m = /^([^/]+)\/(\d{1,3})$/.exec(t);
  if (!m) return `${t} is not a CIDR (address/prefix, e.g. 10.0.0.0/16)`;
  const v4 = ipv4(m[1] as string);
  const v6 = v4 === undefined ? ipv6(m[1] as string) : undefined;
  if (v4 === undefined && v6 === undefined) return `${m[1]} is not an IP address`;
  const family = v4 !== undefined ? 4 : 6;
  const bits = family === 4 ? 32 : 128;
  const prefix = Number(m[2]);
  if (prefix > bits) return `the prefix /${prefix} is longer than ${bits}`;
  const addr = (v4 ?? v6) as bigint;
  const host = (1n << BigInt(bits - prefix)) - 1n;
  if ((addr & host) !== 0n) return `${t} has host bits set (the range starts at a network address)`;
  return { text: t, family, base: addr, prefix };
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const bits = a.family === 4 ? 32 : 128;
  const p = Math.min(a.prefix, b.prefix);
  const shift = BigInt(bits - p);
  return a.base >> shift === b.base >> shift;
}

export interface RangeFields {
  vpcCidr: string;
  podCidr: string;
  serviceCidr: string;
  nodeCidrs: string[];
}

/**
 * Field → the first problem of the form's own ranges: unparsable, or overlapping another of its
 * ranges, named as the cluster service names them (F-CL-2). Keys: vpcCidr, podCidr, serviceCidr,
 * nodeCidrs[i].
 */
export function localCidrErrors(f: RangeFields): Record<string, string> {
  const out: Record<string, string> = {};
  const parsed: Record<string, Cidr | undefined> = {};
  const check = (field: string, label: string, text: string, required: boolean) => {
    if (!text.trim() && !required) return;
    const c = parseCidr(text);
    if (typeof c === 'string') out[field] = `${label}: ${c}`;
    else parsed[field] = c;
  };
  check('vpcCidr', 'VPC CIDR', f.vpcCidr, true);
  check('podCidr', 'Pod CIDR', f.podCidr, true);
  check('serviceCidr', 'Service CIDR', f.serviceCidr, true);
  f.nodeCidrs.forEach((t, i) => check(`nodeCidrs[${i}]`, 'edge-node CIDR', t, false));
  const clash = (field: string, label: string, other: string, otherLabel: string) => {
    const a = parsed[field];
    const b = parsed[other];
    if (a && b && !out[field] && overlaps(a, b))
      out[field] = `${label} ${a.text} overlaps ${otherLabel} ${b.text}`;
  };
  clash('podCidr', 'Pod CIDR', 'serviceCidr', 'Service CIDR');
  clash('podCidr', 'Pod CIDR', 'vpcCidr', 'VPC CIDR');
  clash('serviceCidr', 'Service CIDR', 'vpcCidr', 'VPC CIDR');
  f.nodeCidrs.forEach((_, i) => {
    clash('podCidr', 'Pod CIDR', `nodeCidrs[${i}]`, `edge-node CIDR nodeCidrs[${i}]`);
    clash('serviceCidr', 'Service CIDR', `nodeCidrs[${i}]`, `edge-node CIDR nodeCidrs[${i}]`);
    clash(`nodeCidrs[${i}]`, 'edge-node CIDR', 'vpcCidr', 'VPC CIDR');
  });
  return out;
}

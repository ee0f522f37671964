import ipaddr from 'ipaddr.js';
import { IllegalStateError, ValidationError, type FieldViolation } from '@edgeplane/es-kit';
import type { nodepoolSchemas } from '@edgeplane/contracts';

export type KinsMode = nodepoolSchemas.KinsMode;
export type KinsNode = nodepoolSchemas.KinsNode;
export type PortRange = nodepoolSchemas.PortRange;

/** Facts about the host cluster that the service layer reads from its cluster projection. */
export interface HostCluster {
  kubernetesVersion: string;
  runtime: string;
  podCidr?: string;
  serviceCidr?: string;
  /** The host cluster's NodePort range (K3s NodePorts share the nodes' host network). */
  nodePortRange?: PortRange;
}

/** Ranges held by the cluster's other K3s units (any phase but none). */
export interface TakenKinsRanges {
  unit: string;
  serviceCidr: string;
  nodePortRange: PortRange;
}

const KINS_KUBERNETES_MINOR = '1.22';
const KINS_RUNTIME = 'containerd';
const DEFAULT_HOST_NODE_PORT_RANGE: PortRange = { from: 30000, to: 32767 };
const NODE_PORT_BLOCK = 1000;
const NODE_PORT_BASE = 40000;

/** Kins runs only on Kubernetes 1.22 (any patch) with containerd (guide: Kins 使用指南). */
export function assertKinsHost(host: HostCluster): void {
  const version = host.kubernetesVersion.replace(/^v/, '');
  const problems: string[] = [];
  if (!(version === KINS_KUBERNETES_MINOR || version.startsWith(`${KINS_KUBERNETES_MINOR}.`))) {
    problems.push(`Kubernetes ${host.kubernetesVersion} (Kins needs ${KINS_KUBERNETES_MINOR})`);
  }
  if (host.runtime !== KINS_RUNTIME) problems.push(`runtime ${host.runtime} (Kins needs ${KINS_RUNTIME})`);
  if (problems.length > 0) {
    throw new IllegalStateError(`Kins cannot run on this cluster: ${problems.join(' and ')}`);
  }
}

/**
 * Server/agent roles. 1–2 members: single master only; ≥ 3: single or 3-master HA. Servers are the
 * operator's choice or the first members by name; everyone else is an agent.
 */
export function assignRoles(
  unit: string,
  members: readonly string[],
  mode: KinsMode,
  servers?: readonly string[],
): KinsNode[] {
  if (members.length === 0)
    throw new IllegalStateError(`unit "${unit}" has no nodes; add nodes before promoting it`);
  const wanted = mode === 'ha' ? 3 : 1;
  if (mode === 'ha' && members.length < 3) {
    throw ValidationError.field(
      'mode',
      `3-master HA needs at least 3 nodes; unit "${unit}" has ${members.length} (${members.join(', ')}), so only single master is possible`,
    );
  }
  let chosen: string[];
  if (servers && servers.length > 0) {
    const unique = [...new Set(servers)];
    const violations: FieldViolation[] = [];
    if (unique.length !== servers.length)
      violations.push({ field: 'servers', description: `duplicate server nodes in ${servers.join(', ')}` });
    for (const s of unique) {
      if (!members.includes(s))
        violations.push({
          field: 'servers',
          description: `node "${s}" is not a member of unit "${unit}" (members: ${members.join(', ')})`,
        });
    }
    if (unique.length !== wanted) {
      violations.push({
        field: 'servers',
        description: `${mode === 'ha' ? '3-master HA' : 'single master'} needs exactly ${wanted} server node(s), got ${unique.length}`,
      });
    }
    if (violations.length > 0) throw new ValidationError(violations);
    chosen = unique;
  } else {
    chosen = [...members].sort().slice(0, wanted);
  }
  const serverSet = new Set(chosen);
  return [...members].sort().map((name) => ({ name, role: serverSet.has(name) ? 'server' : 'agent' }));
}

export interface Allocation {
  serviceCidr: string;
  clusterDns: string;
  nodePortRange: PortRange;
}

/**
 * Per-unit service CIDR and NodePort range. Defaults follow SuperEdge (`26.<k>.0.0/16`, NodePorts
 * `40000+1000k … +999`) but k is the lowest FREE slot, not the number of existing K3s units —
 * SuperEdge's count-based k hands out a range that is still in use after a unit in the middle is
 * demoted. Operator overrides are checked against the same ranges; a clash names both ranges.
 */
export function allocateRanges(
  host: HostCluster,
  taken: readonly TakenKinsRanges[],
  override: { serviceCidr?: string; nodePortRange?: PortRange } = {},
): Allocation {
  const reservedCidrs: { cidr: string; owner: string }[] = [
    ...(host.podCidr ? [{ cidr: host.podCidr, owner: "the cluster's Pod CIDR" }] : []),
    ...(host.serviceCidr ? [{ cidr: host.serviceCidr, owner: "the cluster's Service CIDR" }] : []),
    ...taken.map((t) => ({ cidr: t.serviceCidr, owner: `the service CIDR of K3s unit "${t.unit}"` })),
  ];
  const reservedPorts: { range: PortRange; owner: string }[] = [
    { range: host.nodePortRange ?? DEFAULT_HOST_NODE_PORT_RANGE, owner: "the cluster's NodePort range" },
    ...taken.map((t) => ({ range: t.nodePortRange, owner: `the NodePort range of K3s unit "${t.unit}"` })),
  ];
  const violations: FieldViolation[] = [];

  let serviceCidr: string | undefined;
  if (override.serviceCidr !== undefined) {
    const problem = ipv4CidrProblem(override.serviceCidr);
    if (problem) violations.push({ field: 'serviceCidr', description: problem });
    else {
      serviceCidr = canonicalCidr(override.serviceCidr);
      for (const r of reservedCidrs) {
        if (cidrsOverlap(serviceCidr, r.cidr)) {
          violations.push({
            field: 'serviceCidr',
            description: `service CIDR ${serviceCidr} overlaps ${r.cidr}, ${r.owner}`,
          });
        }
      }
    }
  } else {
    for (let k = 0; k < 256 && serviceCidr === undefined; k++) {
      const candidate = `26.${k}.0.0/16`;
      if (!reservedCidrs.some((r) => cidrsOverlap(candidate, r.cidr))) serviceCidr = candidate;
    }
    if (serviceCidr === undefined)
      throw new IllegalStateError('no free service CIDR left in 26.0.0.0/8; pass one explicitly');
  }

  let nodePortRange: PortRange | undefined;
  if (override.nodePortRange !== undefined) {
    const { from, to } = override.nodePortRange;
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to > 65535 || from > to) {
      violations.push({
        field: 'nodePortRange',
        description: `NodePort range ${from}-${to} must be within 1-65535 with from ≤ to`,
      });
    } else {
      nodePortRange = { from, to };
      for (const r of reservedPorts) {
        if (rangesOverlap(nodePortRange, r.range)) {
          violations.push({
            field: 'nodePortRange',
            description: `NodePort range ${from}-${to} overlaps ${r.range.from}-${r.range.to}, ${r.owner}`,
          });
        }
      }
    }
  } else {
    for (
      let k = 0;
      NODE_PORT_BASE + NODE_PORT_BLOCK * (k + 1) - 1 <= 65535 && nodePortRange === undefined;
      k++
    ) {
      const candidate = {
        from: NODE_PORT_BASE + NODE_PORT_BLOCK * k,
        to: NODE_PORT_BASE + NODE_PORT_BLOCK * (k + 1) - 1,
      };
      if (!reservedPorts.some((r) => rangesOverlap(candidate, r.range))) nodePortRange = candidate;
    }
    if (nodePortRange === undefined)
      throw new IllegalStateError('no free NodePort block left above 40000; pass a range explicitly');
  }

  if (violations.length > 0) throw new ValidationError(violations);
  return {
    serviceCidr: serviceCidr as string,
    clusterDns: clusterDnsOf(serviceCidr as string),
    nodePortRange: nodePortRange as PortRange,
  };
}

/** K3s convention: the cluster DNS service is the 10th address of the service CIDR. */
export function clusterDnsOf(cidr: string): string {
  const bytes = ipaddr.IPv4.networkAddressFromCIDR(cidr).toByteArray();
  const n = bytes.reduce((acc, b) => acc * 256 + b, 0) + 10;
  return [
    Math.floor(n / 2 ** 24) % 256,
    Math.floor(n / 2 ** 16) % 256,
    Math.floor(n / 256) % 256,
    n % 256,
  ].join('.');
}

export function kubeconfigRefs(clusterId: string, unit: string, generation: number) {
  const base = `kins://${clusterId}/${unit}/${generation}`;
  return { internal: `${base}/internal`, public: `${base}/public` };
}

function ipv4CidrProblem(cidr: string): string | undefined {
  if (!ipaddr.IPv4.isValidCIDR(cidr)) return `"${cidr}" is not an IPv4 CIDR`;
  const [, bits] = ipaddr.IPv4.parseCIDR(cidr);
  if (bits < 12 || bits > 24) return `service CIDR ${cidr} must be between /12 and /24`;
  return undefined;
}

function canonicalCidr(cidr: string): string {
  const [, bits] = ipaddr.IPv4.parseCIDR(cidr);
  return `${ipaddr.IPv4.networkAddressFromCIDR(cidr).toString()}/${bits}`;
}

/** Prefix ranges either nest or are disjoint: they overlap iff the wider one holds the other. */
export function cidrsOverlap(a: string, b: string): boolean {
  const ra = ipaddr.parseCIDR(a);
  const rb = ipaddr.parseCIDR(b);
  if (ra[0].kind() !== rb[0].kind()) return false;
  return ra[1] <= rb[1] ? rb[0].match(ra) : ra[0].match(rb);
}

function rangesOverlap(a: PortRange, b: PortRange): boolean {
  return a.from <= b.to && b.from <= a.to;
}

/** bcrypt hash shape ($2a$/$2b$/$2y$, cost, 53 chars of salt+hash). */
export const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

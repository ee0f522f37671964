import { validateEventData } from '@edgeplane/contracts';
import type { ValidationError } from '@edgeplane/es-kit';
import { clusterDecider, type ClusterEvent, type CreateCluster, type CredentialFacts } from '../src/index.js';

/** Shared, deterministic inputs for the decider specs (no clock, no randomness). */
export const NOW = '2025-03-01T08:00:00.000Z';
export const LATER = '2025-03-01T09:00:00.000Z';
export const CLUSTER_ID = 'cls-gz01';

export const CA = {
  certPem: '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n',
  fingerprint: 'c'.repeat(64),
  notAfter: '2035-03-01T08:00:00.000Z',
};

export function credential(n: number): CredentialFacts {
  return {
    serial: `0${n}ab`,
    fingerprint: String(n % 10).repeat(64),
    notBefore: NOW,
    notAfter: '2026-03-01T08:00:00.000Z',
  };
}

export function createCommand(overrides: Partial<CreateCluster> = {}): CreateCluster {
  return {
    type: 'CreateCluster',
    clusterId: CLUSTER_ID,
    name: 'factory-gz',
    description: 'Guangzhou factories',
    kubernetesVersion: '1.22.5',
    runtime: 'containerd',
    region: 'ap-guangzhou',
    kubeProxyMode: 'ipvs',
    vpcId: 'vpc-01',
    vpcCidr: '10.0.0.0/16',
    podCidr: '172.16.0.0/16',
    serviceCidr: '172.17.0.0/20',
    nodeCidrs: ['192.168.1.0/24'],
    tier: 'L5',
    autoUpgrade: false,
    otherClustersInVpc: [],
    ca: CA,
    adminCredential: credential(1),
    now: NOW,
    ...overrides,
  };
}

/** The events of a successful creation, produced by the decider itself. */
export function createdEvents(overrides: Partial<CreateCluster> = {}): ClusterEvent[] {
  return clusterDecider.decide(createCommand(overrides), clusterDecider.initialState);
}

export const publicAccessOn: ClusterEvent = {
  type: 'ClusterAccessChanged',
  data: {
    clusterId: CLUSTER_ID,
    publicAccess: true,
    privateAccess: { enabled: false, subnetId: null },
    changedAt: NOW,
  },
};

export function admitted(
  nodeName: string,
  nodeCount: number,
  overCapacity = false,
  tier = 'L5',
): ClusterEvent {
  return {
    type: 'ClusterNodeAdmitted',
    data: { clusterId: CLUSTER_ID, nodeName, nodeCount, tier, overCapacity, admittedAt: NOW },
  };
}

/** Every event a decider emits must be a valid catalogue entry (schema and type). */
export function expectCatalogued(events: { type: string; data: unknown }[]): void {
  for (const event of events) validateEventData(event.type, 1, event.data);
}

/** A check for `thenThrows(ValidationError, …)`: a violation on `field` whose description has every part. */
export const hasViolation =
  (field: string, ...parts: string[]) =>
  (e: ValidationError): boolean =>
    e.violations.some((v) => v.field === field && parts.every((p) => v.description.includes(p)));

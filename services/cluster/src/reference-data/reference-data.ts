/**
 * Reference tables of the cluster service: what a cluster may be created with. They are data — a
 * new Kubernetes version, region or tier is a row here (or in a table loaded at start-up and passed
 * to `makeClusterDecider`), never a code change in a decider.
 */

export type ContainerRuntime = 'docker' | 'containerd';

export interface KubernetesVersionRow {
  version: string;
  runtimes: readonly ContainerRuntime[];
}

export interface RegionRow {
  id: string;
  name: string;
}

/**
 * A cluster tier ("集群规格"): caps on nodes, pods, ConfigMaps and CRDs. The ladder is ordered
 * from smallest to largest; auto-upgrade moves one row up.
 */
export interface TierRow {
  name: string;
  nodes: number;
  pods: number;
  configMaps: number;
  crds: number;
}

export interface ContainerRuntimeRow {
  name: ContainerRuntime;
  /** Default container/image storage directory for the join flow (guide: e.g. /var/lib/docker). */
  defaultContainerDir: string;
}

export interface ReferenceData {
  kubernetesVersions: readonly KubernetesVersionRow[];
  runtimes: readonly ContainerRuntimeRow[];
  regions: readonly RegionRow[];
  /** Ordered ladder, smallest first. */
  tiers: readonly TierRow[];
  defaultTier: string;
}

// Versions supported by TKE Edge per the product guide ("目前支持 Kubernetes 1.18.2, 1.20.6，1.22.5").
const KUBERNETES_VERSIONS: readonly KubernetesVersionRow[] = [
  { version: '1.18.2', runtimes: ['docker', 'containerd'] },
  { version: '1.20.6', runtimes: ['docker', 'containerd'] },
  { version: '1.22.5', runtimes: ['docker', 'containerd'] },
];

const RUNTIMES: readonly ContainerRuntimeRow[] = [
  { name: 'docker', defaultContainerDir: '/var/lib/docker' },
  { name: 'containerd', defaultContainerDir: '/var/lib/containerd' },
];

const REGIONS: readonly RegionRow[] = [
  { id: 'ap-guangzhou', name: 'Guangzhou' },
  { id: 'ap-beijing', name: 'Beijing' },
  { id: 'ap-shanghai', name: 'Shanghai' },
  { id: 'ap-nanjing', name: 'Nanjing' },
  { id: 'ap-chengdu', name: 'Chengdu' },
  { id: 'ap-chongqing', name: 'Chongqing' },
  { id: 'ap-hongkong', name: 'Hong Kong' },
  { id: 'ap-singapore', name: 'Singapore' },
  { id: 'ap-tokyo', name: 'Tokyo' },
  { id: 'ap-seoul', name: 'Seoul' },
  { id: 'ap-mumbai', name: 'Mumbai' },
  { id: 'ap-bangkok', name: 'Bangkok' },
  { id: 'ap-jakarta', name: 'Jakarta' },
  { id: 'na-siliconvalley', name: 'Silicon Valley' },
  { id: 'na-ashburn', name: 'Virginia' },
  { id: 'eu-frankfurt', name: 'Frankfurt' },
  { id: 'sa-saopaulo', name: 'São Paulo' },
];

// The guide names the caps but points elsewhere for the numbers; this ladder follows the shape of
// TKE's managed-cluster specs (L5 … L5000): ~30 pods per node, ConfigMaps and CRDs growing slower.
const TIERS: readonly TierRow[] = [
  { name: 'L5', nodes: 5, pods: 150, configMaps: 128, crds: 150 },
  { name: 'L20', nodes: 20, pods: 600, configMaps: 256, crds: 200 },
  { name: 'L50', nodes: 50, pods: 1_500, configMaps: 512, crds: 250 },
  { name: 'L100', nodes: 100, pods: 3_000, configMaps: 1_024, crds: 300 },
  { name: 'L200', nodes: 200, pods: 6_000, configMaps: 2_048, crds: 350 },
  { name: 'L500', nodes: 500, pods: 15_000, configMaps: 4_096, crds: 400 },
  { name: 'L1000', nodes: 1_000, pods: 30_000, configMaps: 6_144, crds: 450 },
  { name: 'L3000', nodes: 3_000, pods: 90_000, configMaps: 8_192, crds: 500 },
  { name: 'L5000', nodes: 5_000, pods: 150_000, configMaps: 10_240, crds: 550 },
];

export const defaultReferenceData: ReferenceData = Object.freeze({
  kubernetesVersions: KUBERNETES_VERSIONS,
  runtimes: RUNTIMES,
  regions: REGIONS,
  tiers: TIERS,
  defaultTier: 'L5',
});

export function findTier(ref: ReferenceData, name: string): TierRow | undefined {
  return ref.tiers.find((t) => t.name === name);
}

/** Position of a tier on the ladder (0 = smallest), -1 when unknown. */
export function tierRank(ref: ReferenceData, name: string): number {
  return ref.tiers.findIndex((t) => t.name === name);
}

/** The next tier up, or undefined at the top of the ladder. */
export function nextTier(ref: ReferenceData, name: string): TierRow | undefined {
  const rank = tierRank(ref, name);
  return rank < 0 ? undefined : ref.tiers[rank + 1];
}

export function defaultContainerDir(ref: ReferenceData, runtime: ContainerRuntime): string {
  return ref.runtimes.find((r) => r.name === runtime)?.defaultContainerDir ?? '/var/lib/containerd';
}

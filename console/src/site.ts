import { useQuery } from '@tanstack/react-query';
import { kubeGet } from './api';

const SITE = '/apis/site.superedge.io/v1alpha2';

export interface NodeUnit {
  metadata: { name: string; creationTimestamp?: string | null; labels?: Record<string, string> };
  spec: {
    type?: string;
    nodes?: string[];
    selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
    setNode?: { labels?: Record<string, string>; taints?: { key: string; value?: string; effect: string }[] };
  };
  status?: { readyNodes?: string[]; notReadyNodes?: string[]; readyRate?: string };
}
export interface NodeGroup {
  metadata: { name: string; creationTimestamp?: string | null };
  spec: { nodeUnits?: string[]; selector?: unknown; autoFindNodeKeys?: string[] };
  status?: { nodeUnits?: string[]; unitNumber?: number };
}

/** The key under which units and groups are cached: the node watch invalidates it on membership or readiness changes. */
export const siteKey = (clusterId: string) => ['site', clusterId];

export function useNodeUnits(clusterId: string) {
  return useQuery({
    queryKey: [...siteKey(clusterId), 'nodeunits'],
    queryFn: ({ signal }) => kubeGet<{ items: NodeUnit[] }>(`${SITE}/nodeunits`, signal).then((l) => l.items),
    refetchOnWindowFocus: false,
  });
}

export function useNodeGroups(clusterId: string) {
  return useQuery({
    queryKey: [...siteKey(clusterId), 'nodegroups'],
    queryFn: ({ signal }) =>
      kubeGet<{ items: NodeGroup[] }>(`${SITE}/nodegroups`, signal).then((l) => l.items),
    refetchOnWindowFocus: false,
  });
}

import { useEffect, useState } from 'react';
import { ApiError, kubeGet, kubeRequest, kubeWatch } from '../api';
import type { KubeNode, Taint } from '../nodes';

/**
 * The node page's writes and reads beyond the node list: merge PATCHes of the Node (as kubectl
 * label / cordon send them), `POST nodes/<name>/drain`, and the node's pods (list + watch with
 * `fieldSelector=spec.nodeName=<name>`: a drain's progress and the terminal's pod choice).
 */

/** Annotations kube-api serves on every Node (services/kube-api/src/resources/nodes.ts). */
export const LABEL_OWNERS = 'edgeplane.io/label-owners';
export const TAINT_OWNERS = 'edgeplane.io/taint-owners';
export const CORDONS = 'edgeplane.io/cordons';
export const DRAINING = 'edgeplane.io/draining';
const SERVED = new Set([LABEL_OWNERS, TAINT_OWNERS, CORDONS, DRAINING]);

function parseJson<T>(text: string | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Owners in display order: what the operator may change first, then the services. */
const OWNER_ORDER = ['operator', 'cluster', 'nodepool', 'health-arbiter'];
const ownerRank = (o: string) => (OWNER_ORDER.includes(o) ? OWNER_ORDER.indexOf(o) : OWNER_ORDER.length);

/** The node's labels grouped by owner (`edgeplane.io/label-owners`; unlisted → operator). */
export function labelsByOwner(n: KubeNode): { owner: string; labels: [string, string][] }[] {
  const owners = parseJson<Record<string, string>>(n.metadata.annotations?.[LABEL_OWNERS], {});
  const groups = new Map<string, [string, string][]>();
  for (const [k, v] of Object.entries(n.metadata.labels ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const owner = owners[k] ?? 'operator';
    groups.set(owner, [...(groups.get(owner) ?? []), [k, v]]);
  }
  return [...groups.entries()]
    .map(([owner, labels]) => ({ owner, labels }))
    .sort((a, b) => ownerRank(a.owner) - ownerRank(b.owner) || a.owner.localeCompare(b.owner));
}

export function taintOwner(n: KubeNode, t: Taint): string {
  const owners = parseJson<Record<string, string>>(n.metadata.annotations?.[TAINT_OWNERS], {});
  return owners[`${t.key}:${t.effect}`] ?? 'operator';
}

export function cordonsOf(n: KubeNode): { holder: string; reason: string; since: string }[] {
  return parseJson(n.metadata.annotations?.[CORDONS], []);
}

export const isDraining = (n: KubeNode) => n.metadata.annotations?.[DRAINING] === 'true';

/** The node's own annotations (those of its owners), without the ones this API serves. */
export function ownAnnotations(n: KubeNode): [string, string][] {
  return Object.entries(n.metadata.annotations ?? {}).filter(([k]) => !SERVED.has(k));
}

const nodePath = (name: string) => `/api/v1/nodes/${encodeURIComponent(name)}`;

export const patchNode = (name: string, patch: Record<string, unknown>) =>
  kubeRequest<KubeNode>('PATCH', nodePath(name), {
    body: patch,
    contentType: 'application/merge-patch+json',
  });
export const setLabel = (name: string, key: string, value: string) =>
  patchNode(name, { metadata: { labels: { [key]: value } } });
export const removeLabel = (name: string, key: string) =>
  patchNode(name, { metadata: { labels: { [key]: null } } });
export const setUnschedulable = (name: string, cordon: boolean) =>
  patchNode(name, { spec: { unschedulable: cordon ? true : null } });
export const drainNode = (name: string, gracePeriodSeconds?: number) =>
  kubeRequest<KubeNode>('POST', `${nodePath(name)}/drain`, {
    body: gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds },
  });

/** A label key as Kubernetes takes it: optional DNS prefix, a name of ≤ 63 characters. */
export function labelKeyProblem(key: string): string | undefined {
  if (!key) return 'a key is required';
  const [prefix, name] = key.includes('/') ? key.split(/\/(.*)/s, 2) : ['', key];
  if (prefix && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix))
    return `the prefix "${prefix}" must be a DNS subdomain (lower case letters, digits, '-' and '.')`;
  if (prefix && prefix.length > 253) return 'the prefix must be at most 253 characters';
  if (!name || name.length > 63 || !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name))
    return 'the name must be 1–63 characters: letters, digits, "-", "_", "." and begin and end with a letter or digit';
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return 'a value must be at most 63 characters';
  if (value && !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value))
    return 'a value must be letters, digits, "-", "_", "." and begin and end with a letter or digit';
  return undefined;
}

export interface KubePod {
  metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  spec?: { nodeName?: string; containers?: { name: string }[] };
  status?: { phase?: string };
}
interface PodList {
  metadata: { resourceVersion: string };
  items: KubePod[];
}

/**
 * The pods bound to a node, live: one list, then a watch from its resourceVersion (410 → list
 * again; network errors back off 0.5 s … 30 s). `undefined` until the first list answers.
 */
export function useNodePods(nodeName: string): { pods?: KubePod[]; error?: Error } {
  const [pods, setPods] = useState<Map<string, KubePod>>();
  const [error, setError] = useState<Error>();
  useEffect(() => {
    const abort = new AbortController();
    const selector = `fieldSelector=${encodeURIComponent(`spec.nodeName=${nodeName}`)}`;
    const key = (p: KubePod) => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;
    (async () => {
      let failures = 0;
      while (!abort.signal.aborted) {
        try {
          const list = await kubeGet<PodList>(`/api/v1/pods?${selector}`, abort.signal);
          const byKey = new Map(list.items.map((p) => [key(p), p]));
          setPods(new Map(byKey));
          setError(undefined);
          let rv = list.metadata.resourceVersion;
          for (;;) {
            rv = await kubeWatch<KubePod>(
              `/api/v1/pods?${selector}`,
              rv,
              (e) => {
                if (e.type === 'BOOKMARK') return;
                if (e.type === 'DELETED' || e.object.spec?.nodeName !== nodeName) byKey.delete(key(e.object));
                else byKey.set(key(e.object), e.object);
                setPods(new Map(byKey));
              },
              abort.signal,
            );
            failures = 0;
          }
        } catch (e) {
          if (abort.signal.aborted) return;
          if (e instanceof ApiError && e.status === 410) continue;
          setError(e as Error);
          if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return;
          failures += 1;
          await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** failures)));
        }
      }
    })();
    return () => abort.abort();
  }, [nodeName]);
  return {
    ...(pods
      ? { pods: [...pods.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)) }
      : {}),
    ...(error ? { error } : {}),
  };
}

import { createHash } from 'node:crypto';
import type { ResourceDef } from '../resources/resource.js';

/** Discovery documents from the routing table: aggregated (apidiscovery v2/v2beta1) and legacy. */
export function groupsOf(resources: readonly ResourceDef[]): Map<string, ResourceDef[]> {
  const m = new Map<string, ResourceDef[]>();
  for (const r of resources) m.set(r.group, [...(m.get(r.group) ?? []), r]);
  return m;
}

function resourceEntry(r: ResourceDef, version: string) {
  return {
    resource: r.plural,
    responseKind: { group: r.group, version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: [...r.verbs],
    ...(r.shortNames.length ? { shortNames: [...r.shortNames] } : {}),
  };
}

export function aggregatedDiscovery(resources: readonly ResourceDef[], legacy: boolean, apiVersion: string) {
  const items = [...groupsOf(resources)]
    .filter(([group]) => (legacy ? group === '' : group !== ''))
    .map(([group, rs]) => ({
      metadata: { name: group, creationTimestamp: null },
      versions: (rs[0]?.versions ?? []).map((version) => ({
        version,
        resources: rs.map((r) => resourceEntry(r, version)),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion, metadata: {}, items };
}

export function apiVersions() {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }],
  };
}

export function apiGroupList(resources: readonly ResourceDef[]) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groupsOf(resources)]
      .filter(([g]) => g !== '')
      .map(([name, rs]) => {
        const versions = (rs[0]?.versions ?? []).map((version) => ({
          groupVersion: `${name}/${version}`,
          version,
        }));
        return { name, versions, preferredVersion: versions[0] };
      }),
  };
}

export function apiResourceList(resources: readonly ResourceDef[], group: string, version: string) {
  const rs = resources.filter((r) => r.group === group && r.versions.includes(version));
  if (!rs.length) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: rs.map((r) => ({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: [...r.verbs],
      ...(r.shortNames.length ? { shortNames: [...r.shortNames] } : {}),
    })),
  };
}

/** The group-versions OpenAPI v3 has a document for: "api/v1", "apis/<group>/<version>". */
export function openApiPaths(resources: readonly ResourceDef[]): string[] {
  const out = new Set<string>();
  for (const r of resources)
    for (const v of r.versions) out.add(r.group ? `apis/${r.group}/${v}` : `api/${v}`);
  return [...out];
}

export function schemaName(r: ResourceDef, version: string): string {
  return r.group
    ? `${r.group.split('.').reverse().join('.')}.${version}.${r.kind}`
    : `io.k8s.api.core.${version}.${r.kind}`;
}

/**
 * One group-version's OpenAPI v3 document: per resource a schema with its
 * x-kubernetes-group-version-kind, and paths whose `patch` declares `fieldValidation` (what makes
 * kubectl leave validation to the server, research/kube-api.md).
 */
export function openApiDocument(resources: readonly ResourceDef[], gvPath: string) {
  const rs = resources.filter((r) =>
    r.versions.some((v) => (r.group ? `apis/${r.group}/${v}` : `api/${v}`) === gvPath),
  );
  if (!rs.length) return undefined;
  const version = gvPath.split('/').at(-1) ?? '';
  const schemas: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {};
  const query = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
  for (const r of rs) {
    const name = schemaName(r, version);
    schemas[name] = r.schema(version);
    const gvk = { group: r.group, version, kind: r.kind };
    const ref = { $ref: `#/components/schemas/${name}` };
    const ok = { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } };
    const op = (action: string, extra: Record<string, unknown> = {}) => ({
      operationId: `${action}${r.kind}`,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      responses: ok,
      ...extra,
    });
    const base = `/${gvPath}/${r.namespaced ? 'namespaces/{namespace}/' : ''}${r.plural}`;
    paths[base] = {
      get: op('list', {
        parameters: [
          query('labelSelector'),
          query('fieldSelector'),
          query('limit'),
          query('continue'),
          query('watch'),
        ],
      }),
      ...(r.verbs.includes('create')
        ? {
            post: op('post', {
              parameters: [query('fieldValidation'), query('fieldManager'), query('dryRun')],
            }),
          }
        : {}),
    };
    paths[`${base}/{name}`] = {
      get: op('get'),
      ...(r.verbs.includes('update')
        ? {
            put: op('put', {
              parameters: [query('fieldValidation'), query('fieldManager'), query('dryRun')],
            }),
          }
        : {}),
      ...(r.verbs.includes('patch')
        ? {
            patch: op('patch', {
              parameters: [query('fieldValidation'), query('fieldManager'), query('force'), query('dryRun')],
            }),
          }
        : {}),
      ...(r.verbs.includes('delete') ? { delete: op('delete') } : {}),
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Edgeplane Kubernetes API', version: gvPath },
    paths,
    components: { schemas },
  };
}

export function hashOf(doc: unknown): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 64).toUpperCase();
}

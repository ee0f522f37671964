import { ApiError } from '../http/status.js';
import {
  ageColumn,
  humanAge,
  nameColumn,
  objectMetaSchema,
  stableUid,
  type KubeObject,
  type RequestContext,
  type ResourceDef,
} from './resource.js';

/** The namespaces every cluster has. Edge workloads are cluster-scoped grids, so there are no others yet. */
const NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

function namespaceObject(ctx: RequestContext, name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid: stableUid(ctx.clusterId, 'namespace', name),
      resourceVersion: ctx.resourceVersion,
      creationTimestamp: null,
      labels: { 'kubernetes.io/metadata.name': name },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export const namespacesResource: ResourceDef = {
  group: '',
  versions: ['v1'],
  storageVersion: 'v1',
  plural: 'namespaces',
  singular: 'namespace',
  kind: 'Namespace',
  shortNames: ['ns'],
  namespaced: false,
  verbs: ['get', 'list'],
  async list(ctx) {
    return { items: NAMESPACES.map((n) => namespaceObject(ctx, n)) };
  },
  async get(ctx, name) {
    if (!NAMESPACES.includes(name))
      throw new ApiError(404, 'NotFound', `namespaces "${name}" not found`, { name, kind: 'namespaces' });
    return namespaceObject(ctx, name);
  },
  columns: [
    nameColumn,
    { name: 'Status', type: 'string', format: '', description: 'The phase of the namespace.', priority: 0 },
    ageColumn,
  ],
  cells: (obj, now) => [
    obj.metadata.name,
    'Active',
    humanAge(obj.metadata.creationTimestamp as string | undefined, now),
  ],
  schema: () => ({
    type: 'object',
    description: 'Namespace provides a scope for Names.',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: objectMetaSchema,
      status: {
        type: 'object',
        properties: { phase: { type: 'string', description: 'Active or Terminating.' } },
      },
    },
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Namespace' }],
  }),
};

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

/**
 * Events: served (kubectl describe and `get events` ask) but empty for now — a node's timeline is
 * in `edgeplane node describe`; mapping it to Events is later work.
 */
export const eventsResource: ResourceDef = {
  group: '',
  versions: ['v1'],
  storageVersion: 'v1',
  plural: 'events',
  singular: 'event',
  kind: 'Event',
  shortNames: ['ev'],
  namespaced: true,
  verbs: ['get', 'list'],
  async list() {
    return { items: [] };
  },
  async get(_ctx, name) {
    throw new ApiError(404, 'NotFound', `events "${name}" not found`, { name, kind: 'events' });
  },
  columns: [
    {
      name: 'Last Seen',
      type: 'string',
      format: '',
      description: 'When the event was last seen.',
      priority: 0,
    },
    { name: 'Type', type: 'string', format: '', description: 'Normal or Warning.', priority: 0 },
    { name: 'Reason', type: 'string', format: '', description: 'Short reason.', priority: 0 },
    {
      name: 'Object',
      type: 'string',
      format: '',
      description: 'The object the event is about.',
      priority: 0,
    },
    { name: 'Message', type: 'string', format: '', description: 'Human readable message.', priority: 0 },
  ],
  cells: () => [],
  schema: () => ({
    type: 'object',
    description: 'Event is a report of an event somewhere in the cluster.',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: objectMetaSchema,
      reason: { type: 'string' },
      message: { type: 'string' },
      type: { type: 'string' },
    },
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Event' }],
  }),
};

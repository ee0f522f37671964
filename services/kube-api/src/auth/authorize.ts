import { ApiError } from '../http/status.js';
import type { Identity } from './authenticate.js';

export interface RequestAttributes {
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';
  group: string;
  resource: string;
  name?: string;
  /** for namespaced resources */
  namespace?: string;
  /** e.g. `status`, `log`, `exec` */
  subresource?: string;
  /** list/watch: the request's field selector (a node may list only what is bound to it) */
  fieldSelector?: string;
}

/** The roles of auth-design.md by their Kubernetes names, and the certificate O that carries each. */
export type Role = 'cluster-admin' | 'edit' | 'view';
export const ROLE_OF_GROUP: Readonly<Record<string, Role>> = {
  'system:masters': 'cluster-admin',
  'edgeplane:edit': 'edit',
  'edgeplane:view': 'view',
};

const READ_VERBS = new Set(['get', 'list', 'watch']);
const SELF_REVIEWS = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews']);
/** Subresources a reader may read (as Kubernetes' view role reads pods/log; a grid's rollout status). */
const READABLE_SUBRESOURCES = new Set(['', 'log', 'status', 'rollout', 'kins']);

/** The strongest role the identity's groups give (a node credential has none: its own rules apply). */
export function roleOf(identity: Identity): Role | undefined {
  if (identity.kind === 'node') return undefined;
  const roles = identity.groups.map((g) => ROLE_OF_GROUP[g]).filter((r): r is Role => r !== undefined);
  if (roles.includes('cluster-admin')) return 'cluster-admin';
  if (roles.includes('edit')) return 'edit';
  if (roles.includes('view')) return 'view';
  return undefined;
}

/**
 * Authorization (issue 12, auth-design.md): RBAC with Kubernetes' role names — `cluster-admin`
 * (O=system:masters) everything, `edit` reads and writes of the served kinds and exec, `view`
 * reads (get/list/watch, pods/log) only — and node credentials limited as Kubernetes' Node
 * authorizer limits kubelets: its own Node (get, or list/watch with `metadata.name=<self>`), its
 * own node status (patch/update), and pods bound to it (list/watch with `spec.nodeName=<self>`;
 * a get is checked on the object by `authorizeObject`). Returns the Forbidden to answer, if any.
 */
export function authorize(identity: Identity, attrs: RequestAttributes): ApiError | undefined {
  // "may I?" is everyone's question (Kubernetes' system:basic-user): resources/access-reviews.ts
  if (
    attrs.verb === 'create' &&
    attrs.group === 'authorization.k8s.io' &&
    SELF_REVIEWS.has(attrs.resource) &&
    !attrs.subresource &&
    (identity.kind === 'node' || roleOf(identity))
  )
    return undefined;
  if (identity.kind === 'node') return authorizeNode(identity, attrs);
  const role = roleOf(identity);
  const sub = attrs.subresource ?? '';
  if (role === 'cluster-admin') return undefined;
  if (role === 'edit') return undefined;
  if (role === 'view' && READ_VERBS.has(attrs.verb) && READABLE_SUBRESOURCES.has(sub)) return undefined;
  return forbidden(identity, attrs);
}

/**
 * For requests whose right depends on the object (a node reading one pod): called with the object
 * read, before it is answered. Undefined = allowed.
 */
export function authorizeObject(
  identity: Identity,
  attrs: RequestAttributes,
  object: object,
): ApiError | undefined {
  if (identity.kind !== 'node' || attrs.group !== '' || attrs.resource !== 'pods') return undefined;
  const nodeName = (object as { spec?: { nodeName?: unknown } }).spec?.nodeName;
  if (typeof nodeName === 'string' && nodeName === identity.nodeName) return undefined;
  return forbidden(identity, attrs, noRelationship(identity));
}

/** Whether the identity may ask for a bearer token (POST …/edgeplane/v1/tokens): people, not nodes. */
export function mayRequestToken(identity: Identity): ApiError | undefined {
  if (identity.kind !== 'node' && identity.via !== 'token' && roleOf(identity)) return undefined;
  return forbidden(
    identity,
    { verb: 'create', group: 'edgeplane.io', resource: 'tokens' },
    identity.via === 'token'
      ? 'a token cannot be exchanged for another; use the client certificate'
      : 'only a credential with a role (view, edit, cluster-admin) may ask for a token',
  );
}

function authorizeNode(identity: Identity, attrs: RequestAttributes): ApiError | undefined {
  const self = identity.nodeName;
  const sub = attrs.subresource ?? '';
  if (!self || attrs.group !== '') return forbidden(identity, attrs, noRelationship(identity));
  if (attrs.resource === 'nodes') {
    if (sub === '' && attrs.verb === 'get' && attrs.name === self) return undefined;
    if (
      sub === '' &&
      (attrs.verb === 'list' || attrs.verb === 'watch') &&
      selectorPins(attrs.fieldSelector, 'metadata.name', self)
    )
      return undefined;
    if (sub === 'status' && (attrs.verb === 'patch' || attrs.verb === 'update' || attrs.verb === 'get'))
      if (attrs.name === self) return undefined;
  }
  if (attrs.resource === 'pods' && sub === '') {
    // a get is allowed here and decided on the pod read (authorizeObject)
    if (attrs.verb === 'get' && attrs.name) return undefined;
    if (
      (attrs.verb === 'list' || attrs.verb === 'watch') &&
      selectorPins(attrs.fieldSelector, 'spec.nodeName', self)
    )
      return undefined;
  }
  return forbidden(identity, attrs, noRelationship(identity));
}

/** True when the field selector requires `field` to equal `value` (`f=v`, `f==v`, among others). */
function selectorPins(selector: string | undefined, field: string, value: string): boolean {
  if (!selector) return false;
  return selector
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === `${field}=${value}` || t === `${field}==${value}`);
}

function noRelationship(identity: Identity): string {
  return `no relationship found between node '${identity.nodeName ?? ''}' and this object`;
}

/** kube-apiserver's words: `nodes "x" is forbidden: User "bob" cannot patch resource "nodes" in API group "" at the cluster scope`. */
function forbidden(identity: Identity, attrs: RequestAttributes, reason?: string): ApiError {
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const qualified = `${attrs.resource}${attrs.group ? `.${attrs.group}` : ''}`;
  const what = attrs.name ? `${qualified} "${attrs.name}"` : qualified;
  const scope =
    attrs.namespace !== undefined ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
  return new ApiError(
    403,
    'Forbidden',
    `${what} is forbidden: User "${identity.user}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.group}" ${scope}${reason ? `: ${reason}` : ''}`,
    { ...(attrs.name ? { name: attrs.name } : {}), group: attrs.group, kind: attrs.resource },
  );
}

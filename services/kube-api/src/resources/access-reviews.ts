import { authorize, roleOf, type RequestAttributes } from '../auth/authorize.js';
import type { Identity } from '../auth/identity.js';
import { ApiError, methodNotAllowed } from '../http/status.js';
import { nameColumn, objectMetaSchema, type KubeObject, type ResourceDef } from './resource.js';

/**
 * authorization.k8s.io/v1 SelfSubjectAccessReview and SelfSubjectRulesReview: "may I?" answered by
 * the very authorizer every request goes through (auth/authorize.ts), so `kubectl auth can-i` and
 * the console's `useCan()` can never disagree with what the API then does. Every authenticated
 * caller may create them (Kubernetes' system:basic-user); nothing is stored.
 */
export const AUTHORIZATION_GROUP = 'authorization.k8s.io';
const NAME = /^[a-z0-9*]([-a-z0-9.*]{0,252})?$/;
const VERB = /^([a-z]{1,32}|\*)$/;
const MAX_FIELD = 253;
/** Paths every authenticated caller may read (discovery, version, OpenAPI), as system:discovery. */
const DISCOVERY_PATHS = [/^\/api(\/.*)?$/, /^\/apis(\/.*)?$/, /^\/version\/?$/, /^\/openapi(\/.*)?$/];

const invalid = (field: string, message: string) =>
  new ApiError(
    422,
    'Invalid',
    `SelfSubjectAccessReview.authorization.k8s.io is invalid: ${field}: ${message}`,
    {
      group: AUTHORIZATION_GROUP,
      kind: 'SelfSubjectAccessReview',
      causes: [{ reason: 'FieldValueInvalid', message, field }],
    },
  );

function text(o: Record<string, unknown>, key: string, field: string, pattern?: RegExp): string {
  const v = o[key];
  if (v === undefined || v === null || v === '') return '';
  if (typeof v !== 'string') throw invalid(field, 'must be a string');
  if (v.length > MAX_FIELD) throw invalid(field, `must be at most ${MAX_FIELD} characters`);
  if (pattern && !pattern.test(v)) throw invalid(field, `${JSON.stringify(v)} is not a valid value`);
  return v;
}

/** The decision for one review's spec: allowed, or the Forbidden's words as the reason. */
export function reviewAccess(identity: Identity, spec: unknown): { allowed: boolean; reason: string } {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw invalid('spec', 'Required value: resourceAttributes or nonResourceAttributes');
  const s = spec as Record<string, unknown>;
  const resource = s.resourceAttributes as Record<string, unknown> | undefined;
  const nonResource = s.nonResourceAttributes as Record<string, unknown> | undefined;
  if (!!resource === !!nonResource)
    throw invalid('spec', 'exactly one of resourceAttributes and nonResourceAttributes must be set');
  if (nonResource) {
    if (typeof nonResource !== 'object' || Array.isArray(nonResource))
      throw invalid('spec.nonResourceAttributes', 'must be an object');
    const path = text(nonResource, 'path', 'spec.nonResourceAttributes.path');
    const verb = text(nonResource, 'verb', 'spec.nonResourceAttributes.verb', VERB);
    const allowed =
      (verb === 'get' || verb === 'head') &&
      (roleOf(identity) !== undefined || identity.kind === 'node') &&
      DISCOVERY_PATHS.some((p) => p.test(path));
    return { allowed, reason: allowed ? 'discovery is readable by every authenticated user' : '' };
  }
  if (typeof resource !== 'object' || Array.isArray(resource))
    throw invalid('spec.resourceAttributes', 'must be an object');
  const f = 'spec.resourceAttributes';
  const verb = text(resource, 'verb', `${f}.verb`, VERB);
  if (!verb) throw invalid(`${f}.verb`, 'Required value');
  const attrs = {
    verb: verb as RequestAttributes['verb'],
    group: text(resource, 'group', `${f}.group`, /^[a-z0-9.*-]*$/),
    resource: text(resource, 'resource', `${f}.resource`, NAME),
  } as RequestAttributes;
  const name = text(resource, 'name', `${f}.name`);
  const namespace = text(resource, 'namespace', `${f}.namespace`, NAME);
  const subresource = text(resource, 'subresource', `${f}.subresource`, NAME);
  if (!attrs.resource) throw invalid(`${f}.resource`, 'Required value');
  if (name) attrs.name = name;
  if (namespace) attrs.namespace = namespace;
  if (subresource) attrs.subresource = subresource;
  const denied = authorize(identity, attrs);
  if (!denied) return { allowed: true, reason: `allowed by role ${roleOf(identity) ?? identity.kind}` };
  return { allowed: false, reason: denied.message };
}

/** What `kubectl auth can-i --list` shows: the rules of the caller's role (auth/authorize.ts). */
export function rulesOf(identity: Identity) {
  const discovery = {
    verbs: ['get'],
    nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/version', '/openapi/*'],
  };
  if (identity.kind === 'node') {
    const self = identity.nodeName ? [identity.nodeName] : [];
    return {
      resourceRules: [
        { verbs: ['get'], apiGroups: [''], resources: ['nodes'], resourceNames: self },
        {
          verbs: ['get', 'patch', 'update'],
          apiGroups: [''],
          resources: ['nodes/status'],
          resourceNames: self,
        },
        { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods'] },
        {
          verbs: ['create'],
          apiGroups: [AUTHORIZATION_GROUP],
          resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
        },
      ],
      nonResourceRules: [discovery],
      // a node's list/watch is further limited by field selector, a pod get by the pod's node
      incomplete: true,
    };
  }
  const role = roleOf(identity);
  const review = {
    verbs: ['create'],
    apiGroups: [AUTHORIZATION_GROUP],
    resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
  };
  const resourceRules =
    role === 'cluster-admin' || role === 'edit'
      ? [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]
      : role === 'view'
        ? [
            { verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*', '*/status', 'pods/log'] },
            review,
          ]
        : [review];
  return { resourceRules, nonResourceRules: role ? [discovery] : [], incomplete: false };
}

function created(obj: KubeObject, kind: string, status: Record<string, unknown>): KubeObject {
  return {
    kind,
    apiVersion: `${AUTHORIZATION_GROUP}/v1`,
    metadata: { name: '', creationTimestamp: null },
    spec: obj.spec ?? {},
    status,
  } as unknown as KubeObject;
}

const reviewSchema = (kind: string, description: string, status: Record<string, unknown>) => ({
  type: 'object',
  description,
  properties: {
    apiVersion: { type: 'string', description: 'authorization.k8s.io/v1' },
    kind: { type: 'string', description: kind },
    metadata: objectMetaSchema,
    spec: { type: 'object', description: 'What is asked.' },
    status: { type: 'object', description: 'The answer, set by the server.', properties: status },
  },
  'x-kubernetes-group-version-kind': [{ group: AUTHORIZATION_GROUP, version: 'v1', kind }],
});

const createOnly = {
  group: AUTHORIZATION_GROUP,
  versions: ['v1'],
  storageVersion: 'v1',
  shortNames: [],
  namespaced: false,
  verbs: ['create'],
  async list(): Promise<never> {
    throw methodNotAllowed('list');
  },
  async get(): Promise<never> {
    throw methodNotAllowed('get');
  },
  columns: [nameColumn],
  cells: (obj: KubeObject) => [obj.metadata.name],
} as const;

export const selfSubjectAccessReviewsResource: ResourceDef = {
  ...createOnly,
  plural: 'selfsubjectaccessreviews',
  singular: 'selfsubjectaccessreview',
  kind: 'SelfSubjectAccessReview',
  async create(ctx, obj) {
    const { allowed, reason } = reviewAccess(ctx.identity, obj.spec);
    return created(obj, 'SelfSubjectAccessReview', { allowed, ...(reason ? { reason } : {}) });
  },
  schema: () =>
    reviewSchema(
      'SelfSubjectAccessReview',
      'Checks whether the current user can perform an action (resourceAttributes: verb, group, resource, subresource, name, namespace; or nonResourceAttributes: path, verb).',
      {
        allowed: { type: 'boolean', description: 'Whether the action is allowed.' },
        reason: { type: 'string', description: 'Why, in the authorizer’s words.' },
      },
    ),
};

export const selfSubjectRulesReviewsResource: ResourceDef = {
  ...createOnly,
  plural: 'selfsubjectrulesreviews',
  singular: 'selfsubjectrulesreview',
  kind: 'SelfSubjectRulesReview',
  async create(ctx, obj) {
    return created(obj, 'SelfSubjectRulesReview', rulesOf(ctx.identity));
  },
  schema: () =>
    reviewSchema(
      'SelfSubjectRulesReview',
      'Lists what the current user may do (kubectl auth can-i --list).',
      {
        resourceRules: { type: 'array', items: { type: 'object' }, description: 'Allowed resource actions.' },
        nonResourceRules: { type: 'array', items: { type: 'object' }, description: 'Allowed paths.' },
        incomplete: { type: 'boolean', description: 'True when some rules depend on the object.' },
      },
    ),
};

// ------------------------------------------------------------------ protobuf bodies (kubectl)

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

/** The length-delimited fields of one protobuf message, by field number (last wins; others skipped). */
function fields(buf: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let i = 0;
  const varint = () => {
    let v = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (i >= buf.length) throw new Error('truncated varint');
      const b = buf[i++] as number;
      v += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return v;
    }
    throw new Error('varint too long');
  };
  while (i < buf.length) {
    const key = varint();
    const wire = key & 7;
    const field = Math.floor(key / 8);
    if (wire === 0) varint();
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      const len = varint();
      if (i + len > buf.length) throw new Error('truncated field');
      out.set(field, buf.subarray(i, i + len));
      i += len;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

const str = (m: Map<number, Buffer>, n: number) => m.get(n)?.toString('utf8');
const def = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));

/**
 * kubectl sends built-in kinds as Kubernetes protobuf (`k8s\0` + runtime.Unknown{typeMeta, raw}):
 * the two review kinds are decoded here into their JSON shape; any other kind is 415, as the
 * owners' kinds are JSON-only (kubectl sends those as JSON).
 */
export function decodeProtobufBody(body: Buffer): KubeObject {
  const unsupported = (why: string) =>
    new ApiError(
      415,
      'UnsupportedMediaType',
      `${PROTOBUF} is accepted for authorization.k8s.io reviews only (${why}); send application/json`,
    );
  if (body.length > 64 * 1024 || !body.subarray(0, 4).equals(MAGIC))
    throw unsupported('no k8s protobuf envelope');
  try {
    const unknown = fields(body.subarray(4));
    const typeMeta = fields(unknown.get(1) ?? Buffer.alloc(0));
    const apiVersion = str(typeMeta, 1) ?? '';
    const kind = str(typeMeta, 2) ?? '';
    if (apiVersion !== `${AUTHORIZATION_GROUP}/v1`) throw unsupported(`${apiVersion} ${kind}`);
    const obj = fields(unknown.get(2) ?? Buffer.alloc(0));
    const spec = fields(obj.get(2) ?? Buffer.alloc(0));
    if (kind === 'SelfSubjectRulesReview')
      return {
        apiVersion,
        kind,
        metadata: { name: '' },
        spec: def({ namespace: str(spec, 1) }),
      } as KubeObject;
    if (kind !== 'SelfSubjectAccessReview') throw unsupported(kind);
    const ra = spec.get(1) && fields(spec.get(1)!);
    const nra = spec.get(2) && fields(spec.get(2)!);
    return {
      apiVersion,
      kind,
      metadata: { name: '' },
      spec: {
        ...(ra
          ? {
              resourceAttributes: def({
                namespace: str(ra, 1),
                verb: str(ra, 2),
                group: str(ra, 3),
                version: str(ra, 4),
                resource: str(ra, 5),
                subresource: str(ra, 6),
                name: str(ra, 7),
              }),
            }
          : {}),
        ...(nra ? { nonResourceAttributes: def({ path: str(nra, 1), verb: str(nra, 2) }) } : {}),
      },
    } as KubeObject;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(
      400,
      'BadRequest',
      `the protobuf body could not be decoded: ${(error as Error).message}`,
    );
  }
}

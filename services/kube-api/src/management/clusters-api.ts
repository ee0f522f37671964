import type { IncomingMessage, ServerResponse } from 'node:http';
import { STREAMS } from '@edgeplane/contracts';
import type { EdgeplaneClusterV1 } from '@edgeplane/proto';
import type { Identity } from '../auth/identity.js';
import { reachesCluster } from '../auth/platform.js';
import { mergePatch } from '../http/patch.js';
import { ApiError, asApiError, badRequest, methodNotAllowed, notFound, statusBody } from '../http/status.js';
import type { Upstream } from '../upstream/upstream.js';
import { ANY_CLUSTER, type ClusterStream } from '../watch/stream-watch.js';

/**
 * The management API (issue 13): clusters live above any one cluster's kube API (as Rancher's
 * management API does), so they are served at the root of the front door, not under
 * /k8s/clusters/<id>:
 *
 *   /apis/management.edgeplane.io/v1/clusters               list (watch), create (dryRun=All)
 *   /apis/management.edgeplane.io/v1/clusters/<id>          get, patch (access, tier, auto-upgrade, remote login), delete
 *   /apis/management.edgeplane.io/v1/clusters/<id>/kubeconfig   get: the cluster's admin kubeconfig
 *   /apis/management.edgeplane.io/v1/clusters/<id>/jointokens   create: a join token and its join command
 *
 * Only platform credentials reach it (auth/platform.ts). Every call is the cluster service's
 * (ClusterService / JoinTokenService) on behalf of the user, so its access table decides (view
 * lists and reads; create, patch and join tokens need edit; the kubeconfig cluster-admin) and its
 * rules and words are the answer: a field it refuses comes back as 422 `Invalid` with a cause at
 * `spec.<field>`. A credential limited to clusters (OU `cluster:<id>`) sees and touches only
 * those, and creates none. The object's `metadata.name` is the cluster id; its name is
 * `spec.displayName`.
 */
export const MANAGEMENT_GROUP = 'management.edgeplane.io';
export const MANAGEMENT_VERSION = 'v1';
const API_VERSION = `${MANAGEMENT_GROUP}/${MANAGEMENT_VERSION}`;
const PREFIX = `/apis/${MANAGEMENT_GROUP}/${MANAGEMENT_VERSION}`;
const MAX_BODY_BYTES = 64 * 1024;
const PAGE = 1000;
/** the most clusters one list answers (the owner pages by 1000) */
const LIST_MAX = 10_000;
const JOIN_TOKEN_TTL = { default: 24 * 3600, min: 60, max: 24 * 3600 };

/** spec fields (the object's) → the cluster service's field names; and back for causes */
const SPEC_FIELDS: Readonly<Record<string, string>> = {
  displayName: 'name',
  description: 'description',
  kubernetesVersion: 'kubernetesVersion',
  runtime: 'runtime',
  region: 'region',
  kubeProxyMode: 'kubeProxyMode',
  vpcId: 'vpcId',
  vpcCidr: 'vpcCidr',
  podCidr: 'podCidr',
  serviceCidr: 'serviceCidr',
  nodeCidrs: 'nodeCidrs',
  tier: 'tier',
  autoUpgrade: 'autoUpgrade',
};
const SPEC_OF_FIELD: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SPEC_FIELDS).map(([spec, field]) => [field, spec]),
);
/** what a patch may change: everything else of the spec is fixed at creation */
const MUTABLE = new Set(['access', 'tier', 'autoUpgrade', 'remoteLogin']);

type Cluster = EdgeplaneClusterV1.Cluster__Output;
export interface ClusterObject {
  apiVersion: string;
  kind: 'Cluster';
  metadata: { name: string; uid: string; creationTimestamp: string; resourceVersion: string };
  spec: {
    displayName: string;
    description: string;
    kubernetesVersion: string;
    runtime: string;
    region: string;
    kubeProxyMode: string;
    vpcId: string;
    vpcCidr: string;
    podCidr: string;
    serviceCidr: string;
    nodeCidrs: string[];
    tier: string;
    autoUpgrade: boolean;
    access: { public: boolean; private: boolean; privateSubnetId: string };
    remoteLogin: boolean;
  };
  status: {
    phase: string;
    usage: { nodes: number; pods: number; configMaps: number; crds: number };
    tierCaps: { nodes: number; pods: number; configMaps: number; crds: number };
    caFingerprint: string;
    overCapacityNodes: number;
  };
}

export function clusterObject(c: Cluster, resourceVersion: string): ClusterObject {
  return {
    apiVersion: API_VERSION,
    kind: 'Cluster',
    metadata: { name: c.id, uid: c.id, creationTimestamp: c.createdAt, resourceVersion },
    spec: {
      displayName: c.name,
      description: c.description,
      kubernetesVersion: c.kubernetesVersion,
      runtime: c.runtime,
      region: c.region,
      kubeProxyMode: c.kubeProxyMode,
      vpcId: c.vpcId,
      vpcCidr: c.vpcCidr,
      podCidr: c.podCidr,
      serviceCidr: c.serviceCidr,
      nodeCidrs: [...(c.nodeCidrs ?? [])],
      tier: c.tier?.name ?? '',
      autoUpgrade: c.autoUpgrade,
      access: {
        public: c.access?.publicAccess ?? false,
        private: c.access?.privateAccess ?? false,
        privateSubnetId: c.access?.privateSubnetId ?? '',
      },
      remoteLogin: c.remoteLogin,
    },
    status: {
      phase: c.status,
      usage: {
        nodes: c.usage?.nodes ?? 0,
        pods: c.usage?.pods ?? 0,
        configMaps: c.usage?.configMaps ?? 0,
        crds: c.usage?.crds ?? 0,
      },
      tierCaps: {
        nodes: c.tier?.nodes ?? 0,
        pods: c.tier?.pods ?? 0,
        configMaps: c.tier?.configMaps ?? 0,
        crds: c.tier?.crds ?? 0,
      },
      caFingerprint: c.caFingerprint,
      overCapacityNodes: c.overCapacityNodes,
    },
  };
}

/**
 * A cluster object's spec as CreateClusterRequest. Bounded: strings ≤ 256 characters (the
 * description 1024), at most 64 node CIDRs; a wrong type is 422 naming the field.
 */
export function createRequestOf(body: unknown): EdgeplaneClusterV1.CreateClusterRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('the body must be a Cluster object (JSON)');
  const spec = (body as { spec?: unknown }).spec;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw invalid([{ field: 'spec', message: 'spec is required (an object)' }], '');
  const s = spec as Record<string, unknown>;
  const causes: { field: string; message: string }[] = [];
  const unknown = Object.keys(s).filter((k) => !(k in SPEC_FIELDS) && k !== 'access' && k !== 'remoteLogin');
  for (const k of unknown) causes.push({ field: `spec.${k}`, message: `unknown field "spec.${k}"` });
  const str = (k: string, max = 256): string => {
    const v = s[k];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') {
      causes.push({ field: `spec.${k}`, message: `spec.${k} must be a string` });
      return '';
    }
    if (v.length > max)
      causes.push({ field: `spec.${k}`, message: `spec.${k} is longer than ${max} characters` });
    return v;
  };
  let nodeCidrs: string[] = [];
  if (s.nodeCidrs !== undefined && s.nodeCidrs !== null) {
    if (!Array.isArray(s.nodeCidrs) || s.nodeCidrs.some((x) => typeof x !== 'string'))
      causes.push({ field: 'spec.nodeCidrs', message: 'spec.nodeCidrs must be a list of CIDR strings' });
    else if (s.nodeCidrs.length > 64)
      causes.push({ field: 'spec.nodeCidrs', message: 'spec.nodeCidrs: at most 64 ranges' });
    else nodeCidrs = (s.nodeCidrs as string[]).map((x) => x.slice(0, 64));
  }
  if (s.autoUpgrade !== undefined && typeof s.autoUpgrade !== 'boolean')
    causes.push({ field: 'spec.autoUpgrade', message: 'spec.autoUpgrade must be true or false' });
  const req: EdgeplaneClusterV1.CreateClusterRequest = {
    name: str('displayName', 64),
    description: str('description', 1024),
    kubernetesVersion: str('kubernetesVersion'),
    runtime: str('runtime'),
    region: str('region'),
    kubeProxyMode: str('kubeProxyMode'),
    vpcId: str('vpcId'),
    vpcCidr: str('vpcCidr', 64),
    podCidr: str('podCidr', 64),
    serviceCidr: str('serviceCidr', 64),
    nodeCidrs,
    tier: str('tier'),
    autoUpgrade: s.autoUpgrade === true,
  };
  if (causes.length) throw invalid(causes, '');
  return req;
}

/** 422 Invalid with causes, as kube-apiserver answers a refused object. */
function invalid(causes: { field: string; message: string }[], name: string): ApiError {
  return new ApiError(
    422,
    'Invalid',
    `Cluster.${MANAGEMENT_GROUP} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join('; ')}`,
    {
      ...(name ? { name } : {}),
      group: MANAGEMENT_GROUP,
      kind: 'clusters',
      causes: causes.map((c) => ({ reason: 'FieldValueInvalid', message: c.message, field: c.field })),
    },
  );
}

/** The cluster service's field names in causes → the object's (`podCidr` → `spec.podCidr`). */
export function specCauses(e: ApiError): ApiError {
  const causes = (e.details?.causes as { field?: string }[] | undefined) ?? [];
  if (!causes.length) return e;
  const mapped = causes.map((c) => {
    const field = c.field ?? '';
    const m = /^([A-Za-z]+)(.*)$/.exec(field);
    const spec = m ? SPEC_OF_FIELD[m[1] as string] : undefined;
    return { ...c, field: spec ? `spec.${spec}${m?.[2] ?? ''}` : field };
  });
  let message = e.message;
  for (const [from, to] of causes.map((c, i) => [c.field ?? '', mapped[i]!.field] as const))
    if (from && from !== to) message = message.replace(`${from}: `, `${to}: `);
  return new ApiError(e.code, e.reason, message, { ...e.details, causes: mapped });
}

export interface ManagementOptions {
  upstream: Upstream;
  stream: ClusterStream;
  maxWatchSeconds: number;
  /** counts watches against the server's cap; false = refused (429) */
  watchStarted: (abort: AbortController) => boolean;
  watchEnded: (abort: AbortController) => void;
}

/** True when the path is the management API's (served at the root of the front door). */
export function isManagementPath(pathname: string): boolean {
  return pathname === PREFIX || pathname.startsWith(`${PREFIX}/`);
}

export class ManagementApi {
  constructor(private readonly o: ManagementOptions) {}

  /** One request of an authenticated platform identity (run with it as the caller: runAs). */
  async serve(req: IncomingMessage, res: ServerResponse, url: URL, identity: Identity): Promise<void> {
    const method = req.method ?? 'GET';
    const segs = url.pathname.slice(PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
    if (segs.length === 0) {
      if (method !== 'GET') throw methodNotAllowed(method);
      return send(res, 200, apiResourceList());
    }
    if (segs[0] !== 'clusters' || segs.length > 3)
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    const [, id, sub] = segs as [string, string | undefined, string | undefined];
    const q = url.searchParams;
    const target = { resource: 'clusters', group: MANAGEMENT_GROUP, ...(id ? { name: id } : {}) };
    try {
      if (!id) {
        if (method === 'GET')
          return q.get('watch') === 'true' || q.get('watch') === '1'
            ? await this.watch(req, res, q, identity)
            : send(res, 200, await this.list(identity));
        if (method === 'POST') return send(res, 201, await this.create(req, q, identity));
        throw methodNotAllowed(method);
      }
      if (!reachesCluster(identity, id))
        throw new ApiError(
          403,
          'Forbidden',
          `clusters.${MANAGEMENT_GROUP} "${id}" is forbidden: the platform credential of "${identity.user}" is limited to cluster${(identity.clusters?.length ?? 0) > 1 ? 's' : ''} ${identity.clusters?.join(', ')}`,
          { name: id, group: MANAGEMENT_GROUP, kind: 'clusters' },
        );
      if (sub === 'kubeconfig') {
        if (method !== 'GET') throw methodNotAllowed(method);
        const k = await this.o.upstream.getKubeconfig({ cluster: { id } });
        if (/application\/yaml/.test(String(req.headers.accept ?? '')))
          return sendText(res, 200, k.kubeconfigYaml, 'application/yaml');
        return send(res, 200, {
          apiVersion: API_VERSION,
          kind: 'ClusterKubeconfig',
          metadata: { name: id },
          kubeconfig: k.kubeconfigYaml,
          credentialSerial: k.credentialSerial,
          notAfter: k.notAfter,
        });
      }
      if (sub === 'jointokens') {
        if (method !== 'POST') throw methodNotAllowed(method);
        return send(res, 201, await this.joinToken(req, id));
      }
      if (sub !== undefined)
        throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      if (method === 'GET') return send(res, 200, await this.get(id));
      if (method === 'PATCH') return send(res, 200, await this.patch(req, q, id));
      if (method === 'DELETE') {
        await this.o.upstream.deleteCluster({ cluster: { id } });
        return send(res, 200, {
          ...statusBody(200, '', ''),
          details: { name: id, group: MANAGEMENT_GROUP, kind: 'clusters', uid: id },
        });
      }
      throw methodNotAllowed(method);
    } catch (error) {
      throw specCauses(asApiError(error, target));
    }
  }

  private async position(): Promise<string> {
    const p = await this.o.stream.position(STREAMS.CLUSTER.name).catch(() => ({ first: 0, last: 0 }));
    return String(p.last);
  }

  private async get(id: string): Promise<ClusterObject> {
    const rv = await this.position();
    const c = await this.o.upstream.getCluster(id);
    if (c.status === 'deleted') throw notFound('clusters', id, MANAGEMENT_GROUP);
    return clusterObject(c, rv);
  }

  private async listClusters(identity: Identity): Promise<Cluster[]> {
    const out: Cluster[] = [];
    let pageToken = '';
    do {
      const page = await this.o.upstream.listClusters({ pageSize: PAGE, pageToken, region: '' });
      for (const c of page.clusters)
        if (reachesCluster(identity, c.id) && c.status !== 'deleted') out.push(c);
      pageToken = page.nextPageToken;
    } while (pageToken && out.length < LIST_MAX);
    return out;
  }

  private async list(identity: Identity) {
    const rv = await this.position();
    const clusters = await this.listClusters(identity);
    return {
      apiVersion: API_VERSION,
      kind: 'ClusterList',
      metadata: { resourceVersion: rv },
      items: clusters.map((c) => clusterObject(c, rv)),
    };
  }

  private async create(req: IncomingMessage, q: URLSearchParams, identity: Identity): Promise<ClusterObject> {
    if (identity.clusters?.length)
      throw new ApiError(
        403,
        'Forbidden',
        `clusters.${MANAGEMENT_GROUP} is forbidden: User "${identity.user}" cannot create clusters: the credential is limited to cluster${identity.clusters.length > 1 ? 's' : ''} ${identity.clusters.join(', ')}`,
        { group: MANAGEMENT_GROUP, kind: 'clusters' },
      );
    const request = createRequestOf(await readJson(req));
    const dryRun = q.getAll('dryRun').includes('All');
    const c = await this.o.upstream.createCluster({ ...request, dryRun });
    const obj = clusterObject(c, await this.position());
    // a dry run's id is one that will not be used: say so rather than name a cluster that is not
    return dryRun ? { ...obj, metadata: { ...obj.metadata, name: '', uid: '' } } : obj;
  }

  /**
   * A merge patch (or strategic merge: the same for these fields) of the spec: `access.public`,
   * `access.private` (+ `privateSubnetId`), `tier`, `autoUpgrade`, `remoteLogin`. Anything else of
   * the spec is fixed at creation: 422 naming it. `dryRun=All`: checked here only.
   */
  private async patch(req: IncomingMessage, q: URLSearchParams, id: string): Promise<ClusterObject> {
    const type =
      String(req.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim() ?? '';
    if (type !== 'application/merge-patch+json' && type !== 'application/strategic-merge-patch+json')
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `a cluster takes application/merge-patch+json (got ${type || 'no content type'})`,
      );
    const patch = await readJson(req);
    const current = await this.get(id);
    const desired = mergePatch(current as never, patch as never) as unknown as ClusterObject;
    const causes: { field: string; message: string }[] = [];
    for (const k of new Set([...Object.keys(current.spec), ...Object.keys(desired.spec ?? {})])) {
      const before = JSON.stringify((current.spec as Record<string, unknown>)[k]);
      const after = JSON.stringify((desired.spec as Record<string, unknown> | undefined)?.[k]);
      if (before !== after && !MUTABLE.has(k))
        causes.push({
          field: `spec.${k}`,
          message: k in current.spec ? 'field is immutable' : `unknown field "spec.${k}"`,
        });
    }
    const access = desired.spec?.access ?? current.spec.access;
    for (const k of ['public', 'private'] as const)
      if (typeof access[k] !== 'boolean')
        causes.push({ field: `spec.access.${k}`, message: `spec.access.${k} must be true or false` });
    if (typeof access.privateSubnetId !== 'string' || access.privateSubnetId.length > 256)
      causes.push({
        field: 'spec.access.privateSubnetId',
        message: 'must be a string of at most 256 characters',
      });
    if (typeof desired.spec.tier !== 'string' || desired.spec.tier.length > 64)
      causes.push({ field: 'spec.tier', message: 'spec.tier must be a tier name' });
    for (const k of ['autoUpgrade', 'remoteLogin'] as const)
      if (typeof desired.spec[k] !== 'boolean')
        causes.push({ field: `spec.${k}`, message: `spec.${k} must be true or false` });
    if (causes.length) throw invalid(causes, id);
    if (q.getAll('dryRun').includes('All')) return desired;
    const cluster = { id };
    const was = current.spec;
    const now = desired.spec;
    if (now.access.public !== was.access.public || now.access.private !== was.access.private)
      await this.o.upstream.setAccess({
        cluster,
        ...(now.access.public !== was.access.public ? { publicAccess: now.access.public } : {}),
        ...(now.access.private !== was.access.private ? { privateAccess: now.access.private } : {}),
        privateSubnetId: now.access.privateSubnetId,
      });
    if (now.tier !== was.tier || now.autoUpgrade !== was.autoUpgrade)
      await this.o.upstream.setTier({
        cluster,
        tier: now.tier !== was.tier ? now.tier : '',
        ...(now.autoUpgrade !== was.autoUpgrade ? { autoUpgrade: now.autoUpgrade } : {}),
      });
    if (now.remoteLogin !== was.remoteLogin)
      await this.o.upstream.setRemoteLogin({ cluster, enabled: now.remoteLogin });
    return this.get(id);
  }

  /** `{"expirationSeconds": N}` (60 – 86400, default 24 h) → the token, once, and its join command. */
  private async joinToken(req: IncomingMessage, id: string) {
    const body = await readJson(req, true);
    const spec = ((body as { spec?: Record<string, unknown> }).spec ?? body) as Record<string, unknown>;
    const ttl = spec.expirationSeconds ?? JOIN_TOKEN_TTL.default;
    if (
      typeof ttl !== 'number' ||
      !Number.isInteger(ttl) ||
      ttl < JOIN_TOKEN_TTL.min ||
      ttl > JOIN_TOKEN_TTL.max
    )
      throw invalid(
        [
          {
            field: 'spec.expirationSeconds',
            message: `must be a whole number of seconds between ${JOIN_TOKEN_TTL.min} and ${JOIN_TOKEN_TTL.max}`,
          },
        ],
        id,
      );
    const r = await this.o.upstream.createJoinToken({ cluster: { id }, ttlSeconds: ttl });
    return {
      apiVersion: API_VERSION,
      kind: 'JoinToken',
      metadata: { name: r.token?.id ?? '', creationTimestamp: r.token?.createdAt ?? '' },
      spec: { cluster: id, expirationSeconds: ttl },
      status: {
        token: r.tokenSecretText,
        expirationTimestamp: r.token?.expiresAt ?? '',
        joinCommand: r.joinCommand,
        privateAccessPreInstall: r.privateAccessPreInstall,
        instructions: r.instructions,
      },
    };
  }

  /**
   * `watch=1[&resourceVersion=N]`: every cluster's own events on the cluster stream
   * (`edgeplane.cluster.cluster.>`, ordered consumer from N+1), each re-read from the cluster
   * service: ADDED (created), MODIFIED (access, tier, usage such as a node joining), DELETED. No
   * position: the current clusters as ADDED first, as kube-apiserver does.
   */
  private async watch(req: IncomingMessage, res: ServerResponse, q: URLSearchParams, identity: Identity) {
    const rv = q.get('resourceVersion') ?? '';
    let after = rv === '' || rv === '0' ? undefined : Number(rv);
    if (after !== undefined && (!Number.isSafeInteger(after) || after < 0))
      throw badRequest(`invalid resourceVersion ${JSON.stringify(rv.slice(0, 32))}`);
    const abort = new AbortController();
    if (!this.o.watchStarted(abort))
      throw new ApiError(429, 'TooManyRequests', 'too many watches; try again later');
    const seconds = Math.min(
      Number(q.get('timeoutSeconds') ?? 0) || this.o.maxWatchSeconds,
      this.o.maxWatchSeconds,
    );
    const timer = setTimeout(() => abort.abort(), seconds * 1000);
    res.on('close', () => abort.abort());
    const write = (type: string, object: unknown) => res.write(`${JSON.stringify({ type, object })}\n`);
    try {
      let start = after;
      const initial = start === undefined ? await this.list(identity) : undefined;
      if (initial) start = Number(initial.metadata.resourceVersion);
      const changes = this.o.stream.changes(
        'edgeplane.cluster.cluster.>',
        ANY_CLUSTER,
        start ?? 0,
        abort.signal,
        {
          nameOf: (type, data) =>
            typeof data.clusterId === 'string'
              ? { name: data.clusterId, added: type === 'ClusterCreated' }
              : undefined,
        },
      );
      // a position the stream no longer holds fails the first step at once: 410 before any header
      let next = changes.next();
      await Promise.race([next, new Promise((resolve) => setTimeout(resolve, 100))]);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
      res.flushHeaders();
      for (const o of initial?.items ?? []) write('ADDED', o);
      for (;;) {
        const r = await next;
        if (r.done || abort.signal.aborted) break;
        const change = r.value;
        after = change.seq;
        if (reachesCluster(identity, change.name)) {
          try {
            const c = await this.o.upstream.getCluster(change.name);
            const obj = clusterObject(c, String(change.seq));
            write(c.status === 'deleted' ? 'DELETED' : change.added ? 'ADDED' : 'MODIFIED', obj);
          } catch (error) {
            const e = asApiError(error, { resource: 'clusters' });
            if (e.code !== 404) throw e;
            write('DELETED', {
              apiVersion: API_VERSION,
              kind: 'Cluster',
              metadata: { name: change.name, resourceVersion: String(change.seq) },
            });
          }
        }
        next = changes.next();
      }
      await changes.return(undefined);
    } catch (error) {
      const e = asApiError(error, { resource: 'clusters' });
      if (!res.headersSent) throw e;
      if (!res.writableEnded && !abort.signal.aborted)
        res.write(`${JSON.stringify({ type: 'ERROR', object: statusBody(e.code, e.reason, e.message) })}\n`);
    } finally {
      clearTimeout(timer);
      this.o.watchEnded(abort);
      if (res.headersSent && !res.writableEnded) res.end();
    }
  }
}

function apiResourceList() {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: API_VERSION,
    resources: [
      {
        name: 'clusters',
        singularName: 'cluster',
        namespaced: false,
        kind: 'Cluster',
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'watch'],
      },
      {
        name: 'clusters/kubeconfig',
        singularName: '',
        namespaced: false,
        kind: 'ClusterKubeconfig',
        verbs: ['get'],
      },
      {
        name: 'clusters/jointokens',
        singularName: '',
        namespaced: false,
        kind: 'JoinToken',
        verbs: ['create'],
      },
    ],
  };
}

function send(res: ServerResponse, code: number, body: unknown): void {
  sendText(res, code, JSON.stringify(body), 'application/json');
}

function sendText(res: ServerResponse, code: number, text: string, contentType: string): void {
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

async function readJson(req: IncomingMessage, optional = false): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new ApiError(
        413,
        'RequestEntityTooLarge',
        `the request body is larger than ${MAX_BODY_BYTES} bytes`,
      );
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) {
    if (optional) return {};
    throw badRequest('the request has no body');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw badRequest(`the body is not JSON: ${(error as Error).message.slice(0, 200)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw badRequest('the body must be a JSON object');
  return parsed;
}

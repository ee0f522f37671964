import https from 'node:https';
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '@edgeplane/observability';
import { parse as parseYaml } from 'yaml';
import { Authenticator, type Identity } from '../auth/authenticate.js';
import { authorize, authorizeObject, type RequestAttributes } from '../auth/authorize.js';
import { runAs } from '../auth/caller-context.js';
import { issueToken, TOKENS_PATH } from '../auth/token-endpoint.js';
import type { PlatformVerifier } from '../auth/platform.js';
import { PLATFORM_AUDIENCE, type TokenSigner } from '../auth/tokens.js';
import { isManagementPath, ManagementApi } from '../management/clusters-api.js';
import {
  aggregatedDiscovery,
  apiGroupList,
  apiResourceList,
  apiVersions,
  hashOf,
  openApiDocument,
  openApiPaths,
} from '../discovery/discovery.js';
import {
  labelSelectorMatches,
  type KubeObject,
  type RequestContext,
  type ResourceDef,
} from '../resources/resource.js';
import { drainNode, NODE_DRAIN } from '../resources/node-drain.js';
import { decodeProtobufBody, PROTOBUF } from '../resources/access-reviews.js';
import { POD_SUBRESOURCES, PodSubresources, type UpgradeRequest } from '../resources/pod-subresources.js';
import type { ServingTls } from '../tls/serving-pki.js';
import type { Upstream } from '../upstream/upstream.js';
import type { ClusterStream } from '../watch/stream-watch.js';
import { mergePatch, strategicMergePatch } from './patch.js';
import {
  ApiError,
  asApiError,
  badRequest,
  methodNotAllowed,
  notFound,
  statusBody,
  unsupportedMedia,
} from './status.js';

const CLUSTER_PATH = /^\/k8s\/clusters\/([A-Za-z0-9][A-Za-z0-9._-]{0,63})(\/.*)?$/;
const MAX_BODY_BYTES = 1024 * 1024;
/** the owning services' page size: a larger list is read page by page */
const UPSTREAM_PAGE_MAX = 1000;
/** a status-watch hit is re-read until the owner shows it: this many times, this far apart */
const STATUS_SETTLE_TRIES = 10;
const STATUS_SETTLE_MS = 200;
/** How far back a watch's status side starts (statusWatch): the gap a list and its watch may leave. */
const STATUS_LOOKBACK_MS = 30_000;
/** status signatures remembered per watch (then forgotten: at worst a pod is read once more) */
const STATUS_SEEN_MAX = 50_000;
/** the most one list response carries (no limit, or a larger one): past it, a continue token */
const LIST_ITEMS_MAX = 100_000;

export interface KubeApiServerOptions {
  host: string;
  port: number;
  tls: ServingTls;
  upstream: Upstream;
  stream: ClusterStream;
  resources: readonly ResourceDef[];
  logger: Logger;
  cacheMs: number;
  maxWatchSeconds: number;
  maxWatches: number;
  /** bearer tokens (POST …/edgeplane/v1/tokens, Authorization: Bearer); none = not offered */
  tokens?: TokenSigner;
  /** the tunnel service (pods/log and pods/exec through RemoteAccessService); none = not served */
  tunnelAddr?: string;
  /** platform credentials (the management API; accepted under every cluster's path too); none = refused */
  platform?: PlatformVerifier;
}

interface ClusterFacts {
  kubernetesVersion: string;
  runtime: string;
  until: number;
}

/**
 * The Kubernetes API front door (HTTPS, HTTP/1.1: kubectl's watch is newline-delimited JSON over a
 * chunked response). One port for every cluster: `/k8s/clusters/<clusterId>/…`, as Rancher does.
 */
export class KubeApiServer {
  private readonly server: https.Server;
  private readonly auth: Authenticator;
  private readonly facts = new Map<string, ClusterFacts>();
  private readonly watches = new Set<AbortController>();
  private readonly podSubresources?: PodSubresources;
  private readonly management: ManagementApi;

  constructor(private readonly o: KubeApiServerOptions) {
    this.auth = new Authenticator(o.upstream, o.cacheMs, Date.now, o.tokens, o.platform);
    this.management = new ManagementApi({
      upstream: o.upstream,
      stream: o.stream,
      maxWatchSeconds: o.maxWatchSeconds,
      watchStarted: (abort) => {
        if (this.watches.size >= this.o.maxWatches) return false;
        this.watches.add(abort);
        return true;
      },
      watchEnded: (abort) => void this.watches.delete(abort),
    });
    this.server = https.createServer(
      {
        cert: o.tls.certPem,
        key: o.tls.keyPem,
        // any client certificate is taken at the handshake: the cluster is only known from the
        // path, and the cluster service checks it per request (auth/authenticate.ts)
        requestCert: true,
        rejectUnauthorized: false,
        minVersion: 'TLSv1.2',
      },
      (req, res) => void this.handle(req, res),
    );
    this.server.headersTimeout = 30_000;
    this.server.requestTimeout = 0; // watches are long
    // pods/exec upgrades to a WebSocket: the same handler, answering errors on the raw socket
    this.podSubresources = o.tunnelAddr ? new PodSubresources(o.tunnelAddr) : undefined;
    this.server.on('upgrade', (req: UpgradeRequest, socket: Socket, head: Buffer) => {
      const res = new ServerResponse(req);
      res.assignSocket(socket);
      res.shouldKeepAlive = false;
      res.once('finish', () => socket.end());
      req.upgradeHead = head;
      void this.handle(req, res);
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.port, this.o.host, () => {
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : this.o.port);
      });
    });
  }

  async close(): Promise<void> {
    for (const w of this.watches) w.abort();
    this.podSubresources?.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://kube-api');
    const m = CLUSTER_PATH.exec(url.pathname);
    try {
      // the management API and platform tokens: at the root, platform credentials only
      if (!m && (isManagementPath(url.pathname) || url.pathname === TOKENS_PATH)) {
        const identity = await this.auth.authenticatePlatformRequest(req);
        if (url.pathname === TOKENS_PATH) {
          if (!this.o.tokens) throw new ApiError(404, 'NotFound', 'bearer tokens are not offered here');
          return this.send(
            res,
            201,
            await issueToken(req, identity, PLATFORM_AUDIENCE, this.o.tokens, Date.now()),
          );
        }
        return await runAs(identity, () => this.management.serve(req, res, url, identity));
      }
      if (!m)
        throw new ApiError(
          404,
          'NotFound',
          `the server could not find the requested resource; clusters are served under /k8s/clusters/<clusterId>`,
        );
      const clusterId = m[1] as string;
      const rest = m[2] ?? '/';
      const identity = await this.auth.authenticateRequest(req, clusterId);
      if (rest === TOKENS_PATH && this.o.tokens)
        return this.send(res, 201, await issueToken(req, identity, clusterId, this.o.tokens, Date.now()));
      const facts = await this.clusterFacts(clusterId);
      await runAs(identity, () => this.route(req, res, url, rest, { clusterId, identity, facts }));
    } catch (error) {
      const e = asApiError(error, { resource: '' });
      if (e.code >= 500)
        this.o.logger.warn(
          { method: req.method, path: url.pathname, err: e.message },
          'kube-api request failed',
        );
      this.send(res, e.code, statusBody(e.code, e.reason, e.message, e.details));
    }
  }

  private async clusterFacts(clusterId: string): Promise<ClusterFacts> {
    const hit = this.facts.get(clusterId);
    if (hit && hit.until > Date.now()) return hit;
    const c = await this.o.upstream.getCluster(clusterId);
    const facts = {
      kubernetesVersion: c.kubernetesVersion,
      runtime: c.runtime,
      until: Date.now() + this.o.cacheMs,
    };
    this.facts.set(clusterId, facts);
    return facts;
  }

  private async route(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    rest: string,
    call: { clusterId: string; identity: Identity; facts: ClusterFacts },
  ): Promise<void> {
    const method = req.method ?? 'GET';
    const accept = String(req.headers.accept ?? '');
    const resources = this.o.resources;
    if (rest === '/version' || rest === '/version/') {
      const v = call.facts.kubernetesVersion;
      const [major = '1', minor = '0'] = v.split('.');
      return this.send(res, 200, {
        major,
        minor,
        gitVersion: `v${v}`,
        gitCommit: '',
        gitTreeState: 'clean',
        buildDate: '',
        goVersion: '',
        compiler: 'edgeplane',
        platform: 'linux/amd64',
      });
    }
    if (rest === '/api' || rest === '/apis') {
      const legacy = rest === '/api';
      const aggregated = /g=apidiscovery\.k8s\.io;\s*v=(v2|v2beta1);\s*as=APIGroupDiscoveryList/.exec(accept);
      if (aggregated) {
        const v = aggregated[1] as string;
        return this.send(
          res,
          200,
          aggregatedDiscovery(resources, legacy, `apidiscovery.k8s.io/${v}`),
          `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`,
        );
      }
      return this.send(res, 200, legacy ? apiVersions() : apiGroupList(resources));
    }
    if (rest === '/openapi/v3') {
      const paths = Object.fromEntries(
        openApiPaths(resources).map((p) => [
          p,
          {
            serverRelativeURL: `/k8s/clusters/${call.clusterId}/openapi/v3/${p}?hash=${hashOf(openApiDocument(resources, p))}`,
          },
        ]),
      );
      return this.send(res, 200, { paths });
    }
    if (rest.startsWith('/openapi/v3/')) {
      const doc = openApiDocument(resources, rest.slice('/openapi/v3/'.length));
      if (!doc) throw new ApiError(404, 'NotFound', 'no OpenAPI document for this group-version');
      return this.send(res, 200, doc);
    }
    const segs = rest.split('/').filter(Boolean);
    let group: string;
    let version: string;
    let tail: string[];
    if (segs[0] === 'api' && segs.length >= 2)
      [group, version, tail] = ['', segs[1] as string, segs.slice(2)];
    else if (segs[0] === 'apis' && segs.length >= 3)
      [group, version, tail] = [segs[1] as string, segs[2] as string, segs.slice(3)];
    else if (segs[0] === 'apis' && segs.length === 2) {
      const g = apiGroupList(resources).groups.find((x) => x.name === segs[1]);
      if (!g) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      return this.send(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...g });
    } else throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (!tail.length) {
      const list = apiResourceList(resources, group, version);
      if (!list) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      return this.send(res, 200, list);
    }
    let namespace: string | undefined;
    if (tail[0] === 'namespaces' && tail.length >= 3) {
      namespace = tail[1];
      tail = tail.slice(2);
    }
    const [plural, name, sub] = tail as [string, string | undefined, string | undefined];
    if (group === '' && plural === 'pods' && name && namespace && sub && POD_SUBRESOURCES.has(sub)) {
      if (!this.podSubresources) throw new ApiError(404, 'NotFound', `pods/${sub} is not served here`);
      const ctx = {
        clusterId: call.clusterId,
        kubernetesVersion: call.facts.kubernetesVersion,
        runtime: call.facts.runtime,
        identity: call.identity,
        upstream: this.o.upstream,
        resourceVersion: '0',
        now: new Date(),
      };
      const query = url.searchParams;
      return this.podSubresources.serve(req, res, { ctx, namespace, name, sub, query });
    }
    if (group === '' && version === 'v1' && plural === 'nodes' && name && sub === NODE_DRAIN) {
      if (method !== 'POST') throw methodNotAllowed(method.toLowerCase());
      const ctx: RequestContext = {
        clusterId: call.clusterId,
        kubernetesVersion: call.facts.kubernetesVersion,
        runtime: call.facts.runtime,
        identity: call.identity,
        upstream: this.o.upstream,
        resourceVersion: String((await this.o.stream.position().catch(() => ({ last: 0 }))).last),
        now: new Date(),
      };
      return this.send(res, 201, await drainNode(ctx, name, await readJson(req, { optional: true })));
    }
    const def = resources.find(
      (r) => r.group === group && r.plural === plural && r.versions.includes(version),
    );
    if (
      !def ||
      (sub !== undefined && !(name && def.subresources?.[sub])) ||
      (namespace !== undefined && !def.namespaced)
    ) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    if (sub !== undefined && name)
      return this.subresource(req, res, def, sub, { ...call, name, namespace, method });
    const q = url.searchParams;
    const watch = q.get('watch') === 'true' || q.get('watch') === '1';
    const verb: RequestAttributes['verb'] =
      method === 'GET'
        ? name
          ? 'get'
          : watch
            ? 'watch'
            : 'list'
        : method === 'POST'
          ? 'create'
          : method === 'PUT'
            ? 'update'
            : method === 'PATCH'
              ? 'patch'
              : method === 'DELETE'
                ? 'delete'
                : (() => {
                    throw methodNotAllowed(method);
                  })();
    const target = { resource: def.plural, group: def.group, ...(name ? { name } : {}) };
    const attrs: RequestAttributes = {
      verb,
      ...target,
      ...(namespace !== undefined ? { namespace } : {}),
      fieldSelector: q.get('fieldSelector') ?? '',
    };
    const forbidden = authorize(call.identity, attrs);
    if (forbidden) throw forbidden;
    if (!def.verbs.includes(verb) && !(verb === 'update' && def.replace)) throw methodNotAllowed(verb);

    const position = await this.o.stream.position(def.watchStream).catch(() => ({ first: 0, last: 0 }));
    const ctx: RequestContext = {
      clusterId: call.clusterId,
      kubernetesVersion: call.facts.kubernetesVersion,
      runtime: call.facts.runtime,
      identity: call.identity,
      upstream: this.o.upstream,
      ...(namespace !== undefined ? { namespace } : {}),
      resourceVersion: String(position.last),
      now: new Date(),
      bus: this.o.stream.bus,
    };
    // events: a position in every stream of the history (resources/events.ts)
    if (def.history) ctx.resourceVersion = await def.history.position(ctx);
    const out = (obj: KubeObject) =>
      def.toVersion && version !== def.storageVersion ? def.toVersion(obj, version) : obj;
    const asTable = /as=Table/.test(accept);
    // dryRun=All: the owner's checks without the write (kubectl diff); nothing is stored
    const checked = async (obj: KubeObject, existing: boolean) => {
      await def.validate?.(ctx, obj, existing);
      return obj;
    };
    try {
      switch (verb) {
        case 'list': {
          const page = await this.listAll(def, ctx, q);
          let items = page.items;
          if (q.get('labelSelector'))
            items = items.filter((o) =>
              labelSelectorMatches(q.get('labelSelector') ?? '', o.metadata.labels ?? {}),
            );
          const listMeta = {
            resourceVersion: ctx.resourceVersion,
            ...(page.continueToken ? { continue: page.continueToken } : {}),
          };
          if (asTable) return this.send(res, 200, this.table(def, items.map(out), listMeta, ctx.now, q));
          return this.send(res, 200, {
            kind: `${def.kind}List`,
            apiVersion: group ? `${group}/${version}` : version,
            metadata: listMeta,
            items: items.map(out),
          });
        }
        case 'watch':
          if (def.history) return await this.historyWatch(res, def, ctx, q, asTable, out);
          return await this.watch(req, res, def, ctx, q, asTable, out);
        case 'get': {
          const obj = out(await def.get(ctx, name as string));
          const denied = authorizeObject(call.identity, attrs, obj);
          if (denied) throw denied;
          return this.send(
            res,
            200,
            asTable ? this.table(def, [obj], { resourceVersion: ctx.resourceVersion }, ctx.now, q) : obj,
          );
        }
        case 'create': {
          if (!def.create) throw methodNotAllowed(verb);
          const body = this.incoming(def, version, await readJson(req), q, res);
          if (dryRun(q)) return this.send(res, 201, out(await checked(body, false)));
          return this.send(res, 201, out(await def.create(ctx, body)));
        }
        case 'update': {
          if (!def.replace) throw methodNotAllowed(verb);
          const body = this.incoming(def, version, await readJson(req), q, res);
          if (dryRun(q)) return this.send(res, 200, out(await checked(body, true)));
          return this.send(res, 200, out(await def.replace(ctx, name as string, body)));
        }
        case 'patch': {
          if (!def.replace) throw methodNotAllowed(verb);
          const type =
            String(req.headers['content-type'] ?? '')
              .split(';')[0]
              ?.trim() ?? '';
          const patch = await readJson(req);
          let current: KubeObject | undefined;
          try {
            current = out(await def.get(ctx, name as string));
          } catch (error) {
            const e = asApiError(error, target);
            if (!(e.code === 404 && type === 'application/apply-patch+yaml')) throw e;
          }
          if (!current) {
            // server-side apply of an object that does not exist yet: a create
            if (!def.create) throw notFound(def.plural, name as string, def.group);
            const body = this.incoming(def, version, patch as KubeObject, q, res);
            if (dryRun(q)) return this.send(res, 201, out(await checked(body, false)));
            return this.send(res, 201, out(await def.create(ctx, body)));
          }
          let patched: unknown;
          if (type === 'application/apply-patch+yaml' && def.applyOwnsSpec)
            patched = {
              ...(mergePatch(current as never, { ...(patch as object), spec: null } as never) as object),
              spec: (patch as KubeObject).spec ?? {},
            };
          else if (type === 'application/merge-patch+json' || type === 'application/apply-patch+yaml')
            patched = mergePatch(current as never, patch as never);
          else if (type === 'application/strategic-merge-patch+json')
            patched = strategicMergePatch(current as never, patch as never);
          else throw unsupportedMedia(type);
          const desired = this.incoming(def, version, patched as KubeObject, q, res);
          if (dryRun(q)) return this.send(res, 200, out(await checked(desired, true)));
          return this.send(res, 200, out(await def.replace(ctx, name as string, desired)));
        }
        case 'delete': {
          if (!def.delete) throw methodNotAllowed(verb);
          await def.delete(ctx, name as string);
          return this.send(res, 200, {
            ...statusBody(200, '', ''),
            details: { name, group: def.group, kind: def.plural, uid: '' },
          });
        }
      }
    } catch (error) {
      throw asApiError(error, target);
    }
  }

  /**
   * `<plural>/<name>/<sub>` of a resource's `subresources`: GET is verb `get`, POST verb `create`
   * on the subresource (authorized with it, as kube-apiserver does for `pods/eviction`).
   */
  private async subresource(
    req: IncomingMessage,
    res: ServerResponse,
    def: ResourceDef,
    sub: string,
    call: {
      clusterId: string;
      identity: Identity;
      facts: ClusterFacts;
      name: string;
      namespace: string | undefined;
      method: string;
    },
  ): Promise<void> {
    const handler = def.subresources?.[sub];
    const verb = call.method === 'GET' ? 'get' : call.method === 'POST' ? 'create' : undefined;
    if (!handler || !verb || (verb === 'get' ? !handler.get : !handler.post))
      throw methodNotAllowed(call.method.toLowerCase());
    const attrs: RequestAttributes = {
      verb,
      group: def.group,
      resource: def.plural,
      subresource: sub,
      name: call.name,
      ...(call.namespace !== undefined ? { namespace: call.namespace } : {}),
    };
    const forbidden = authorize(call.identity, attrs);
    if (forbidden) throw forbidden;
    const position = await this.o.stream.position(def.watchStream).catch(() => ({ first: 0, last: 0 }));
    const ctx: RequestContext = {
      clusterId: call.clusterId,
      kubernetesVersion: call.facts.kubernetesVersion,
      runtime: call.facts.runtime,
      identity: call.identity,
      upstream: this.o.upstream,
      ...(call.namespace !== undefined ? { namespace: call.namespace } : {}),
      resourceVersion: String(position.last),
      now: new Date(),
    };
    const target = { resource: def.plural, group: def.group, name: call.name };
    try {
      if (verb === 'get') return this.send(res, 200, await handler.get!(ctx, call.name));
      return this.send(res, 201, await handler.post!(ctx, call.name, await readJson(req)));
    } catch (error) {
      throw asApiError(error, target);
    }
  }

  /** A body in the served version → storage version; unknown fields per `fieldValidation`. */
  private incoming(
    def: ResourceDef,
    version: string,
    body: KubeObject,
    q: URLSearchParams,
    res: ServerResponse,
  ): KubeObject {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw badRequest('the body must be a JSON object');
    body.metadata ??= { name: '' };
    if (!def.fromVersion) return body;
    const { object, unknownFields } = def.fromVersion(body, version);
    if (unknownFields.length) {
      const mode = q.get('fieldValidation') ?? 'Warn';
      const text = unknownFields.map((f) => `unknown field "${f}"`);
      if (mode === 'Strict') throw badRequest(`strict decoding error: ${text.join(', ')}`);
      if (mode === 'Warn')
        res.setHeader(
          'Warning',
          text.map((t) => `299 - "${t}"`),
        );
    }
    return object;
  }

  private table(
    def: ResourceDef,
    items: KubeObject[],
    listMeta: Record<string, unknown>,
    now: Date,
    q: URLSearchParams,
  ) {
    const include = q.get('includeObject') ?? 'Metadata';
    return {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: listMeta,
      columnDefinitions: def.columns,
      rows: items.map((o) => ({
        cells: def.cells(o, now),
        object:
          include === 'Object'
            ? o
            : include === 'None'
              ? undefined
              : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
      })),
    };
  }

  /**
   * A watch's DELETED as a Table (`kubectl get -w`): one row naming the object, so kubectl prints
   * it (an empty Table printed nothing). The object is gone, so its other cells are what the
   * resource makes of the bare object, `<unknown>` where it cannot.
   */
  private deletedTable(def: ResourceDef, gone: KubeObject, q: URLSearchParams) {
    const now = new Date();
    let cells: unknown[];
    try {
      cells = def.cells(gone, now);
    } catch {
      cells = def.columns.map((_, i) => (i === 0 ? gone.metadata.name : '<unknown>'));
    }
    const include = q.get('includeObject') ?? 'Metadata';
    return {
      ...this.table(def, [], { resourceVersion: gone.metadata.resourceVersion }, now, q),
      rows: [
        {
          cells,
          object:
            include === 'Object'
              ? gone
              : include === 'None'
                ? undefined
                : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: gone.metadata },
        },
      ],
    };
  }

  /**
   * A list as kube-apiserver answers it: `limit` items and a continue token, or, without a limit,
   * every item in one response (kubectl --chunk-size=0, client-go informers' first list). The
   * owning services page by at most 1000, so a larger answer is read page by page here; a list
   * past LIST_ITEMS_MAX items still ends with a continue token rather than an unbounded body.
   */
  private async listAll(
    def: ResourceDef,
    ctx: RequestContext,
    q: URLSearchParams,
  ): Promise<{ items: KubeObject[]; continueToken?: string }> {
    const asked = Math.max(Math.trunc(Number(q.get('limit') ?? 0)) || 0, 0);
    const wanted = Math.min(asked || LIST_ITEMS_MAX, LIST_ITEMS_MAX);
    const items: KubeObject[] = [];
    let token = q.get('continue') ?? '';
    for (;;) {
      const page = await def.list(ctx, {
        labelSelector: q.get('labelSelector') ?? '',
        fieldSelector: q.get('fieldSelector') ?? '',
        limit: Math.min(wanted - items.length, UPSTREAM_PAGE_MAX),
        continueToken: token,
      });
      for (const item of page.items) items.push(item);
      token = page.continueToken ?? '';
      if (!token || items.length >= wanted) return { items, ...(token ? { continueToken: token } : {}) };
    }
  }

  /**
   * The watch of a history resource (events): its own stream of events (each object carries its
   * resourceVersion), under the same bounds as any watch (count, timeoutSeconds, client gone).
   */
  private async historyWatch(
    res: ServerResponse,
    def: ResourceDef,
    ctx: RequestContext,
    q: URLSearchParams,
    asTable: boolean,
    out: (o: KubeObject) => KubeObject,
  ): Promise<void> {
    if (this.watches.size >= this.o.maxWatches)
      throw new ApiError(429, 'TooManyRequests', 'too many watches; try again later');
    const abort = new AbortController();
    const seconds = Math.min(
      Number(q.get('timeoutSeconds') ?? 0) || this.o.maxWatchSeconds,
      this.o.maxWatchSeconds,
    );
    const timer = setTimeout(() => abort.abort(), seconds * 1000);
    this.watches.add(abort);
    res.on('close', () => abort.abort());
    try {
      const events = await def.history!.watch(ctx, q, abort.signal);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
      res.flushHeaders();
      for await (const e of events) {
        if (abort.signal.aborted) break;
        const object =
          asTable && e.type !== 'BOOKMARK'
            ? this.table(
                def,
                [out(e.object)],
                { resourceVersion: e.object.metadata.resourceVersion },
                new Date(),
                q,
              )
            : e.type === 'BOOKMARK'
              ? e.object
              : out(e.object);
        res.write(`${JSON.stringify({ type: e.type, object })}\n`);
      }
    } catch (error) {
      const e = asApiError(error, { resource: def.plural });
      if (!res.headersSent) throw e;
      if (!res.writableEnded && !abort.signal.aborted)
        res.write(`${JSON.stringify({ type: 'ERROR', object: statusBody(e.code, e.reason, e.message) })}\n`);
    } finally {
      clearTimeout(timer);
      abort.abort();
      this.watches.delete(abort);
      if (!res.writableEnded && res.headersSent) res.end();
    }
  }

  private async watch(
    req: IncomingMessage,
    res: ServerResponse,
    def: ResourceDef,
    ctx: RequestContext,
    q: URLSearchParams,
    asTable: boolean,
    out: (o: KubeObject) => KubeObject,
  ): Promise<void> {
    if (!def.watchSubject) throw methodNotAllowed('watch');
    if (this.watches.size >= this.o.maxWatches)
      throw new ApiError(429, 'TooManyRequests', 'too many watches; try again later');
    const labelSelector = q.get('labelSelector') ?? '';
    const fieldName = /^metadata\.name=([^,]+)$/.exec(q.get('fieldSelector') ?? '')?.[1];
    const rv = q.get('resourceVersion') ?? '';
    const from = rv === '' || rv === '0' ? undefined : Number(rv);
    if (from !== undefined && (!Number.isSafeInteger(from) || from < 0))
      throw badRequest(`invalid resourceVersion ${JSON.stringify(rv.slice(0, 32))}`);
    const abort = new AbortController();
    const seconds = Math.min(
      Number(q.get('timeoutSeconds') ?? 0) || this.o.maxWatchSeconds,
      this.o.maxWatchSeconds,
    );
    const timer = setTimeout(() => abort.abort(), seconds * 1000);
    this.watches.add(abort);
    // the request's 'close' fires once its body is read; the response's when the client goes away
    res.on('close', () => abort.abort());
    const fieldSelector = q.get('fieldSelector') ?? '';
    const matches = (o: KubeObject) =>
      (def.fieldMatches ? def.fieldMatches(o, fieldSelector) : !fieldName || o.metadata.name === fieldName) &&
      (!labelSelector || labelSelectorMatches(labelSelector, o.metadata.labels ?? {}));
    const wrap = (o: KubeObject) =>
      asTable
        ? this.table(def, [out(o)], { resourceVersion: o.metadata.resourceVersion }, new Date(), q)
        : out(o);
    // with a selector: the objects it selects in this watch, so that one that stops matching is
    // DELETED for this watcher, as kube-apiserver does (a pod leaving the node of a
    // `spec.nodeName=` watch, a node losing the label of a `-l` watch)
    const selected = fieldSelector || labelSelector ? new Set<string>() : undefined;
    const keyOf = (o: KubeObject) =>
      `${(o.metadata.namespace as string | undefined) ?? ''}/${o.metadata.name}`;
    try {
      let after = from;
      const changes = async function* (self: KubeApiServer) {
        yield* self.o.stream.changes(def.watchSubject ?? '', ctx.clusterId, after ?? 0, abort.signal, {
          ...(def.watchStream ? { stream: def.watchStream } : {}),
          ...(def.watchEvent ? { nameOf: def.watchEvent.bind(def) } : {}),
        });
      };
      let started = false;
      const start = () => {
        if (started) return;
        started = true;
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
        res.flushHeaders();
      };
      if (after === undefined) {
        // no position: the current objects as ADDED, then what follows
        after = Number(ctx.resourceVersion);
        start();
        let token = '';
        do {
          const page = await def.list(ctx, {
            labelSelector,
            fieldSelector: '',
            limit: 500,
            continueToken: token,
          });
          for (const o of page.items)
            if (matches(o)) {
              selected?.add(keyOf(o));
              res.write(`${JSON.stringify({ type: 'ADDED', object: wrap(o) })}\n`);
            }
          token = page.continueToken ?? '';
        } while (token);
      } else if (selected) {
        // from a position: what the selector selects now (the owner filters where it can)
        let token = '';
        do {
          const page = await def.list(ctx, {
            labelSelector,
            fieldSelector,
            limit: 500,
            continueToken: token,
          });
          for (const o of page.items) if (matches(o)) selected.add(keyOf(o));
          token = page.continueToken ?? '';
        } while (token && selected.size < 100_000);
      }
      const iterator = changes(this);
      // the status side starts with the watch, not with its first event (a quiet stream has none)
      let position = after;
      if (def.statusWatch)
        void this.statusWatch(
          def,
          ctx,
          abort.signal,
          () => position,
          (o) => {
            if (!matches(o) || res.writableEnded) return;
            start();
            res.write(`${JSON.stringify({ type: 'MODIFIED', object: wrap(o) })}\n`);
          },
        );
      let first = await iterator.next().catch((e: unknown) => ({ error: e }) as const);
      if ('error' in first) throw first.error;
      start();
      while (!first.done && !abort.signal.aborted) {
        const change = first.value;
        position = change.seq;
        const at = { ...ctx, resourceVersion: String(change.seq) };
        let event: { type: string; object: unknown } | undefined;
        try {
          const o = await def.get(at, change.name);
          if (matches(o)) {
            selected?.add(keyOf(o));
            event = { type: change.added ? 'ADDED' : 'MODIFIED', object: wrap(o) };
          } else if (selected?.delete(keyOf(o))) {
            event = { type: 'DELETED', object: wrap(o) };
          }
        } catch (error) {
          const e = asApiError(error, { resource: def.plural });
          if (e.code !== 404) throw e;
          if (change.maybe) {
            first = await iterator.next();
            continue; // another resource's object (the event does not say which kind)
          }
          const gone: KubeObject = {
            apiVersion: def.group ? `${def.group}/${def.storageVersion}` : def.storageVersion,
            kind: def.kind,
            metadata: {
              name: change.name,
              ...(ctx.namespace ? { namespace: ctx.namespace } : {}),
              resourceVersion: String(change.seq),
            },
          };
          if (!fieldName || fieldName === change.name)
            event = { type: 'DELETED', object: asTable ? this.deletedTable(def, out(gone), q) : gone };
        }
        if (event) res.write(`${JSON.stringify(event)}\n`);
        first = await iterator.next();
      }
      await iterator.return(undefined);
    } catch (error) {
      const e = asApiError(error, { resource: def.plural });
      if (!res.headersSent) throw e;
      if (!res.writableEnded && !abort.signal.aborted)
        res.write(`${JSON.stringify({ type: 'ERROR', object: statusBody(e.code, e.reason, e.message) })}\n`);
    } finally {
      clearTimeout(timer);
      this.watches.delete(abort);
      if (!res.writableEnded && res.headersSent) res.end();
    }
  }

  /**
   * A resource's `statusWatch` during one watch: its stream from now on, each hit re-read from the
   * owner (again, up to STATUS_SETTLE_TRIES times STATUS_SETTLE_MS apart, until the read shows the
   * event) and handed to `send` with the watch's current position as resourceVersion. Ends with
   * the watch; a failure ends only this side (the watch goes on).
   */
  private async statusWatch(
    def: ResourceDef,
    ctx: RequestContext,
    signal: AbortSignal,
    position: () => number,
    send: (o: KubeObject) => void,
  ): Promise<void> {
    const side = def.statusWatch;
    if (!side) return;
    try {
      const seen = new Map<string, string>();
      // from a little before the watch opened, not from the stream's end: a report that came
      // between the client's list and this watch would otherwise never reach it (its list showed
      // the older status). Reports come on change only, so the replay is short; a pod whose
      // status did not change since its list gets one MODIFIED carrying the same status.
      for await (const hit of this.o.stream.changes(side.subject, ctx.clusterId, 0, signal, {
        stream: side.stream,
        nameOf: side.hits.bind(side),
        since: new Date(Date.now() - STATUS_LOOKBACK_MS),
      })) {
        if (hit.key !== undefined) {
          if (seen.get(hit.name) === hit.key) continue;
          if (seen.size >= STATUS_SEEN_MAX) seen.clear();
          seen.set(hit.name, hit.key);
        }
        let obj: KubeObject | undefined;
        for (let i = 0; i < STATUS_SETTLE_TRIES && !signal.aborted; i++) {
          try {
            obj = await def.get({ ...ctx, resourceVersion: String(position()) }, hit.name);
          } catch {
            obj = undefined; // gone or not this resource's: the watched stream says so
            break;
          }
          if (!hit.settled || hit.settled(obj)) break;
          await new Promise((r) => setTimeout(r, STATUS_SETTLE_MS));
        }
        if (obj && !signal.aborted) send(obj);
      }
    } catch (error) {
      if (!signal.aborted)
        this.o.logger.warn({ resource: def.plural, err: (error as Error).message }, 'status watch ended');
    }
  }

  private send(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(code, {
      'Content-Type': contentType,
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-cache, private',
    });
    res.end(text);
  }
}

function dryRun(q: URLSearchParams): boolean {
  return q.getAll('dryRun').includes('All');
}

async function readJson(req: IncomingMessage): Promise<KubeObject>;
async function readJson(req: IncomingMessage, o: { optional: true }): Promise<KubeObject | undefined>;
async function readJson(req: IncomingMessage, o?: { optional: true }): Promise<KubeObject | undefined> {
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
  // kubectl sends built-in kinds (auth can-i's reviews) as protobuf: resources/access-reviews.ts
  if (String(req.headers['content-type'] ?? '').startsWith(PROTOBUF))
    return decodeProtobufBody(Buffer.concat(chunks));
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) {
    if (o?.optional) return undefined;
    throw badRequest('the request has no body');
  }
  try {
    // JSON is YAML: one parser for application/json and application/apply-patch+yaml
    return parseYaml(text, { maxAliasCount: 0 }) as KubeObject;
  } catch (error) {
    throw badRequest(`the body could not be decoded: ${(error as Error).message.slice(0, 200)}`);
  }
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { runAsActor } from '@edgeplane/observability';
import {
  ADMIN_GROUP,
  grpcClientCredentials,
  loadPackage,
  loadPlatformCa,
  platformPkiDir,
  protoFilesOf,
  SERVICE_GROUP,
  SERVICE_PREFIX,
  subjectOf,
  type EdgeplaneClusterV1,
  type EdgeplaneClusterV1ClusterProto,
  type PlatformCa,
} from '@edgeplane/proto';
import { from, mergeMap, Observable } from 'rxjs';

/**
 * Roles, with the names Kubernetes users know (docs/architecture.md, "Identity and authorization"):
 * cluster-admin ⊃ edit ⊃ view ⊃ subscriber; `service` for calls between services; `node` for the
 * methods an edge node calls about itself.
 */
export type Role = 'cluster-admin' | 'edit' | 'view' | 'subscriber' | 'service' | 'node';

/** Certificate O (group) → role. */
export const GROUP_ROLES: Readonly<Record<string, Role>> = Object.freeze({
  [ADMIN_GROUP]: 'cluster-admin',
  'edgeplane:edit': 'edit',
  'edgeplane:view': 'view',
  'edgeplane:subscribers': 'subscriber',
  [SERVICE_GROUP]: 'service',
  'system:nodes': 'node',
});

/** What a method needs. `node`: which node (and cluster) the request speaks for. */
export interface MethodAccess {
  role: Role;
  /** node methods: the node a request is about (a node may act only on itself) */
  node?: (request: Record<string, unknown>) => string | undefined;
  /**
   * node methods: a further check of a node caller (e.g. that it belongs to the unit it reports
   * for); the reason it is refused, or undefined
   */
  nodeCheck?: (caller: Caller, request: Record<string, unknown>) => Promise<string | undefined>;
  /**
   * `handler`: the method serves a credential limited to some clusters (OU `cluster:<id>`) only
   * what concerns those clusters, itself (it reads them with `currentCaller()`), so the
   * interceptor does not require the request to name one of them (e.g. a list, a subscription
   * over several clusters). Default: the request must name a cluster of the credential.
   */
  clusters?: 'handler';
}

/** One table per service: `package.Service/Method` → what it needs. */
export type AccessTable = Readonly<Record<string, Role | MethodAccess>>;

/** The authenticated caller of one gRPC call. */
export interface Caller {
  kind: 'user' | 'service' | 'node';
  /** user name (certificate CN), service name, or node name */
  name: string;
  groups: string[];
  /** clusters the credential is limited to (certificate OU `cluster:<id>`; a node's own); empty = all */
  clusters: string[];
  /** the service that relays the call on this user's behalf */
  via?: string;
}

export function actorOf(caller: Caller): string {
  if (caller.kind === 'node') return `node:${caller.clusters[0] ?? ''}/${caller.name}`;
  if (caller.kind === 'service') return `service:${caller.name}`;
  return caller.via ? `service:${caller.via}(on behalf of user:${caller.name})` : `user:${caller.name}`;
}

const callers = new AsyncLocalStorage<Caller>();

/** The authenticated caller of the gRPC call being served (set by the access interceptor). */
export function currentCaller(): Caller | undefined {
  return callers.getStore();
}

/**
 * The clusters the caller of the call being served is limited to (certificate OU
 * `cluster:<id>`), undefined = all (or no caller).
 */
export function callerClusters(): ReadonlySet<string> | undefined {
  const caller = callers.getStore();
  return caller && caller.clusters.length > 0 ? new Set(caller.clusters) : undefined;
}

const RANK: Partial<Record<Role, number>> = { subscriber: 1, view: 2, edit: 3, 'cluster-admin': 4 };

/** Whether a caller holds `role` (services hold every role but `node`; cluster-admin every role). */
export function holdsRole(caller: Caller, role: Role): boolean {
  if (caller.kind === 'service') return role !== 'node';
  if (caller.kind === 'node') return role === 'node';
  const roles = caller.groups.map((g) => GROUP_ROLES[g]).filter((r): r is Role => r !== undefined);
  const best = Math.max(0, ...roles.map((r) => RANK[r] ?? 0));
  // cluster-admin may do everything, as in Kubernetes (also a service's or a node's calls)
  if (role === 'node' || role === 'service') return best >= RANK['cluster-admin']!;
  return best >= RANK[role]!;
}

const ON_BEHALF_OF = 'x-edgeplane-on-behalf-of';
const ON_BEHALF_OF_GROUPS = 'x-edgeplane-on-behalf-of-groups';

/** Metadata a service sends to act on behalf of a user (honoured only from service certificates). */
export function onBehalfOf(user: string, groups: readonly string[], md = new grpc.Metadata()): grpc.Metadata {
  md.set(ON_BEHALF_OF, user);
  md.set(ON_BEHALF_OF_GROUPS, groups.join(','));
  return md;
}

function grpcError(code: grpc.status, message: string): Error {
  return Object.assign(new Error(message), { code, details: message });
}

const NAME_MAX = 256;
const GROUPS_MAX = 32;

/** The TLS socket under a grpc-js server call (the handshake accepted any client certificate). */
function tlsSocketOf(call: unknown): TLSSocket | undefined {
  let c = (call as { call?: unknown })?.call as Record<string, unknown> | undefined;
  for (let i = 0; i < 16 && c; i++) {
    const socket = (c.stream as { session?: { socket?: unknown } } | undefined)?.session?.socket;
    if (socket && typeof (socket as TLSSocket).getPeerCertificate === 'function') return socket as TLSSocket;
    c = c.nextCall as Record<string, unknown> | undefined;
  }
  return undefined;
}

/** The cluster a request names: its `cluster` (a name/id string or a ClusterRef), or that of a reference in it (`node.cluster`). */
function clusterRefOf(request: Record<string, unknown>): { id?: string; name?: string } | undefined {
  const nested = Object.values(request ?? {}).find(
    (v) => v !== null && typeof v === 'object' && 'cluster' in (v as object),
  ) as { cluster?: unknown } | undefined;
  const c = request?.cluster ?? nested?.cluster;
  if (typeof c === 'string' && c.trim()) return c.startsWith('cls-') ? { id: c } : { name: c };
  if (c && typeof c === 'object') {
    const ref = c as { id?: unknown; name?: unknown };
    if (typeof ref.id === 'string' && ref.id) return { id: ref.id };
    if (typeof ref.name === 'string' && ref.name) return { name: ref.name };
  }
  return undefined;
}

interface Verdict {
  caller?: Caller;
  authorized: boolean;
  reason: string;
  until: number;
}

type VerifyFn = (
  req: EdgeplaneClusterV1.VerifyCredentialRequest,
) => Promise<EdgeplaneClusterV1.VerifyCredentialResponse__Output>;

/** VerifyCredential of the cluster service (at `address`), with this service's own identity. */
export function clusterVerifier(address: string): VerifyFn {
  let client: EdgeplaneClusterV1.ClusterServiceClient | undefined;
  return (req) => {
    client ??= new (loadPackage<EdgeplaneClusterV1ClusterProto>(
      protoFilesOf('cluster'),
    ).grpcObject.edgeplane.cluster.v1.ClusterService)(address, grpcClientCredentials());
    const c = client;
    return new Promise((resolve, reject) =>
      c.VerifyCredential(req, { deadline: Date.now() + 5000 }, (err, res) =>
        err || !res ? reject(err ?? new Error('empty response')) : resolve(res),
      ),
    );
  };
}

export interface AccessOptions {
  service: string;
  table: AccessTable;
  /** VerifyCredential for certificates of a cluster CA */
  verify: VerifyFn;
  pkiDir?: string;
  /** how long a VerifyCredential answer is reused */
  cacheMs?: number;
  now?: () => number;
}

/**
 * Authentication and authorization of every API method (grpc.health.v1 and reflection are not
 * Nest handlers and stay open). The client certificate: the platform CA's (users, services) is
 * checked here; another issuer's (a node's or a kubeconfig's, from a cluster CA) is asked of the
 * cluster service's VerifyCredential for the cluster the request names (cached ~30 s), which also
 * applies the node authorizer. No valid certificate → UNAUTHENTICATED; too little right →
 * PERMISSION_DENIED naming the role and the method. The handler runs with the caller as the actor
 * of the events it writes, and `currentCaller()` / `callerClusters()` tell it who that is.
 */
@Injectable()
export class AccessInterceptor implements NestInterceptor {
  private ca: PlatformCa | undefined;
  private caCert: X509Certificate | undefined;
  private readonly cache = new Map<string, Verdict>();
  private readonly now: () => number;

  constructor(private readonly options: AccessOptions) {
    this.now = options.now ?? Date.now;
  }

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'rpc') return next.handle();
    const args = ctx.getArgs<unknown[]>();
    const call = args.find((a) => typeof (a as { getPath?: unknown })?.getPath === 'function') as
      | { getPath(): string; metadata?: grpc.Metadata }
      | undefined;
    if (!call) return next.handle();
    const request = (args[0] && typeof args[0] === 'object' && args[0] !== call ? args[0] : {}) as Record<
      string,
      unknown
    >;
    const metadata = (args[1] instanceof grpc.Metadata ? args[1] : call.metadata) ?? new grpc.Metadata();
    const method = call.getPath().replace(/^\//, '');
    return from(this.authorize(call, method, request, metadata)).pipe(
      mergeMap(
        (caller) =>
          new Observable<unknown>((subscriber) =>
            callers.run(caller, () => runAsActor(actorOf(caller), () => next.handle().subscribe(subscriber))),
          ),
      ),
    );
  }

  /** The caller of one call, or a gRPC error (UNAUTHENTICATED / PERMISSION_DENIED). */
  async authorize(
    call: unknown,
    method: string,
    request: Record<string, unknown>,
    metadata: grpc.Metadata,
  ): Promise<Caller> {
    const access = this.accessOf(method);
    const socket = tlsSocketOf(call);
    const peer = socket?.getPeerCertificate(false);
    if (!peer?.raw)
      throw grpcError(grpc.status.UNAUTHENTICATED, `a client certificate is required (method ${method})`);
    const cert = new X509Certificate(peer.raw);
    const t = this.now();
    if (t < Date.parse(cert.validFrom) || t > Date.parse(cert.validTo)) {
      throw grpcError(
        grpc.status.UNAUTHENTICATED,
        `the client certificate is expired or not yet valid (valid ${new Date(cert.validFrom).toISOString()} to ${new Date(cert.validTo).toISOString()})`,
      );
    }
    const caller =
      this.fromPlatformCa(cert, metadata) ?? (await this.fromClusterCa(cert, method, access, request));
    this.check(caller, method, access, request);
    if (caller.kind === 'node' && access.nodeCheck) {
      const reason = await access.nodeCheck(caller, request);
      if (reason) throw grpcError(grpc.status.PERMISSION_DENIED, `${reason} (method ${method})`);
    }
    return caller;
  }

  private accessOf(method: string): MethodAccess {
    const entry =
      this.options.table[method] ?? (method.startsWith('edgeplane.admin.v1.') ? 'cluster-admin' : undefined);
    // a method nobody declared is for cluster-admin only
    if (entry === undefined) return { role: 'cluster-admin' };
    return typeof entry === 'string' ? { role: entry } : entry;
  }

  private platformCa(): X509Certificate {
    if (!this.caCert) {
      this.ca = loadPlatformCa(this.options.pkiDir ?? platformPkiDir());
      this.caCert = new X509Certificate(this.ca.certPem);
    }
    return this.caCert;
  }

  private fromPlatformCa(cert: X509Certificate, metadata: grpc.Metadata): Caller | undefined {
    const ca = this.platformCa();
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return undefined;
    const subject = subjectOf(cert);
    const clusters = subject.OU.filter((u) => u.startsWith('cluster:')).map((u) =>
      u.slice('cluster:'.length),
    );
    if (subject.O.includes(SERVICE_GROUP) && subject.CN.startsWith(SERVICE_PREFIX)) {
      const service = subject.CN.slice(SERVICE_PREFIX.length);
      const user = metadata.get(ON_BEHALF_OF)[0];
      if (typeof user === 'string' && user.trim()) {
        const groups = String(metadata.get(ON_BEHALF_OF_GROUPS)[0] ?? '')
          .split(',')
          .map((g) => g.trim())
          .filter(Boolean)
          .slice(0, GROUPS_MAX)
          .map((g) => g.slice(0, NAME_MAX));
        return { kind: 'user', name: user.trim().slice(0, NAME_MAX), groups, clusters, via: service };
      }
      return { kind: 'service', name: service, groups: subject.O, clusters };
    }
    return { kind: 'user', name: subject.CN, groups: subject.O, clusters };
  }

  private async fromClusterCa(
    cert: X509Certificate,
    method: string,
    access: MethodAccess,
    request: Record<string, unknown>,
  ): Promise<Caller> {
    const ref = clusterRefOf(request);
    if (!ref) {
      throw grpcError(
        grpc.status.UNAUTHENTICATED,
        `the client certificate is not issued by the platform CA (a cluster's certificate is accepted only on calls naming its cluster; method ${method})`,
      );
    }
    const target = access.node?.(request)?.slice(0, NAME_MAX) ?? '';
    const clusterKey = ref.id ?? `name:${ref.name}`;
    const key = `${cert.fingerprint256}|${clusterKey}|${target}`;
    const t = this.now();
    let verdict = this.cache.get(key);
    if (!verdict || verdict.until <= t) {
      let answer: EdgeplaneClusterV1.VerifyCredentialResponse__Output;
      try {
        answer = await this.options.verify({
          cluster: ref,
          certificatePem: cert.toString(),
          targetNode: target,
        });
      } catch (error) {
        const e = error as grpc.ServiceError;
        if (e.code === grpc.status.NOT_FOUND || e.code === grpc.status.INVALID_ARGUMENT)
          throw grpcError(
            grpc.status.UNAUTHENTICATED,
            `the client certificate is not a credential of cluster ${ref.id ?? ref.name}`,
          );
        throw grpcError(
          grpc.status.UNAVAILABLE,
          `credentials cannot be checked now: ${e.details ?? e.message}`,
        );
      }
      verdict = answer.valid
        ? {
            caller:
              answer.kind === 'node'
                ? {
                    kind: 'node',
                    name: answer.nodeName,
                    groups: answer.groups,
                    clusters: [ref.id ?? ref.name ?? ''],
                  }
                : {
                    kind: 'user',
                    name: answer.user,
                    groups: answer.groups,
                    clusters: [ref.id ?? ref.name ?? ''],
                  },
            authorized: answer.authorized,
            reason: answer.reason,
            until: t + (this.options.cacheMs ?? 30_000),
          }
        : { authorized: false, reason: answer.reason, until: t + (this.options.cacheMs ?? 30_000) };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(key, verdict);
    }
    if (!verdict.caller)
      throw grpcError(
        grpc.status.UNAUTHENTICATED,
        `the client certificate is refused: ${verdict.reason || 'not a credential of this cluster'}`,
      );
    if (verdict.caller.kind === 'node' && target && !verdict.authorized)
      throw grpcError(grpc.status.PERMISSION_DENIED, `${verdict.reason} (method ${method})`);
    return verdict.caller;
  }

  private check(
    caller: Caller,
    method: string,
    access: MethodAccess,
    request: Record<string, unknown>,
  ): void {
    if (!holdsRole(caller, access.role)) {
      const who = caller.kind === 'node' ? `node ${caller.name}` : `${caller.kind} ${caller.name}`;
      throw grpcError(
        grpc.status.PERMISSION_DENIED,
        `${who} lacks the right: requires role ${access.role} (method ${method})`,
      );
    }
    if (caller.clusters.length > 0 && access.clusters !== 'handler') {
      const ref = clusterRefOf(request);
      const named = ref?.id ?? ref?.name;
      if (!named || !caller.clusters.includes(named)) {
        throw grpcError(
          grpc.status.PERMISSION_DENIED,
          `the credential is limited to cluster${caller.clusters.length > 1 ? 's' : ''} ${caller.clusters.join(', ')} (method ${method})`,
        );
      }
    }
  }
}

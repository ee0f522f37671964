import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import {
  checkPodRequest,
  encodePodRequest,
  EXEC_CHANNEL,
  ExecFrameReader,
  POD_REQUEST_KEY,
  PodStreamRequestError,
  type ExecEnd,
  type PodStreamKind,
  type PodStreamRequest,
} from '@edgeplane/k8s/pod-stream';
import {
  fieldViolationsOf,
  loadPackage,
  protoFilesOf,
  type EdgeplaneTunnelV1,
  type EdgeplaneTunnelV1TunnelProto,
} from '@edgeplane/proto';
import { grpcClientCredentials } from '@edgeplane/service-kit';
import { WebSocketServer, type WebSocket } from 'ws';
import { authorize, authorizeObject, type RequestAttributes } from '../auth/authorize.js';
import { ApiError, asApiError, badRequest, statusBody } from '../http/status.js';
import { UpstreamError } from '../upstream/upstream.js';
import { findPod } from './pods.js';
import type { RequestContext } from './resource.js';

/**
 * `pods/{name}/log` and `pods/{name}/exec` (issue 12: kubectl logs / kubectl exec of a pod on a
 * fleet node). Both go to the tunnel service's RemoteAccessService (PodLogs / PodExec) with the
 * node the grid placed the pod on, on behalf of the caller; the gateway and then the node's agent
 * check the pod is that node's, and the agent reads the CRI log files or runs the command (CRI
 * ExecSync). Authorization first: `get pods/log` (view may), `create pods/exec` (edit may), a node
 * credential only for pods bound to it (authorize.ts).
 *
 * - log: `container`, `follow`, `tailLines`, `timestamps`, `previous`, `limitBytes`; text/plain,
 *   streamed (chunked) while following. `sinceSeconds`/`sinceTime` are refused (400), not ignored.
 * - exec: WebSocket only (kubectl ≥ 1.30 asks for it first; SPDY is not served), subprotocol
 *   `v5.channel.k8s.io` or `v4.channel.k8s.io`: channel 1 stdout, 2 stderr, 3 the end as a
 *   metav1.Status (NonZeroExitCode with the ExitCode cause, as kubelet says it, so kubectl exits
 *   with the command's code). Without `-i` the command runs by CRI ExecSync; with `-i` its stdin
 *   is channel 0 (EOF: v5's close signal), streamed by the agent (nsenter). No terminal: `-t` gets
 *   a Failure saying so.
 */
export const POD_SUBRESOURCES = new Set(['log', 'exec']);
const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, close: 255 } as const;

/** An upgrade request handed to the HTTP handler (kube-api.server.ts): the bytes read past its head. */
export type UpgradeRequest = IncomingMessage & { upgradeHead?: Buffer };

type RemoteAccessClient = EdgeplaneTunnelV1.RemoteAccessServiceClient;
type ChunkCall = grpc.ClientDuplexStream<EdgeplaneTunnelV1.Chunk, EdgeplaneTunnelV1.Chunk__Output>;

export class PodSubresources {
  private readonly client: RemoteAccessClient;
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });

  constructor(tunnelAddr: string) {
    const pkg = loadPackage<EdgeplaneTunnelV1TunnelProto>(protoFilesOf('tunnel')).grpcObject.edgeplane.tunnel
      .v1;
    this.client = new pkg.RemoteAccessService(tunnelAddr, grpcClientCredentials());
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    this.client.close();
  }

  /** Serves `pods/<name>/<sub>` (sub in POD_SUBRESOURCES); throws an ApiError before anything is sent. */
  async serve(
    req: UpgradeRequest,
    res: ServerResponse,
    at: { ctx: RequestContext; namespace: string; name: string; sub: string; query: URLSearchParams },
  ): Promise<void> {
    const { ctx, namespace, name, sub, query } = at;
    const attrs: RequestAttributes = {
      verb: sub === 'exec' ? 'create' : 'get',
      group: '',
      resource: 'pods',
      subresource: sub,
      name,
      namespace,
    };
    const forbidden = authorize(ctx.identity, attrs);
    if (forbidden) throw forbidden;
    if (sub === 'exec' && req.headers.upgrade?.toLowerCase() !== 'websocket')
      throw badRequest(
        `pods/exec is served over WebSocket only (${PROTOCOLS.join(', ')}); SPDY is not supported`,
      );
    const { pod, object } = await findPod({ ...ctx, namespace }, name);
    const notBound = authorizeObject(ctx.identity, attrs, object);
    if (notBound) throw notBound;
    if (!pod.node)
      throw badRequest(
        `pod "${name}" is not on a node yet (${pod.phase}${pod.reason ? `: ${pod.reason}` : ''})`,
      );
    const target = {
      cluster: ctx.clusterId,
      node: pod.node,
      user: ctx.identity.user,
      groups: ctx.identity.groups,
    };
    if (sub === 'log') return this.logs(res, target, logRequest(namespace, name, query));
    return this.exec(req, res, target, execRequest(namespace, name, query));
  }

  private open(
    kind: PodStreamKind,
    target: { cluster: string; node: string; user: string; groups: string[] },
    request: PodStreamRequest,
  ): ChunkCall {
    const md = new grpc.Metadata();
    md.set('x-edgeplane-cluster', target.cluster);
    md.set('x-edgeplane-node', target.node);
    md.set(POD_REQUEST_KEY, encodePodRequest(request));
    // this service asks on behalf of the kubectl user (honoured only from a service identity)
    md.set('x-edgeplane-on-behalf-of', target.user);
    md.set('x-edgeplane-on-behalf-of-groups', target.groups.join(','));
    return kind === 'logs' ? this.client.PodLogs(md) : this.client.PodExec(md);
  }

  /** The call opened through to the node (its first metadata), or its error as a Kubernetes Status. */
  private opened(call: ChunkCall): Promise<void> {
    return new Promise((resolve, reject) => {
      call.once('metadata', () => resolve());
      call.once('error', (e: grpc.ServiceError) =>
        reject(
          asApiError(new UpstreamError(e.code, e.details || e.message, fieldViolationsOf(e)), {
            resource: 'pods',
          }),
        ),
      );
    });
  }

  private async logs(
    res: ServerResponse,
    target: { cluster: string; node: string; user: string; groups: string[] },
    request: PodStreamRequest,
  ): Promise<void> {
    const call = this.open('logs', target, request);
    call.end(); // nothing to send
    res.once('close', () => call.cancel());
    await this.opened(call);
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    await new Promise<void>((resolve) => {
      call.on('data', (chunk: EdgeplaneTunnelV1.Chunk__Output) => {
        if (chunk.data.length > 0 && !res.write(chunk.data)) {
          call.pause();
          res.once('drain', () => call.resume());
        }
        if (chunk.fin) resolve();
      });
      call.on('end', () => resolve());
      // once the body started there is no status to change: the log just ends
      call.on('error', () => resolve());
    });
    res.end();
  }

  private async exec(
    req: UpgradeRequest,
    res: ServerResponse,
    target: { cluster: string; node: string; user: string; groups: string[] },
    request: PodStreamRequest | { refused: string },
  ): Promise<void> {
    const socket = req.socket as Duplex;
    res.detachSocket(req.socket);
    const ws = await new Promise<WebSocket>((resolve) =>
      this.wss.handleUpgrade(req, socket, req.upgradeHead ?? Buffer.alloc(0), resolve),
    );
    const finish = (status: Record<string, unknown>) => {
      if (ws.readyState === ws.OPEN)
        ws.send(Buffer.concat([Buffer.from([CHANNEL.error]), Buffer.from(JSON.stringify(status))]), () =>
          ws.close(1000),
        );
    };
    if ('refused' in request) return finish(failure(400, 'BadRequest', request.refused));
    const call = this.open('exec', target, request);
    ws.on('close', () => call.cancel());
    if (!request.stdin) {
      call.end(); // no stdin (ExecSync)
      ws.on('message', () => undefined);
    } else {
      // channel 0: the command's stdin; v5's close signal [255, 0] is its EOF; resize (4) unused
      ws.on('message', (data: Buffer, binary: boolean) => {
        const bytes = binary ? data : Buffer.from(data);
        if (bytes[0] === CHANNEL.stdin && bytes.length > 1) call.write({ data: bytes.subarray(1) });
        else if (bytes[0] === CHANNEL.close && bytes[1] === CHANNEL.stdin) call.end();
      });
    }
    try {
      await this.opened(call);
    } catch (error) {
      const e = asApiError(error, { resource: 'pods' });
      return finish(failure(e.code, e.reason, e.message));
    }
    const reader = new ExecFrameReader();
    let end: ExecEnd | undefined;
    call.on('data', (chunk: EdgeplaneTunnelV1.Chunk__Output) => {
      let frames: { channel: number; payload: Buffer }[];
      try {
        frames = reader.push(chunk.data);
      } catch (error) {
        call.cancel();
        return finish(failure(500, 'InternalError', (error as Error).message));
      }
      for (const f of frames) {
        if (f.channel === EXEC_CHANNEL.stdout || f.channel === EXEC_CHANNEL.stderr)
          ws.send(
            Buffer.concat([
              Buffer.from([f.channel === EXEC_CHANNEL.stdout ? CHANNEL.stdout : CHANNEL.stderr]),
              f.payload,
            ]),
          );
        else if (f.channel === EXEC_CHANNEL.status) end = JSON.parse(f.payload.toString()) as ExecEnd;
      }
    });
    call.on('end', () => finish(execStatus(end, request.command ?? [])));
    call.on('error', (e: grpc.ServiceError) => {
      if (e.code !== grpc.status.CANCELLED) finish(failure(500, 'InternalError', e.details || e.message));
    });
  }
}

function failure(code: number, reason: string, message: string) {
  return statusBody(code, reason, message);
}

/** The end of exec as kubelet reports it: Success, or NonZeroExitCode with the ExitCode cause. */
export function execStatus(end: ExecEnd | undefined, command: string[]): Record<string, unknown> {
  if (!end) return failure(500, 'InternalError', 'the node ended exec without an exit status');
  if ('error' in end) return failure(500, 'InternalError', end.error);
  if (end.exitCode === 0) return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${end.exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(end.exitCode) }] },
  };
}

const bool = (q: URLSearchParams, key: string) => {
  const v = q.get(key);
  return v === 'true' || v === '1';
};

function checked(kind: PodStreamKind, request: PodStreamRequest): PodStreamRequest {
  try {
    return checkPodRequest(kind, request);
  } catch (error) {
    if (error instanceof PodStreamRequestError) throw badRequest(error.message);
    throw error;
  }
}

/** The query of `pods/log` as the agent's request (checked; 400 naming the parameter). */
export function logRequest(namespace: string, name: string, q: URLSearchParams): PodStreamRequest {
  for (const unsupported of ['sinceSeconds', 'sinceTime'])
    if (q.has(unsupported)) throw badRequest(`${unsupported} is not supported by this server`);
  const int = (key: string) => {
    const v = q.get(key);
    if (v === null) return undefined;
    if (!/^-?\d{1,12}$/.test(v)) throw badRequest(`${key}: must be a whole number`);
    return Number(v);
  };
  const tailLines = int('tailLines');
  const limitBytes = int('limitBytes');
  const container = q.get('container');
  return checked('logs', {
    namespace,
    name,
    ...(container ? { container } : {}),
    ...(bool(q, 'follow') ? { follow: true } : {}),
    // kubectl --tail=-1 means all
    ...(tailLines !== undefined && tailLines >= 0 ? { tailLines } : {}),
    ...(bool(q, 'timestamps') ? { timestamps: true } : {}),
    ...(bool(q, 'previous') ? { previous: true } : {}),
    ...(limitBytes !== undefined ? { limitBytes } : {}),
  });
}

/** The query of `pods/exec`; what cannot be served (a terminal) is a refusal sent over the socket. */
export function execRequest(
  namespace: string,
  name: string,
  q: URLSearchParams,
): PodStreamRequest | { refused: string } {
  const command = q.getAll('command');
  const container = q.get('container');
  if (bool(q, 'tty'))
    return { refused: 'a terminal (-t) is not supported: commands run without one (CRI ExecSync)' };
  try {
    return checked('exec', {
      namespace,
      name,
      ...(container ? { container } : {}),
      command,
      ...(bool(q, 'stdin') ? { stdin: true } : {}),
    });
  } catch (error) {
    return { refused: (error as ApiError).message };
  }
}

import http2 from 'node:http2';
import net from 'node:net';
import { CallError, Deframer, Status } from '../../tunnel/grpc-h2.js';
import { decode, encode, METHODS, type Method, type Request, type Response } from './codec.js';

/** containerd's answers are small; a ListContainers of a busy node stays far below this. */
const MAX_RESPONSE = 16 * 1024 * 1024;

/**
 * A unary gRPC client of containerd's CRI (runtime.v1 RuntimeService + ImageService) over its unix
 * socket, on Node's own http2 like the agent's tunnel (src/tunnel/grpc-h2.ts): no grpc-js or
 * protobuf runtime in the agent bundle. One HTTP/2 connection, re-dialled when it ends.
 */
export class CriClient {
  private session?: http2.ClientHttp2Session;

  /** `socket`: a path or `unix:///path` (kubelet's --container-runtime-endpoint form) */
  constructor(
    socket: string,
    private readonly defaultTimeoutMs = 30_000,
  ) {
    this.socketPath = socket.replace(/^unix:\/\//, '');
  }

  private readonly socketPath: string;

  private connect(): http2.ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = http2.connect('http://localhost', {
      createConnection: () => net.connect(this.socketPath),
      settings: { enablePush: false },
    });
    session.on('error', () => undefined);
    session.on('close', () => {
      if (this.session === session) this.session = undefined;
    });
    session.unref();
    this.session = session;
    return session;
  }

  /** Calls `method`; fails with a CallError (UNAVAILABLE when the socket does not answer). */
  call<M extends Method>(
    method: M,
    request: Request<M>,
    timeoutMs = this.defaultTimeoutMs,
  ): Promise<Response<M>> {
    const { path, req, res } = METHODS[method];
    const payload = encode(req, request);
    return new Promise((resolve, reject) => {
      const session = this.connect();
      const stream = session.request({
        ':method': 'POST',
        ':path': path,
        'content-type': 'application/grpc',
        te: 'trailers',
        'grpc-timeout': `${Math.max(1, Math.ceil(timeoutMs))}m`,
        'user-agent': 'edgeplane-agent',
      });
      const deframer = new Deframer(MAX_RESPONSE);
      let message: Buffer | undefined;
      let done = false;
      const finish = (error?: CallError) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (error) return reject(error);
        try {
          resolve(decode(res, message ?? Buffer.alloc(0)) as Response<M>);
        } catch (e) {
          reject(new CallError(Status.INTERNAL, `${method}: undecodable answer: ${(e as Error).message}`));
        }
      };
      const timer = setTimeout(() => {
        stream.close(http2.constants.NGHTTP2_CANCEL);
        finish(new CallError(Status.DEADLINE_EXCEEDED, `${method}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const status = (headers: http2.IncomingHttpHeaders) => {
        const code = Number(headers['grpc-status'] ?? Status.UNKNOWN);
        if (code === Status.OK) return finish();
        let details = String(headers['grpc-message'] ?? '');
        try {
          details = decodeURIComponent(details);
        } catch {
          /* as sent */
        }
        finish(new CallError(code, details));
      };
      stream.on('response', (headers) => {
        if (headers['grpc-status'] !== undefined) status(headers);
      });
      stream.on('data', (chunk: Buffer) => {
        try {
          deframer.push(chunk);
          message ??= deframer.next();
        } catch (e) {
          stream.close(http2.constants.NGHTTP2_CANCEL);
          finish(new CallError(Status.INTERNAL, `${method}: ${(e as Error).message}`));
        }
      });
      stream.on('trailers', status);
      stream.on('error', (e: Error) => finish(new CallError(Status.UNAVAILABLE, `${method}: ${e.message}`)));
      stream.on('close', () =>
        finish(
          new CallError(Status.UNAVAILABLE, `${method}: the runtime at ${this.socketPath} closed the call`),
        ),
      );
      stream.end(frame(payload));
    });
  }

  close(): void {
    this.session?.destroy();
    this.session = undefined;
  }
}

function frame(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + payload.length);
  out.writeUInt8(0, 0);
  out.writeUInt32BE(payload.length, 1);
  payload.copy(out, 5);
  return out;
}

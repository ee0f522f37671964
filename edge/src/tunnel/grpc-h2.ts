import http2 from 'node:http2';
import { isIP } from 'node:net';
import { Duplex } from 'node:stream';

/** gRPC status codes the agent acts on (https://grpc.github.io/grpc/core/md_doc_statuscodes.html). */
export const Status = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  FAILED_PRECONDITION: 9,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** How a call ended badly: its status code and message (grpc-js's ServiceError has the same two). */
export class CallError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(`${code} ${details}`);
  }
}

const MAX_MESSAGE = 16 * 1024 * 1024;

/**
 * HTTP/2 flow-control windows of what the agent receives (Node's defaults: 64 KiB per stream and
 * 64 KiB for the whole connection, i.e. 64 KiB per round trip for all sub-streams together). The
 * per-stream window still bounds what a stalled sub-stream holds (here and at the gateway).
 */
const STREAM_WINDOW = 1024 * 1024;
const CONNECTION_WINDOW = 16 * 1024 * 1024;

export interface Codec<Req, Res> {
  encode(message: Req): Buffer;
  decode(bytes: Buffer): Res;
  /** the whole gRPC frame (5-byte prefix + message) in one buffer, when the codec can build it directly */
  frame?(message: Req): Buffer;
}

/**
 * Splits a byte stream into gRPC length-prefixed messages. A message that arrived in one read is
 * a view of it (no copy); one spread over several reads is copied once. (Concatenating what is
 * pending on every read copies a 64 KiB message over and over as its 16 KiB frames arrive.)
 */
export class Deframer {
  private readonly parts: Buffer[] = [];
  /** index of the first part not yet consumed (no Array.shift per read: reads may be tiny) */
  private head = 0;
  private size = 0;
  private header?: { compressed: boolean; length: number };

  constructor(private readonly maxMessage = MAX_MESSAGE) {}

  push(data: Buffer): void {
    if (data.length === 0) return;
    this.parts.push(data);
    this.size += data.length;
  }

  /** The next whole message, undefined until one is complete; throws on a malformed stream. */
  next(): Buffer | undefined {
    if (!this.header) {
      if (this.size < 5) return undefined;
      const h = this.take(5);
      const length = h.readUInt32BE(1);
      if (length > this.maxMessage) throw new Error(`message of ${length} bytes is too large`);
      this.header = { compressed: h[0] !== 0, length };
    }
    if (this.size < this.header.length) return undefined;
    const { compressed, length } = this.header;
    this.header = undefined;
    if (compressed) throw new Error('compressed messages are not supported');
    return length === 0 ? Buffer.alloc(0) : this.take(length);
  }

  private take(n: number): Buffer {
    const first = this.parts[this.head]!;
    this.size -= n;
    if (first.length >= n) {
      if (first.length === n) this.dropFirst();
      else this.parts[this.head] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    while (at < n) {
      const part = this.parts[this.head]!;
      const k = Math.min(part.length, n - at);
      part.copy(out, at, 0, k);
      at += k;
      if (k === part.length) this.dropFirst();
      else this.parts[this.head] = part.subarray(k);
    }
    return out;
  }

  private dropFirst(): void {
    this.head++;
    if (this.head === this.parts.length) {
      this.parts.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.parts.length) {
      this.parts.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** A message as a gRPC frame: flag 0 (not compressed), its length, the message. */
function frameOf(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(5 + payload.length);
  frame.writeUInt8(0, 0);
  frame.writeUInt32BE(payload.length, 1);
  payload.copy(frame, 5);
  return frame;
}

/**
 * How many bytes a call may have queued on its HTTP/2 stream before its writer waits. The
 * stream's own mark (16 KiB) is below one 64 KiB message, so keeping to it would hold every
 * message until the one before it is on the wire: one message in flight per sub-stream.
 */
const WRITE_BUFFER = 256 * 1024;

export interface ChannelOptions {
  /** host:port */
  address: string;
  ca: string;
  key: string;
  cert: string;
  /** TLS name to check instead of the address's host */
  serverName?: string;
  /** PING period while the connection is open; no answer within `keepaliveTimeoutMs` closes it */
  keepaliveMs?: number;
  keepaliveTimeoutMs?: number;
  /** a connection (TCP + TLS + HTTP/2 settings) not made within this long is abandoned (30 s) */
  connectTimeoutMs?: number;
}

/**
 * One HTTP/2 connection (mutual TLS) to a gRPC server, and bidirectional-streaming calls on it —
 * the wire protocol of gRPC (length-prefixed messages, status in trailers) written against Node's
 * own http2, so the agent needs neither grpc-js nor a protobuf runtime. Every call is an HTTP/2
 * stream with its own flow-control window. The connection is not re-dialled: when it ends, its
 * calls fail with UNAVAILABLE and the owner makes a new Channel.
 */
export class Channel {
  private readonly session: http2.ClientHttp2Session;
  private readonly authority: string;
  private keepalive?: NodeJS.Timeout;
  private closedReason?: string;

  constructor(options: ChannelOptions) {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(options.address);
    if (!m) throw new Error(`not host:port: ${options.address}`);
    const host = m[1]!;
    this.authority = options.address;
    const servername = options.serverName ?? (isIP(host) ? undefined : host);
    this.session = http2.connect(`https://${options.address}`, {
      ca: options.ca,
      key: options.key,
      cert: options.cert,
      // the certificate is checked against this name (or, for an IP address, the address)
      ...(servername ? { servername } : {}),
      minVersion: 'TLSv1.2',
      settings: { enablePush: false, initialWindowSize: STREAM_WINDOW },
    });
    // An overloaded listener (thousands of agents reconnecting at once) may drop a connection
    // attempt that then hangs until Node's 120 s handshake timeout: give up sooner and retry. Not
    // too soon: a handshake queued behind thousands of others is progress, and abandoning it wastes
    // the server's work (with 10 s, a storm of 10,000 livelocked).
    const connectTimer = setTimeout(
      () => this.session.destroy(new Error('no connection within the connect timeout')),
      options.connectTimeoutMs ?? 30_000,
    );
    this.session.once('connect', () => {
      clearTimeout(connectTimer);
      // the session may already be gone (destroyed by the timer, a GOAWAY, a reset) when this
      // runs: setLocalWindowSize then throws, and unguarded that ended the whole process
      // (tunnel-fanin: a client process of 5,000 agents died this way in a connect storm)
      if (!this.session.destroyed && !this.session.closed) this.session.setLocalWindowSize(CONNECTION_WINDOW);
    });
    this.session.once('close', () => clearTimeout(connectTimer));
    // a failed connect or a dead connection fails the calls on it (their 'close' tells them)
    this.session.on('error', (e: Error) => (this.closedReason ??= e.message));
    this.session.on('goaway', () => (this.closedReason ??= 'the server went away'));
    this.session.on('close', () => {
      this.closedReason ??= 'connection closed';
      if (this.keepalive) clearInterval(this.keepalive);
    });
    const every = options.keepaliveMs ?? 30_000;
    const timeout = options.keepaliveTimeoutMs ?? 15_000;
    this.keepalive = setInterval(() => {
      if (this.session.closed || this.session.destroyed) return;
      const timer = setTimeout(() => this.session.destroy(new Error('keepalive timeout')), timeout);
      try {
        this.session.ping((err) => {
          clearTimeout(timer);
          if (err) this.session.destroy(err);
        });
      } catch {
        clearTimeout(timer);
      }
    }, every);
    this.keepalive.unref();
  }

  /** Opens `/<service>/<method>` as a bidirectional stream of messages. */
  call<Req, Res>(
    path: string,
    codec: Codec<Req, Res>,
    metadata: Record<string, string> = {},
  ): Call<Req, Res> {
    return new Call(this.session, this.authority, path, codec, metadata, () => this.closedReason);
  }

  /** Ends the connection and every call on it at once (also one still connecting). */
  close(): void {
    if (this.keepalive) clearInterval(this.keepalive);
    if (!this.session.destroyed) this.session.destroy();
  }
}

/**
 * One call: an object-mode Duplex of messages, shaped like grpc-js's ClientDuplexStream for the
 * parts the agent uses — write/end (half-close)/cancel, pause/resume with back-pressure down to the
 * HTTP/2 stream, 'metadata' when the server answers, 'error' with a CallError, 'end' after an OK
 * status.
 */
export class Call<Req, Res> extends Duplex {
  private readonly stream: http2.ClientHttp2Stream;
  private readonly deframer = new Deframer();
  private settled = false;

  constructor(
    session: http2.ClientHttp2Session,
    authority: string,
    path: string,
    private readonly codec: Codec<Req, Res>,
    metadata: Record<string, string>,
    closedReason: () => string | undefined,
  ) {
    super({ objectMode: true, allowHalfOpen: true });
    const reason = closedReason();
    if (session.closed || session.destroyed) {
      // as grpc-js does: a call on a dead channel fails on the next tick
      this.stream = undefined as unknown as http2.ClientHttp2Stream;
      process.nextTick(() => this.fail(Status.UNAVAILABLE, reason ?? 'connection closed'));
      return;
    }
    this.stream = session.request({
      ':method': 'POST',
      ':path': path,
      ':authority': authority,
      'content-type': 'application/grpc',
      te: 'trailers',
      'user-agent': 'edgeplane-agent',
      ...metadata,
    });
    this.stream.on('response', (headers) => {
      const status = headers['grpc-status'];
      // trailers-only: the call failed before any message
      if (status !== undefined) return this.finish(headers);
      if (headers[':status'] !== 200) return this.fail(Status.UNKNOWN, `HTTP ${headers[':status']}`);
      this.emit('metadata', headers);
    });
    this.stream.on('data', (data: Buffer) => this.onData(data));
    this.stream.on('trailers', (trailers) => this.finish(trailers));
    this.stream.on('end', () => {
      if (!this.settled) this.fail(Status.UNAVAILABLE, closedReason() ?? 'the stream ended without a status');
    });
    this.stream.on('error', () => undefined);
    this.stream.on('close', () => {
      if (!this.settled) {
        const code =
          this.stream.rstCode === http2.constants.NGHTTP2_CANCEL ? Status.CANCELLED : Status.UNAVAILABLE;
        this.fail(code, closedReason() ?? `stream closed (code ${this.stream.rstCode})`);
      }
    });
    this.stream.on('drain', () => this.emit('drain'));
  }

  /** Ends both directions at once (the server sees the call cancelled). */
  cancel(): void {
    if (this.settled) return;
    if (this.stream && !this.stream.destroyed) this.stream.close(http2.constants.NGHTTP2_CANCEL);
    this.fail(Status.CANCELLED, 'cancelled on client');
  }

  override _write(message: Req, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.settled || !this.stream || this.stream.destroyed) return callback();
    // one write per message (prefix + payload): one DATA frame instead of a 5-byte one and the rest
    const frame = this.codec.frame ? this.codec.frame(message) : frameOf(this.codec.encode(message));
    this.stream.write(frame);
    if (this.stream.writableLength < WRITE_BUFFER) callback();
    else this.stream.once('drain', () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.stream && !this.stream.destroyed) this.stream.end();
    callback();
  }

  override _read(): void {
    if (this.stream?.isPaused()) this.stream.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.settled && this.stream && !this.stream.destroyed)
      this.stream.close(http2.constants.NGHTTP2_CANCEL);
    this.settled = true;
    callback(error);
  }

  private onData(data: Buffer): void {
    this.deframer.push(data);
    for (;;) {
      let body: Buffer | undefined;
      try {
        body = this.deframer.next();
      } catch (error) {
        return this.fail(Status.INTERNAL, (error as Error).message);
      }
      if (!body) break;
      let message: Res;
      try {
        message = this.codec.decode(body);
      } catch (error) {
        return this.fail(Status.INTERNAL, `undecodable message: ${(error as Error).message}`);
      }
      if (!this.push(message)) this.stream.pause();
    }
  }

  private finish(trailers: http2.IncomingHttpHeaders): void {
    if (this.settled) return;
    const code = Number(trailers['grpc-status'] ?? Status.UNKNOWN);
    if (code === Status.OK) {
      this.settled = true;
      this.push(null);
    } else {
      const raw = trailers['grpc-message'];
      let details = typeof raw === 'string' ? raw : '';
      try {
        details = decodeURIComponent(details);
      } catch {
        /* keep it as sent */
      }
      this.fail(code, details);
    }
  }

  private fail(code: number, details: string): void {
    if (this.settled) return;
    this.settled = true;
    this.destroy(new CallError(code, details));
  }
}

import { Duplex } from 'node:stream';
import { DATA_PARTS, type ChunkInParts } from './codec.js';
import type { CallError, ChunkCall, Tunnel } from './protocol.js';

const BUFFER = 256 * 1024;
/** the most data one Chunk carries when writes are gathered (the gateway accepts 4 MiB messages) */
const MAX_GATHERED = 1024 * 1024;
const EMPTY = Buffer.alloc(0);

/**
 * Every byte a sub-stream moves passes through buffers that die young (a socket read, a gRPC
 * frame, a message assembled from HTTP/2 reads), but V8 frees them only when it collects: with
 * the agent's 1 MiB young generation that is rare (a buffer is a few hundred bytes of JS heap), so
 * tens of MB of dead buffers were held until the external-memory limit forced a full collection.
 * When the process runs with --expose-gc (the agent's flags, process-limits.ts), a young-generation
 * collection (about 1 ms on the agent's heap) follows every YOUNG_GC_BYTES moved; with glibc's mmap
 * threshold fixed below 64 KiB (MALLOC_MMAP_THRESHOLD_), the freed buffers go back to the system.
 */
const YOUNG_GC_BYTES = 8 * 1024 * 1024;
let movedSinceGc = 0;
let gcScheduled = false;
const collect = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc;
function moved(bytes: number): void {
  if (!collect) return;
  movedSinceGc += bytes;
  if (movedSinceGc < YOUNG_GC_BYTES || gcScheduled) return;
  gcScheduled = true;
  setImmediate(() => {
    gcScheduled = false;
    movedSinceGc = 0;
    collect({ type: 'minor' });
  });
}

/**
 * A sub-stream call as a byte stream, so it can be piped to a TCP socket or handed to
 * http.request as its connection. Back-pressure both ways: a full gRPC write buffer holds our
 * writer, a full readable buffer pauses the call (its own HTTP/2 window then closes; other
 * sub-streams are unaffected). Half-close: ending this stream ends our side of the call; the
 * gateway's `fin` (or the call's end) ends what we read.
 */
export class ChunkDuplex extends Duplex {
  private finished = false;

  constructor(private readonly call: ChunkCall) {
    // a socket reads 64 KiB at a time: with the default 16 KiB marks every read would pause it
    super({ allowHalfOpen: true, readableHighWaterMark: BUFFER, writableHighWaterMark: BUFFER });
    call.on('data', (chunk: Tunnel.Chunk__Output) => {
      this.idle?.refresh();
      moved(chunk.data.length);
      if (chunk.data.length > 0 && !this.push(chunk.data)) call.pause();
      if (chunk.fin) this.push(null);
    });
    call.on('end', () => {
      this.finished = true;
      this.push(null);
    });
    call.on('error', (e: CallError) => {
      this.finished = true;
      this.destroy(Object.assign(new Error(e.details || e.message), { code: e.code }));
    });
  }

  override _read(): void {
    this.call.resume();
  }

  override _write(data: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.idle?.refresh();
    moved(data.length);
    if (this.call.write({ data })) callback();
    else this.call.once('drain', () => callback());
  }

  /** Writes gathered while corked (see `gather`) go out as few Chunks, each copied once into its frame. */
  override _writev(
    chunks: { chunk: Buffer; encoding: BufferEncoding }[],
    callback: (error?: Error | null) => void,
  ): void {
    this.idle?.refresh();
    let ok = true;
    let parts: Buffer[] = [];
    let size = 0;
    const flush = () => {
      const message: ChunkInParts = { data: EMPTY, [DATA_PARTS]: parts };
      ok = this.call.write(message) && ok;
      parts = [];
      size = 0;
    };
    for (const { chunk } of chunks) {
      moved(chunk.length);
      if (size > 0 && size + chunk.length > MAX_GATHERED) flush();
      parts.push(chunk);
      size += chunk.length;
    }
    if (parts.length > 0) flush();
    if (ok) callback();
    else this.call.once('drain', () => callback());
  }

  private gathering = false;

  /**
   * Holds the writes of this turn of the event loop and sends them together at its end. A socket
   * delivers at most 64 KiB per read, and one Chunk per read costs every process on the path
   * (agent, gateway, agent) its per-message work: reads that arrive together (several per turn
   * at full speed, up to the 256 KiB mark) become one Chunk. Nothing waits past the current
   * turn, so interactive traffic is not delayed.
   */
  gather(): void {
    if (this.gathering || this.writableEnded || this.destroyed) return;
    this.gathering = true;
    this.cork();
    setImmediate(() => {
      this.gathering = false;
      this.uncork();
    });
  }

  // The parts of net.Socket an http.Agent uses to keep a connection alive between requests: an
  // idle timeout ('timeout' after `ms` without a byte either way; the agent then closes a free
  // connection) and no-ops for what only a TCP socket has.
  private idle?: NodeJS.Timeout;
  timeout = 0;

  setTimeout(ms: number, listener?: () => void): this {
    if (listener) this.once('timeout', listener);
    this.timeout = ms;
    clearTimeout(this.idle);
    this.idle = ms > 0 ? setTimeout(() => this.emit('timeout'), ms).unref() : undefined;
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.call.end();
    callback();
  }

  // Both directions ending cleanly auto-destroys this stream without an error: the call then
  // completes by itself (cancelling it would race the gateway reading our half-close).
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.idle);
    if (error && !this.finished) this.call.cancel();
    callback(error);
  }
}

/** Pipes a socket and a sub-stream into each other, half-close carried both ways; either failing ends both. */
export function bridge(socket: Duplex, stream: Duplex): void {
  if (stream instanceof ChunkDuplex) socket.on('data', () => stream.gather());
  socket.pipe(stream);
  stream.pipe(socket);
  // Only a failure tears the other side down: a socket closed after a clean end may still have
  // bytes on their way into the stream (its writes complete later), and they must arrive.
  socket.on('error', (error) => stream.destroy(error));
  stream.on('error', () => socket.destroy());
  socket.on('close', (hadError: boolean) => {
    if (hadError) stream.destroy(new Error('the connection failed'));
  });
}

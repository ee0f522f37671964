import * as grpc from '@grpc/grpc-js';
import type { EdgeplaneTunnelV1 } from '@edgeplane/proto';

type ChunkIn = EdgeplaneTunnelV1.Chunk__Output;
type ChunkOut = EdgeplaneTunnelV1.Chunk;
export type ServerChunkCall = grpc.ServerDuplexStream<ChunkIn, ChunkOut>;
export type ClientChunkCall = grpc.ClientDuplexStream<ChunkOut, ChunkIn>;

export interface EndpointEvents {
  data(bytes: Buffer): void;
  /** the other side will send no more */
  end(): void;
  /** the call failed or was cancelled */
  error(code: grpc.status, details: string): void;
}

/**
 * One side of a sub-stream as the gateway sees it — the bytes of a gRPC call of Chunks, with
 * half-close in both directions and the call's own back-pressure (write() false → wait for
 * 'drain'; pause() stops reading, so the HTTP/2 window of THIS stream fills and its sender waits,
 * and no other stream is affected).
 */
export interface ChunkEndpoint {
  start(events: EndpointEvents): void;
  write(bytes: Buffer): boolean;
  onceDrain(listener: () => void): void;
  pause(): void;
  resume(): void;
  /** no more bytes from us */
  finishSending(): void;
  abort(code: grpc.status, details: string): void;
}

/** A call the gateway serves (agent's Stream, operator's Relay, a peer's Forward). */
export class ServerCallEndpoint implements ChunkEndpoint {
  private sendingDone = false;
  private receivingDone = false;
  private over = false;

  constructor(private readonly call: ServerChunkCall) {}

  /** Tells the caller the sub-stream is open (initial metadata), before any byte flows. */
  ready(): void {
    this.call.sendMetadata(new grpc.Metadata());
  }

  start(events: EndpointEvents): void {
    const ended = () => {
      if (this.receivingDone) return;
      this.receivingDone = true;
      events.end();
      this.maybeComplete();
    };
    this.call.on('data', (chunk: ChunkIn) => {
      if (chunk.data.length > 0) events.data(chunk.data);
      if (chunk.fin) ended();
    });
    this.call.on('end', ended);
    this.call.on('cancelled', () => this.failed(events, grpc.status.CANCELLED, 'cancelled by the caller'));
    this.call.on('error', (e: { code?: number; details?: string; message?: string }) =>
      this.failed(events, e.code ?? grpc.status.UNKNOWN, e.details ?? e.message ?? 'stream error'),
    );
  }

  write(bytes: Buffer): boolean {
    if (this.over) return true;
    return this.call.write({ data: bytes });
  }

  onceDrain(listener: () => void): void {
    this.call.once('drain', listener);
  }

  pause(): void {
    this.call.pause();
  }

  resume(): void {
    this.call.resume();
  }

  finishSending(): void {
    if (this.sendingDone || this.over) return;
    this.sendingDone = true;
    this.call.write({ data: Buffer.alloc(0), fin: true });
    this.maybeComplete();
  }

  abort(code: grpc.status, details: string): void {
    if (this.over) return;
    this.over = true;
    this.call.emit('error', { code, details });
  }

  private maybeComplete(): void {
    if (this.sendingDone && this.receivingDone && !this.over) {
      this.over = true;
      this.call.end();
    }
  }

  private failed(events: EndpointEvents, code: grpc.status, details: string): void {
    if (this.over) return;
    this.over = true;
    events.error(code, details);
  }
}

/** A call the gateway makes (Forward to the replica holding the node). */
export class ClientCallEndpoint implements ChunkEndpoint {
  private receivingDone = false;
  private over = false;

  constructor(private readonly call: ClientChunkCall) {}

  start(events: EndpointEvents): void {
    const ended = () => {
      if (this.receivingDone) return;
      this.receivingDone = true;
      events.end();
    };
    this.call.on('data', (chunk: ChunkIn) => {
      if (chunk.data.length > 0) events.data(chunk.data);
      if (chunk.fin) ended();
    });
    this.call.on('end', ended);
    this.call.on('error', (e: grpc.ServiceError) => {
      if (this.over) return;
      this.over = true;
      events.error(e.code, e.details || e.message);
    });
  }

  write(bytes: Buffer): boolean {
    if (this.over) return true;
    return this.call.write({ data: bytes });
  }

  onceDrain(listener: () => void): void {
    this.call.once('drain', listener);
  }

  pause(): void {
    this.call.pause();
  }

  resume(): void {
    this.call.resume();
  }

  finishSending(): void {
    if (!this.over) this.call.end();
  }

  abort(_code: grpc.status, _details: string): void {
    if (this.over) return;
    this.over = true;
    this.call.cancel();
  }
}

/**
 * Joins two endpoints: bytes both ways with back-pressure per direction, half-close carried
 * across, and a failure of either side aborting the other with its status. Resolves when both
 * directions are done or one side failed.
 */
export function splice(
  a: ChunkEndpoint,
  b: ChunkEndpoint,
  meter: (direction: 'a-to-b' | 'b-to-a', bytes: number) => void = () => undefined,
): Promise<void> {
  return new Promise((resolve) => {
    let ends = 0;
    let settled = false;
    const settle = () => {
      if (!settled) {
        settled = true;
        resolve();
      }
    };
    const pump = (from: ChunkEndpoint, to: ChunkEndpoint, direction: 'a-to-b' | 'b-to-a') => ({
      data(bytes: Buffer) {
        meter(direction, bytes.length);
        if (!to.write(bytes)) {
          from.pause();
          to.onceDrain(() => from.resume());
        }
      },
      end() {
        to.finishSending();
        if (++ends === 2) settle();
      },
      error(code: grpc.status, details: string) {
        to.abort(code, details);
        settle();
      },
    });
    a.start(pump(a, b, 'a-to-b'));
    b.start(pump(b, a, 'b-to-a'));
  });
}

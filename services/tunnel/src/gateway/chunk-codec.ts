import type * as grpc from '@grpc/grpc-js';
import type { EdgeplaneTunnelV1 } from '@edgeplane/proto';

type ChunkIn = EdgeplaneTunnelV1.Chunk__Output;
type ChunkOut = EdgeplaneTunnelV1.Chunk;

const EMPTY = Buffer.alloc(0);

/**
 * `Chunk{bytes data = 1; bool fin = 2;}` written and read by hand: this is the sub-streams' hot
 * path, and protobufjs validates every message, builds it in a writer of its own and copies the
 * data into it once more than needed. The decoded object has the shape proto-loader gives
 * (`defaults: true`): `data` an empty Buffer when absent, `fin` false. The data is a view of the
 * received message (no copy). Unknown fields are skipped, as protobufjs does.
 */
export function serializeChunk(chunk: ChunkOut): Buffer {
  const raw = chunk.data ?? EMPTY;
  const data = typeof raw === 'string' ? Buffer.from(raw, 'base64') : raw;
  const n = data.length;
  let lengthBytes = 1;
  for (let v = n; v >= 0x80; v = Math.floor(v / 128)) lengthBytes++;
  if (n > 0 && !chunk.fin) {
    const encoded = encodedInPlace(data, lengthBytes);
    if (encoded) return encoded;
  }
  const out = Buffer.allocUnsafe((n > 0 ? 1 + lengthBytes + n : 0) + (chunk.fin ? 2 : 0));
  let at = 0;
  if (n > 0) {
    out[at++] = (1 << 3) | 2;
    at = writeVarint(out, at, n);
    out.set(data, at);
    at += n;
  }
  if (chunk.fin) {
    out[at++] = 2 << 3;
    out[at++] = 1;
  }
  return out;
}

export function deserializeChunk(bytes: Buffer): ChunkIn {
  const chunk: ChunkIn = { data: EMPTY, fin: false };
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (at >= bytes.length) throw new Error('Chunk: truncated varint');
      if (shift > 63) throw new Error('Chunk: varint too long');
      const b = bytes[at++]!;
      // past 2^53 the value is only used as "non-zero" (bool) or rejected as a length
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      const v = varint();
      if (field === 2) chunk.fin = v !== 0;
    } else if (wire === 2) {
      const len = varint();
      if (len > bytes.length - at) throw new Error('Chunk: truncated field');
      if (field === 1) chunk.data = bytes.subarray(at, at + len);
      at += len;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new Error(`Chunk: unsupported wire type ${wire}`);
    if (at > bytes.length) throw new Error('Chunk: truncated field');
  }
  return chunk;
}

/**
 * The gateway forwards what it receives: the data of a Chunk it decoded is a view of the received
 * message, whose bytes just before it are the field's key and length. When they are there, the
 * message `Chunk{data}` is already in memory, byte for byte — return a view of it instead of
 * allocating and copying it again (grpc-js copies what a serializer returns into its frame at
 * once). The bytes are compared, not assumed, so any other buffer is serialized the usual way.
 */
function encodedInPlace(data: Uint8Array, lengthBytes: number): Buffer | undefined {
  const header = 1 + lengthBytes;
  if (data.byteOffset < header) return undefined;
  const before = new Uint8Array(data.buffer, data.byteOffset - header, header);
  if (before[0] !== ((1 << 3) | 2)) return undefined;
  let v = data.length;
  for (let i = 1; i < header; i++, v = Math.floor(v / 128)) {
    const expected = i < header - 1 ? (v & 0x7f) | 0x80 : v;
    if (before[i] !== expected) return undefined;
  }
  return Buffer.from(data.buffer, data.byteOffset - header, header + data.length);
}

function writeVarint(out: Buffer, at: number, value: number): number {
  let v = value;
  while (v >= 0x80) {
    out[at++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  out[at++] = v;
  return at;
}

/**
 * A copy of `service` whose named methods (streams of Chunk both ways) use serializeChunk and
 * deserializeChunk, on the server's side and on a client's made from it.
 */
export function withChunkCodec<S extends grpc.ServiceDefinition>(
  service: S,
  methods: (keyof S & string)[],
): S {
  const copy: Record<string, unknown> = { ...service };
  for (const name of methods) {
    const method = service[name];
    if (!method) throw new Error(`no method ${name} in the service definition`);
    copy[name] = {
      ...method,
      requestSerialize: serializeChunk,
      requestDeserialize: deserializeChunk,
      responseSerialize: serializeChunk,
      responseDeserialize: deserializeChunk,
    };
  }
  return copy as S;
}

import { loadPackage, protoFilesOf } from '@edgeplane/proto';
import { describe, expect, it } from 'vitest';
import { deserializeChunk, serializeChunk } from '../src/gateway/chunk-codec.js';

// protobufjs through the shared loader: what grpc-js would use without the hand-written codec
const reference = loadPackage(protoFilesOf('tunnel')).packageDefinition[
  'edgeplane.tunnel.v1.TunnelService'
] as unknown as {
  Stream: {
    requestSerialize(value: unknown): Buffer;
    requestDeserialize(bytes: Buffer): unknown;
  };
};
const { requestSerialize: theirSerialize, requestDeserialize: theirDeserialize } = reference.Stream;

describe('the gateway Chunk codec', () => {
  const chunks = [
    { data: Buffer.from('hello') },
    { data: Buffer.alloc(127, 1) },
    { data: Buffer.alloc(128, 2), fin: true },
    { data: Buffer.alloc(70_000, 7), fin: false },
    { data: Buffer.alloc(2 * 1024 * 1024 + 3, 9) },
    { data: Buffer.alloc(0), fin: true },
    {},
  ];

  const same = (a: { data: Buffer; fin: boolean }, b: { data: Buffer; fin: boolean }) =>
    a.fin === b.fin && Buffer.isBuffer(a.data) && a.data.equals(b.data);

  it('writes what protobufjs reads; the same bytes, but for fields set to their default (left out)', () => {
    for (const chunk of chunks) {
      const mine = serializeChunk(chunk);
      expect(same(theirDeserialize(mine) as never, deserializeChunk(theirSerialize(chunk)))).toBe(true);
      if (chunk.fin !== false && chunk.data?.length !== 0)
        expect(mine.equals(theirSerialize(chunk))).toBe(true);
    }
  });

  it('reads what protobufjs writes, into the shape the loader gives', () => {
    for (const chunk of chunks) {
      const bytes = theirSerialize(chunk);
      const theirs = theirDeserialize(bytes) as { data: Buffer; fin: boolean };
      expect(Object.keys(deserializeChunk(bytes)).sort()).toEqual(Object.keys(theirs).sort());
      expect(same(deserializeChunk(bytes), theirs)).toBe(true);
    }
  });

  it('forwards a decoded Chunk as the received message itself (no copy), and copies anything else', () => {
    for (const size of [1, 127, 128, 70_000, 2 * 1024 * 1024 + 3]) {
      const received = theirSerialize({ data: Buffer.alloc(size, 5) });
      const forwarded = serializeChunk({ data: deserializeChunk(received).data });
      expect(forwarded.equals(received)).toBe(true);
      expect(forwarded.buffer).toBe(received.buffer);
      expect(forwarded.byteOffset).toBe(received.byteOffset);
    }
    // the same data, but what precedes it is not its key and length (300 = 0xac 0x02): a fresh,
    // correct encoding; preceded by exactly its key and length: a view of those bytes
    const data = Buffer.alloc(300, 4);
    for (const prefix of [[], [0x0a], [0x12, 0xac, 0x02], [0x0a, 0xad, 0x02], [0x0a, 0xac, 0x02]]) {
      const backing = Buffer.alloc(prefix.length + data.length); // not from the shared pool
      backing.set(prefix);
      data.copy(backing, prefix.length);
      const view = backing.subarray(prefix.length);
      const mine = serializeChunk({ data: view });
      expect(mine.equals(theirSerialize({ data }))).toBe(true);
      expect(mine.buffer === backing.buffer).toBe(prefix.join() === '10,172,2');
    }
    // with fin the message is not the data's own: encoded anew
    const withFin = theirSerialize({ data: Buffer.from('abc'), fin: true });
    const again = serializeChunk({ data: deserializeChunk(withFin).data, fin: true });
    expect(again.equals(withFin)).toBe(true);
  });

  it('skips fields it does not know, and refuses truncated input', () => {
    const known = serializeChunk({ data: Buffer.from('abc'), fin: true });
    const unknown = Buffer.from([
      (14 << 3) | 2,
      3,
      1,
      2,
      3,
      (15 << 3) | 0,
      0x80,
      0x01,
      (9 << 3) | 5,
      1,
      2,
      3,
      4,
    ]);
    expect(deserializeChunk(Buffer.concat([unknown, known]))).toEqual({
      data: Buffer.from('abc'),
      fin: true,
    });
    expect(() => deserializeChunk(known.subarray(0, 3))).toThrow(/truncated/);
    expect(() => deserializeChunk(Buffer.from([0x0a, 0x80]))).toThrow(/truncated/);
  });
});

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

import { EventEmitter } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ChunkDuplex, bridge } from '../src/tunnel/chunk-duplex.js';
import { DATA_PARTS, encodeChunk, frameChunk } from '../src/tunnel/codec.js';
import { Deframer } from '../src/tunnel/grpc-h2.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const root = new protobuf.Root();
root.loadSync(path.join(REPO, 'proto/edgeplane/tunnel/v1/tunnel.proto'), { keepCase: false });
const Chunk = root.lookupType('edgeplane.tunnel.v1.Chunk');

const framed = (payload: Buffer) => {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(payload.length, 1);
  return Buffer.concat([prefix, payload]);
};

/** Every message the Deframer yields while `wire` arrives cut into pieces of `size` bytes. */
function deframe(wire: Buffer, size: number, deframer = new Deframer()): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < wire.length; at += size) {
    deframer.push(wire.subarray(at, at + size));
    for (let m = deframer.next(); m; m = deframer.next()) out.push(Buffer.from(m));
  }
  return out;
}

describe('gRPC message framing of the agent', () => {
  it('frameChunk is the 5-byte prefix and exactly what encodeChunk writes (and protobufjs reads)', () => {
    for (const chunk of [
      { data: Buffer.from('hello') },
      { data: Buffer.alloc(127, 1) },
      { data: Buffer.alloc(128, 2), fin: true },
      { data: Buffer.alloc(70_000, 7), fin: false },
      { data: Buffer.alloc(3 * 1024 * 1024, 9) },
      { data: Buffer.alloc(0), fin: true },
      {},
    ]) {
      const frame = frameChunk(chunk);
      expect(frame[0]).toBe(0);
      expect(frame.readUInt32BE(1)).toBe(frame.length - 5);
      expect(frame.subarray(5).equals(encodeChunk(chunk))).toBe(true);
      const decoded = Chunk.toObject(Chunk.decode(frame.subarray(5)), { defaults: true });
      expect(decoded.fin).toBe(chunk.fin ?? false);
      expect(Buffer.from(decoded.data as Uint8Array).equals(chunk.data ?? Buffer.alloc(0))).toBe(true);
    }
  });

  it('splits messages however the bytes arrive: one read, many reads, several messages per read', () => {
    const messages = [
      Buffer.from('a'),
      Buffer.alloc(0),
      Buffer.alloc(70_000, 3),
      Buffer.from('the last one'),
      Buffer.alloc(16_384, 4),
    ];
    const wire = Buffer.concat(messages.map(framed));
    // byte-sized pieces on a smaller stream (a 107 KB one takes seconds on a loaded machine)
    const small = [messages[0]!, messages[1]!, Buffer.alloc(3000, 6), messages[3]!];
    const smallWire = Buffer.concat(small.map(framed));
    const cases: [Buffer, Buffer[], number[]][] = [
      [smallWire, small, [1, 2, 4, 5, 6, 7]],
      [wire, messages, [1000, 16_384, 16_389, 65_536, wire.length]],
    ];
    for (const [bytes, expected, sizes] of cases)
      for (const size of sizes) {
        const got = deframe(bytes, size);
        expect(got.length, `pieces of ${size} bytes`).toBe(expected.length);
        got.forEach((m, i) =>
          expect(m.equals(expected[i]!), `message ${i}, pieces of ${size} bytes`).toBe(true),
        );
      }
  });

  it('hands out a message that arrived in one read without copying it', () => {
    const wire = framed(Buffer.alloc(1000, 5));
    const deframer = new Deframer();
    deframer.push(wire);
    const message = deframer.next()!;
    expect(message.buffer).toBe(wire.buffer);
    expect(deframer.next()).toBeUndefined();
  });

  it('refuses compressed and oversized messages', () => {
    const compressed = framed(Buffer.from('x'));
    compressed[0] = 1;
    const a = new Deframer();
    a.push(compressed);
    expect(() => a.next()).toThrow(/compressed/);
    const b = new Deframer(100);
    b.push(framed(Buffer.alloc(101)));
    expect(() => b.next()).toThrow(/101 bytes is too large/);
  });

  it('frameChunk writes data given in parts as one message', () => {
    const parts = [Buffer.from('ab'), Buffer.alloc(200, 3), Buffer.from('z')];
    const frame = frameChunk({ data: Buffer.alloc(0), [DATA_PARTS]: parts });
    expect(frame.equals(frameChunk({ data: Buffer.concat(parts) }))).toBe(true);
  });

  it('a socket bridged into a sub-stream sends the reads of one event-loop turn as one Chunk, bytes in order', async () => {
    // a real TCP connection; the sub-stream's call records the gRPC frames it is given
    const frames: Buffer[] = [];
    const call = Object.assign(new EventEmitter(), {
      write: (message: never) => frames.push(frameChunk(message)) > 0,
      pause: () => undefined,
      resume: () => undefined,
      end: () => undefined,
      cancel: () => undefined,
    });
    const sent = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < sent.length; i += 4) sent.writeUInt32BE(i, i);
    const server = net.createServer((s) => s.end(sent));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    bridge(socket, new ChunkDuplex(call as never));
    await new Promise((r) => socket.once('end', r));
    await new Promise((r) => setImmediate(r));
    server.close();
    const received = Buffer.concat(
      frames.map((f) => Buffer.from(Chunk.decode(f.subarray(5)).toJSON().data ?? '', 'base64')),
    );
    expect(received.equals(sent)).toBe(true);
    // one Chunk per 64 KiB socket read would be at least 128
    expect(frames.length).toBeLessThan(96);
    expect(Math.max(...frames.map((f) => f.length))).toBeLessThanOrEqual(1024 * 1024 + 10);
  });
});

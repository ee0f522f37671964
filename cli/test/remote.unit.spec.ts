import { PassThrough } from 'node:stream';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { RelayCall } from '../src/client.js';
import { bridge, shellQuote } from '../src/commands/remote.js';

describe('node exec: the command reaches the remote shell as given', () => {
  it('quotes what the remote shell would split or expand', () => {
    expect(['sh', '-c', 'exit 7'].map(shellQuote).join(' ')).toBe("sh -c 'exit 7'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('/var/lib/edgeplane/agent.log')).toBe('/var/lib/edgeplane/agent.log');
    expect(shellQuote('$HOME')).toBe("'$HOME'");
  });
});

/** A relay call stand-in: what is written is recorded; the test plays the node's side. */
function fakeCall() {
  const call = Object.assign(new EventEmitter(), {
    written: [] as Buffer[],
    ended: false,
    write(chunk: { data: Buffer }) {
      call.written.push(chunk.data);
      return true;
    },
    end() {
      call.ended = true;
    },
    pause() {},
    resume() {},
    cancel() {},
  });
  return call;
}

describe('node relay: bytes both ways, half-close both ways', () => {
  it('copies input to the call and the call to output; settles when both sides ended', async () => {
    const call = fakeCall();
    const input = new PassThrough();
    const output = new PassThrough();
    const received: Buffer[] = [];
    output.on('data', (d: Buffer) => received.push(d));
    const done = bridge(call as unknown as RelayCall, input, output);
    input.end('ping');
    await new Promise((r) => setImmediate(r));
    expect(Buffer.concat(call.written).toString()).toBe('ping');
    expect(call.ended).toBe(true);
    call.emit('data', { data: Buffer.from('pong'), fin: false });
    call.emit('data', { data: Buffer.alloc(0), fin: true });
    await done;
    expect(Buffer.concat(received).toString()).toBe('pong');
  });

  it('a failed call rejects with its status', async () => {
    const call = fakeCall();
    const done = bridge(call as unknown as RelayCall, new PassThrough(), new PassThrough());
    call.emit('error', Object.assign(new Error('x'), { code: 9, details: 'remote login is off' }));
    await expect(done).rejects.toMatchObject({ details: 'remote login is off' });
  });
});

import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  checkPodRequest,
  decodePodRequest,
  encodePodRequest,
  EXEC_CHANNEL,
  execFrame,
  ExecFrameReader,
  fromPodStreamMessage,
  podRequestProblems,
  PodStreamRequestError,
  toPodStreamMessage,
} from '@edgeplane/k8s/pod-stream';
import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../src/agent/pod-streams.js';
import { readContainerLogs } from '../src/runtime/logs.js';

const fields = (kind: 'logs' | 'exec', r: unknown) => podRequestProblems(kind, r).map((p) => p.field);

describe('pod logs/exec request (checked by CLI, kube API, gateway and agent)', () => {
  it('accepts a plain logs and exec request', () => {
    expect(podRequestProblems('logs', { namespace: 'default', name: 'hello-beijing-0' })).toEqual([]);
    expect(
      podRequestProblems('logs', {
        namespace: 'default',
        name: 'a.b-c',
        container: 'web',
        follow: true,
        tailLines: 0,
        timestamps: true,
        previous: false,
        limitBytes: 10,
        uid: 'abc-123',
      }),
    ).toEqual([]);
    expect(
      podRequestProblems('exec', { namespace: 'x', name: 'y', command: ['cat', '/etc/hostname'] }),
    ).toEqual([]);
  });

  it('names every bad field: names by Kubernetes syntax, numbers in range, unknown and misplaced keys', () => {
    expect(fields('logs', { namespace: 'Bad_NS', name: '', container: 'UPPER' })).toEqual([
      'namespace',
      'name',
      'container',
    ]);
    expect(fields('logs', { namespace: 'd', name: 'p', tailLines: -1, limitBytes: 0 })).toEqual([
      'tailLines',
      'limitBytes',
    ]);
    expect(fields('logs', { namespace: 'd', name: 'p', follow: 'yes', uid: 'a/b' })).toEqual([
      'uid',
      'follow',
    ]);
    expect(fields('logs', { namespace: 'd', name: 'p', command: ['ls'], shell: true })).toEqual([
      'shell',
      'command',
    ]);
    expect(fields('exec', { namespace: 'd', name: 'p', follow: true, command: ['ls'] })).toEqual(['follow']);
    expect(fields('logs', 'not an object')).toEqual(['request']);
    expect(fields('logs', null)).toEqual(['request']);
  });

  it('bounds exec: argv required, at most 64 arguments and 16 KiB, no NUL, timeout 1..600 s', () => {
    const base = { namespace: 'd', name: 'p' };
    expect(fields('exec', base)).toEqual(['command']);
    expect(fields('exec', { ...base, command: [] })).toEqual(['command']);
    expect(fields('exec', { ...base, command: [''] })).toEqual(['command[0]']);
    expect(fields('exec', { ...base, command: Array(65).fill('x') })).toEqual(['command']);
    expect(
      podRequestProblems('exec', { ...base, command: ['sh', 'x'.repeat(16 * 1024)] })[0]?.description,
    ).toMatch(/at most 16384 bytes/);
    expect(fields('exec', { ...base, command: ['a\0b', 5] })).toEqual(['command[0]', 'command[1]']);
    expect(fields('exec', { ...base, command: ['ls'], timeoutSeconds: 601 })).toEqual(['timeoutSeconds']);
    expect(fields('exec', { ...base, command: ['ls'], timeoutSeconds: 1.5 })).toEqual(['timeoutSeconds']);
    expect(() => checkPodRequest('exec', base)).toThrow(PodStreamRequestError);
  });

  it('travels as ASCII metadata JSON and as the tunnel message, unchanged', () => {
    const r = {
      namespace: 'default',
      name: 'p',
      command: ['sh', '-c', 'echo "héllo ✓"'],
      timeoutSeconds: 5,
    };
    const text = encodePodRequest(r);
    expect(/^[\x20-\x7e]+$/.test(text)).toBe(true);
    expect(decodePodRequest('exec', text)).toEqual(r);
    expect(fromPodStreamMessage(toPodStreamMessage(r))).toEqual(r);
    const logs = { namespace: 'default', name: 'p', tailLines: 0, limitBytes: 7, follow: true };
    expect(fromPodStreamMessage({ ...toPodStreamMessage(logs), limitBytes: '7' })).toEqual(logs);
    // absent tail is -1 on the wire (0 lines is a real request)
    expect(toPodStreamMessage({ namespace: 'd', name: 'p' }).tailLines).toBe(-1);
    expect(() => decodePodRequest('logs', undefined)).toThrow(/x-edgeplane-pod-request: is required/);
    expect(() => decodePodRequest('logs', '{')).toThrow(/must be JSON/);
    expect(() => decodePodRequest('logs', `"${'x'.repeat(30_000)}"`)).toThrow(/at most 24576 bytes/);
  });
});

describe("exec's answer framing", () => {
  it('reads frames across any chunking and keeps an unfinished one for later', () => {
    const bytes = Buffer.concat([
      execFrame(EXEC_CHANNEL.stdout, 'hello\n'),
      execFrame(EXEC_CHANNEL.stderr, Buffer.alloc(70_000, 1)),
      execFrame(EXEC_CHANNEL.status, JSON.stringify({ exitCode: 3 })),
    ]);
    for (const step of [997, 4096, bytes.length]) {
      const reader = new ExecFrameReader();
      const got: { channel: number; payload: Buffer }[] = [];
      for (let i = 0; i < bytes.length; i += step) got.push(...reader.push(bytes.subarray(i, i + step)));
      expect(got.map((f) => f.channel)).toEqual([1, 2, 3]);
      expect(got[0]!.payload.toString()).toBe('hello\n');
      expect(got[1]!.payload.length).toBe(70_000);
      expect(JSON.parse(got[2]!.payload.toString())).toEqual({ exitCode: 3 });
      expect(reader.pending).toBe(0);
    }
    // byte by byte
    const small = Buffer.concat([execFrame(1, 'ab'), execFrame(3, '{"exitCode":0}')]);
    const byByte = new ExecFrameReader();
    const seen = [...small].flatMap((b) => byByte.push(Buffer.from([b])));
    expect(seen.map((f) => [f.channel, f.payload.toString()])).toEqual([
      [1, 'ab'],
      [3, '{"exitCode":0}'],
    ]);
    const partial = new ExecFrameReader();
    expect(partial.push(bytes.subarray(0, 8))).toEqual([]);
    expect(partial.pending).toBe(8);
  });

  it('refuses a frame announced over the limit', () => {
    const head = Buffer.from([1, 0xff, 0xff, 0xff, 0xff]);
    expect(() => new ExecFrameReader(1024).push(head)).toThrow(/over the limit/);
  });
});

describe('container log as kubectl shows it', () => {
  it('strips the CRI prefix (joining partial lines), keeps the time with timestamps, and tails', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pod-logs-'));
    mkdirSync(path.join(dir, 'web'));
    writeFileSync(
      path.join(dir, 'web', '0.log'),
      [
        '2026-11-28T17:00:00.000000001Z stdout F GET / 200',
        '2026-11-28T17:00:01.000000002Z stderr P par',
        '2026-11-28T17:00:01.000000003Z stderr F tial line',
        '2026-11-28T17:00:02.000000004Z stdout F GET /healthz 200',
        '',
      ].join('\n'),
    );
    const lines = [];
    for await (const l of readContainerLogs(path.join(dir, 'web'))) lines.push(l);
    expect(lines.map((l) => formatLogLine(l, false)).join('')).toBe(
      'GET / 200\npartial line\nGET /healthz 200\n',
    );
    expect(formatLogLine(lines[1]!, true)).toBe('2026-11-28T17:00:01.000000003Z partial line\n');
    const tail = [];
    for await (const l of readContainerLogs(path.join(dir, 'web'), { tail: 1 })) tail.push(l.line);
    expect(tail).toEqual(['GET /healthz 200']);
    const none = [];
    for await (const l of readContainerLogs(path.join(dir, 'web'), { tail: 0 })) none.push(l.line);
    expect(none).toEqual([]);
  });
});

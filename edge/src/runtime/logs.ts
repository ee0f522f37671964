import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogLine, LogOptions } from './types.js';

/**
 * Container logs in the CRI format (what containerd writes for kubelet, and what the process
 * driver writes too, so one reader serves both): one file per attempt, `<dir>/<attempt>.log`,
 * lines `<RFC 3339 time> <stdout|stderr> <F|P> <text>` — P marks a partial line whose rest follows.
 */

/** At most this much of a file is read for a tail (the rest of a huge log is skipped). */
const TAIL_WINDOW = 4 * 1024 * 1024;
const FOLLOW_POLL_MS = 250;

export class CriLogWriter {
  private readonly out: WriteStream;
  private readonly pending = { stdout: '', stderr: '' };

  constructor(file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.out = createWriteStream(file, { flags: 'a' });
    this.out.on('error', () => undefined);
  }

  write(stream: 'stdout' | 'stderr', chunk: Buffer | string): void {
    const text = this.pending[stream] + chunk.toString();
    const lines = text.split('\n');
    this.pending[stream] = lines.pop() ?? '';
    const now = new Date().toISOString();
    for (const line of lines) this.out.write(`${now} ${stream} F ${line}\n`);
    // a line that never ends is written in parts, as containerd does past its buffer
    if (this.pending[stream].length > 16 * 1024) {
      this.out.write(`${now} ${stream} P ${this.pending[stream]}\n`);
      this.pending[stream] = '';
    }
  }

  close(): Promise<void> {
    const now = new Date().toISOString();
    for (const stream of ['stdout', 'stderr'] as const)
      if (this.pending[stream]) this.out.write(`${now} ${stream} F ${this.pending[stream]}\n`);
    return new Promise((resolve) => this.out.end(() => resolve()));
  }
}

/** Parses CRI log text into lines (joining partial ones); returns the unparsed rest. */
export function parseCriLog(
  text: string,
  partial: { stdout: string; stderr: string },
): { lines: LogLine[]; rest: string } {
  const lines: LogLine[] = [];
  const parts = text.split('\n');
  const rest = parts.pop() ?? '';
  for (const raw of parts) {
    const m = /^(\S+) (stdout|stderr) ([FP])(?: (.*))?$/.exec(raw);
    if (!m) continue;
    const stream = m[2] as 'stdout' | 'stderr';
    if (m[3] === 'P') {
      partial[stream] += m[4] ?? '';
      continue;
    }
    lines.push({ time: m[1]!, stream, line: partial[stream] + (m[4] ?? '') });
    partial[stream] = '';
  }
  return { lines, rest };
}

/** The attempt files of one container's log directory, oldest first. */
async function attempts(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .map((n) => /^(\d+)\.log$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((m) => path.join(dir, m[0]));
}

async function readFrom(file: string, from: number): Promise<{ text: string; end: number }> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return { text: '', end: from };
  try {
    const { size } = await handle.stat();
    if (size <= from) return { text: '', end: size < from ? 0 : from };
    const length = Math.min(size - from, TAIL_WINDOW);
    const start = size - length;
    const buf = Buffer.alloc(length);
    await handle.read(buf, 0, length, start);
    let text = buf.toString('utf8');
    // started mid-file (window): drop the first, cut line
    if (start > from) text = text.slice(text.indexOf('\n') + 1);
    return { text, end: size };
  } finally {
    await handle.close();
  }
}

/** The lines of a container's log: the last `tail` of the current (or previous) attempt, then, with `follow`, new ones. */
export async function* readContainerLogs(dir: string, options: LogOptions = {}): AsyncGenerator<LogLine> {
  const files = await attempts(dir);
  let file = options.previous ? files.at(-2) : files.at(-1);
  if (!file) return;
  const partial = { stdout: '', stderr: '' };
  const first = await readFrom(file, 0);
  let { lines, rest } = parseCriLog(first.text, partial);
  let pos = first.end - Buffer.byteLength(rest);
  if (options.tail !== undefined) lines = lines.slice(Math.max(0, lines.length - options.tail));
  yield* lines;
  if (!options.follow || options.previous) return;
  while (!options.signal?.aborted) {
    const next = await readFrom(file, pos);
    ({ lines, rest } = parseCriLog(next.text, partial));
    pos = next.end - Buffer.byteLength(rest);
    yield* lines;
    if (lines.length === 0) {
      // the container restarted: go on with the next attempt's file once this one is read
      const newest = (await attempts(dir)).at(-1);
      if (newest && newest !== file && (await stat(file).catch(() => undefined))?.size === pos) {
        file = newest;
        pos = 0;
        continue;
      }
      await sleep(FOLLOW_POLL_MS, undefined, { signal: options.signal }).catch(() => undefined);
    }
  }
}

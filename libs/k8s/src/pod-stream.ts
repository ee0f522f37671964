import { dns1123LabelProblems, dns1123SubdomainProblems } from './syntax.js';

/**
 * A pod's logs and exec through the tunnel (RemoteAccessService.PodLogs / PodExec → the node's
 * agent): the request every hop checks (CLI and kube API before sending, the gateway before a byte
 * reaches the node, the agent again before it serves) and the framing of exec's answer. Imported
 * as `@edgeplane/k8s/pod-stream` (only the name syntax comes with it), so the agent bundle stays small.
 */

/** Operator → gateway: the request as JSON in this metadata key (ASCII only; see encodePodRequest). */
export const POD_REQUEST_KEY = 'x-edgeplane-pod-request';

export type PodStreamKind = 'logs' | 'exec';

export interface PodStreamRequest {
  namespace: string;
  name: string;
  /** must be the pod's uid when given */
  uid?: string;
  /** may be left out when the pod has one container */
  container?: string;
  // logs
  follow?: boolean;
  /** the last N lines (absent: all) */
  tailLines?: number;
  timestamps?: boolean;
  previous?: boolean;
  /** stop after this many bytes */
  limitBytes?: number;
  // exec
  command?: string[];
  /** default 60 (with stdin: none unless given), at most 600 */
  timeoutSeconds?: number;
  /** the caller's bytes are the command's stdin (no terminal) */
  stdin?: boolean;
}

export const POD_STREAM_LIMITS = {
  /** the JSON of a request, as it travels in metadata */
  requestBytes: 24 * 1024,
  args: 64,
  commandBytes: 16 * 1024,
  tailLines: 1_000_000,
  limitBytes: 1024 * 1024 * 1024,
  timeoutSeconds: 600,
  defaultTimeoutSeconds: 60,
  /** exec output kept per stream (containerd's ExecSync caps at 16 MiB too) */
  execOutputBytes: 16 * 1024 * 1024,
} as const;

export interface PodStreamViolation {
  field: string;
  description: string;
}

export class PodStreamRequestError extends Error {
  constructor(readonly violations: PodStreamViolation[]) {
    super(violations.map((v) => `${v.field}: ${v.description}`).join('; '));
  }
}

const KEYS = new Set([
  'namespace',
  'name',
  'uid',
  'container',
  'follow',
  'tailLines',
  'timestamps',
  'previous',
  'limitBytes',
  'command',
  'timeoutSeconds',
  'stdin',
]);
const LOG_ONLY = ['follow', 'tailLines', 'timestamps', 'previous', 'limitBytes'] as const;
const EXEC_ONLY = ['command', 'timeoutSeconds', 'stdin'] as const;

const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/**
 * Every problem of `input` as a request of `kind`, each naming its field. Nothing unbounded gets
 * through: names by Kubernetes' syntax, at most 64 arguments of 16 KiB in all, numbers in range,
 * unknown keys refused by name, log fields refused on exec and the other way round.
 */
export function podRequestProblems(kind: PodStreamKind, input: unknown): PodStreamViolation[] {
  const out: PodStreamViolation[] = [];
  const add = (field: string, description: string) => out.push({ field, description });
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    add('request', 'must be a JSON object');
    return out;
  }
  const r = input as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!KEYS.has(k)) add(k.slice(0, 64), 'is not a field of a pod request');
  for (const k of kind === 'logs' ? EXEC_ONLY : LOG_ONLY)
    if (r[k] !== undefined) add(k, `is not a field of a pod ${kind} request`);
  const name = (field: string, v: unknown, problems: (s: string) => string[], required: boolean) => {
    if (v === undefined || v === '') {
      if (required) add(field, 'is required');
      return;
    }
    if (typeof v !== 'string') return add(field, 'must be a string');
    for (const p of problems(v)) add(field, p);
  };
  name('namespace', r.namespace, dns1123LabelProblems, true);
  name('name', r.name, dns1123SubdomainProblems, true);
  name('container', r.container, dns1123LabelProblems, false);
  if (r.uid !== undefined && (typeof r.uid !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(r.uid)))
    add('uid', 'must be 1–64 letters, digits or dashes');
  for (const k of ['follow', 'timestamps', 'previous', 'stdin'] as const)
    if (r[k] !== undefined && typeof r[k] !== 'boolean') add(k, 'must be true or false');
  if (r.tailLines !== undefined && !isInt(r.tailLines, 0, POD_STREAM_LIMITS.tailLines))
    add('tailLines', `must be a whole number from 0 to ${POD_STREAM_LIMITS.tailLines}`);
  if (r.limitBytes !== undefined && !isInt(r.limitBytes, 1, POD_STREAM_LIMITS.limitBytes))
    add('limitBytes', `must be a whole number from 1 to ${POD_STREAM_LIMITS.limitBytes}`);
  if (r.timeoutSeconds !== undefined && !isInt(r.timeoutSeconds, 1, POD_STREAM_LIMITS.timeoutSeconds))
    add('timeoutSeconds', `must be a whole number of seconds from 1 to ${POD_STREAM_LIMITS.timeoutSeconds}`);
  if (kind === 'exec') {
    const c = r.command;
    if (!Array.isArray(c) || c.length === 0)
      add('command', 'is required: the argv to run, at least one word');
    else if (c.length > POD_STREAM_LIMITS.args)
      add('command', `must have at most ${POD_STREAM_LIMITS.args} arguments, got ${c.length}`);
    else {
      let bytes = 0;
      c.forEach((a, i) => {
        if (typeof a !== 'string') return add(`command[${i}]`, 'must be a string');
        if (a.includes('\0')) add(`command[${i}]`, 'must not contain a NUL byte');
        bytes += Buffer.byteLength(a);
      });
      if (typeof c[0] === 'string' && c[0] === '') add('command[0]', 'must not be empty');
      if (bytes > POD_STREAM_LIMITS.commandBytes)
        add('command', `must be at most ${POD_STREAM_LIMITS.commandBytes} bytes in all, got ${bytes}`);
    }
  }
  return out;
}

/** The request, checked; throws PodStreamRequestError naming every bad field. */
export function checkPodRequest(kind: PodStreamKind, input: unknown): PodStreamRequest {
  const problems = podRequestProblems(kind, input);
  if (problems.length > 0) throw new PodStreamRequestError(problems);
  return input as PodStreamRequest;
}

/** The request as metadata JSON: ASCII only (gRPC metadata values are printable ASCII). */
export function encodePodRequest(request: PodStreamRequest): string {
  return JSON.stringify(request).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Metadata JSON → a checked request. */
export function decodePodRequest(kind: PodStreamKind, text: string | undefined): PodStreamRequest {
  if (!text) throw new PodStreamRequestError([{ field: POD_REQUEST_KEY, description: 'is required' }]);
  if (text.length > POD_STREAM_LIMITS.requestBytes)
    throw new PodStreamRequestError([
      {
        field: POD_REQUEST_KEY,
        description: `must be at most ${POD_STREAM_LIMITS.requestBytes} bytes, got ${text.length}`,
      },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PodStreamRequestError([{ field: POD_REQUEST_KEY, description: 'must be JSON' }]);
  }
  return checkPodRequest(kind, parsed);
}

/** The tunnel's PodStreamRequest message (proto3: absent is '' / 0 / false; tailLines -1 = all). */
export interface PodStreamMessage {
  namespace: string;
  name: string;
  uid: string;
  container: string;
  follow: boolean;
  tailLines: number;
  timestamps: boolean;
  previous: boolean;
  limitBytes: number | string;
  command: string[];
  timeoutSeconds: number;
  stdin: boolean;
}

export function toPodStreamMessage(r: PodStreamRequest): PodStreamMessage {
  return {
    namespace: r.namespace,
    name: r.name,
    uid: r.uid ?? '',
    container: r.container ?? '',
    follow: r.follow ?? false,
    tailLines: r.tailLines ?? -1,
    timestamps: r.timestamps ?? false,
    previous: r.previous ?? false,
    limitBytes: r.limitBytes ?? 0,
    command: r.command ?? [],
    timeoutSeconds: r.timeoutSeconds ?? 0,
    stdin: r.stdin ?? false,
  };
}

export function fromPodStreamMessage(m: PodStreamMessage): PodStreamRequest {
  const limitBytes = Number(m.limitBytes);
  return {
    namespace: m.namespace,
    name: m.name,
    ...(m.uid ? { uid: m.uid } : {}),
    ...(m.container ? { container: m.container } : {}),
    ...(m.follow ? { follow: true } : {}),
    ...(m.tailLines >= 0 ? { tailLines: m.tailLines } : {}),
    ...(m.timestamps ? { timestamps: true } : {}),
    ...(m.previous ? { previous: true } : {}),
    ...(limitBytes > 0 ? { limitBytes } : {}),
    ...(m.command.length > 0 ? { command: [...m.command] } : {}),
    ...(m.timeoutSeconds > 0 ? { timeoutSeconds: m.timeoutSeconds } : {}),
    ...(m.stdin ? { stdin: true } : {}),
  };
}

// ───────────────────────────── exec's answer ─────────────────────────────

export const EXEC_CHANNEL = { stdout: 1, stderr: 2, status: 3 } as const;
export type ExecEnd = { exitCode: number } | { error: string };

/** One frame of exec's answer: `[channel u8][length u32 BE][bytes]`. */
export function execFrame(channel: number, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const head = Buffer.alloc(5);
  head.writeUInt8(channel, 0);
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/** Reads exec's answer frames from a byte stream (any chunking); a frame over `maxFrame` is an error. */
export class ExecFrameReader {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly maxFrame = POD_STREAM_LIMITS.execOutputBytes + 1024) {}

  push(bytes: Buffer): { channel: number; payload: Buffer }[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, bytes]) : bytes;
    const out: { channel: number; payload: Buffer }[] = [];
    while (this.buf.length >= 5) {
      const length = this.buf.readUInt32BE(1);
      if (length > this.maxFrame) throw new Error(`exec frame of ${length} bytes is over the limit`);
      if (this.buf.length < 5 + length) break;
      out.push({ channel: this.buf.readUInt8(0), payload: this.buf.subarray(5, 5 + length) });
      this.buf = this.buf.subarray(5 + length);
    }
    return out;
  }

  /** bytes of an unfinished frame left at the end */
  get pending(): number {
    return this.buf.length;
  }
}

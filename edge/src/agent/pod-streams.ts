import { once } from 'node:events';
import type { LogLine, PodSpec, RuntimeDriver } from '../runtime/types.js';
import { ChunkDuplex } from '../tunnel/chunk-duplex.js';
import {
  checkPodRequest,
  EXEC_CHANNEL,
  execFrame,
  fromPodStreamMessage,
  POD_STREAM_LIMITS,
  type PodStreamKind,
  type PodStreamRequest,
} from '@edgeplane/k8s/pod-stream';
import { STREAM_ID_KEY, type Tunnel, type TunnelClient } from '../tunnel/protocol.js';
import type { AgentLogger } from './logger.js';

export type PodStreamFailure = 'NOT_FOUND' | 'FAILED_PRECONDITION' | 'INVALID_ARGUMENT';

export interface PodStreamPolicy {
  nodeName: string;
  /** one of the pods this node is told to run (cloud or cache), by namespace and name */
  find(namespace: string, name: string): PodSpec | undefined;
  /** the runtime driver running them (undefined: none configured on this node) */
  driver(): Promise<RuntimeDriver | undefined>;
}

/**
 * The node's end of `pod-logs` / `pod-exec` sub-streams (RemoteAccessService.PodLogs / PodExec):
 * the request is checked again here, and only a pod assigned to THIS node is served — whatever
 * the gateway says, a node never hands out another node's pods (it cannot see them anyway).
 * Refusals go back as StreamFailed with a status (NOT_FOUND, INVALID_ARGUMENT,
 * FAILED_PRECONDITION); once served, logs are the container's lines (with their time when asked),
 * exec is framed stdout / stderr and the end (pod-stream.ts). Not gated by remote login: who may
 * read logs or exec is the caller's role, decided in the cloud (as kubectl's RBAC does).
 */
export async function servePodStream(input: {
  open: Tunnel.OpenStream__Output;
  client: TunnelClient;
  pods: PodStreamPolicy;
  fail(streamId: string, code: PodStreamFailure, message: string): void;
  logger: AgentLogger;
}): Promise<void> {
  const { open, client, pods, fail, logger } = input;
  const kind: PodStreamKind = open.kind === 'STREAM_KIND_POD_LOGS' ? 'logs' : 'exec';
  let req: PodStreamRequest;
  try {
    if (!open.pod) throw new Error('pod: the request is missing');
    req = checkPodRequest(kind, fromPodStreamMessage(open.pod));
  } catch (error) {
    return fail(open.streamId, 'INVALID_ARGUMENT', (error as Error).message);
  }
  const pod = pods.find(req.namespace, req.name);
  if (!pod || (req.uid && req.uid !== pod.uid))
    return fail(
      open.streamId,
      'NOT_FOUND',
      `pod ${req.namespace}/${req.name}${req.uid ? ` (uid ${req.uid})` : ''} is not assigned to node ${pods.nodeName}`,
    );
  const names = pod.containers.map((c) => c.name);
  let container = req.container;
  if (!container) {
    if (names.length !== 1)
      return fail(
        open.streamId,
        'INVALID_ARGUMENT',
        `container: pod ${pod.name} has ${names.length} containers; name one of ${names.join(', ')}`,
      );
    container = names[0]!;
  }
  if (!names.includes(container))
    return fail(
      open.streamId,
      'NOT_FOUND',
      `container "${container}" is not in pod ${pod.name} (it has ${names.join(', ')})`,
    );
  const driver = await pods.driver();
  if (!driver)
    return fail(open.streamId, 'FAILED_PRECONDITION', `node ${pods.nodeName} runs no container runtime`);
  if (kind === 'exec') {
    const status = await driver.status(pod.uid).catch(() => undefined);
    const c = status?.containers.find((x) => x.name === container);
    if (c?.state !== 'running')
      return fail(
        open.streamId,
        'FAILED_PRECONDITION',
        `container ${container} of pod ${pod.name} is not running${c?.reason ? ` (${c.reason})` : ''}`,
      );
  }
  const stream = new ChunkDuplex(client.Stream({ [STREAM_ID_KEY]: open.streamId }));
  const aborted = new AbortController();
  stream.on('close', () => aborted.abort());
  stream.on('error', () => aborted.abort());
  // the caller's bytes: exec's stdin with `stdin`; else none expected, drained
  if (!(kind === 'exec' && req.stdin)) stream.resume();
  logger.info(
    { streamId: open.streamId, kind, pod: `${pod.namespace}/${pod.name}`, container, origin: open.origin },
    `pod ${kind} served`,
  );
  try {
    if (kind === 'logs') await sendLogs(stream, driver, pod.uid, container, req, aborted.signal);
    else if (req.stdin) await streamExec(stream, driver, pod.uid, container, req, aborted.signal);
    else await sendExec(stream, driver, pod.uid, container, req);
    stream.end();
  } catch (error) {
    logger.warn({ streamId: open.streamId, kind, err: (error as Error).message }, `pod ${kind} failed`);
    stream.destroy(error as Error);
  }
}

async function write(stream: ChunkDuplex, bytes: Buffer, signal?: AbortSignal): Promise<void> {
  if (stream.destroyed) throw new Error('the caller went away');
  if (!stream.write(bytes)) await once(stream, 'drain', signal ? { signal } : {});
}

/** One log line as kubectl shows it: the text, after its RFC 3339 time when `timestamps`. */
export function formatLogLine(line: LogLine, timestamps: boolean): string {
  return timestamps ? `${line.time} ${line.line}\n` : `${line.line}\n`;
}

async function sendLogs(
  stream: ChunkDuplex,
  driver: RuntimeDriver,
  uid: string,
  container: string,
  req: PodStreamRequest,
  signal: AbortSignal,
): Promise<void> {
  let left = req.limitBytes ?? Infinity;
  let batch: string[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const bytes = Buffer.from(batch.join(''));
    batch = [];
    batchBytes = 0;
    await write(stream, bytes, signal);
  };
  const lines = driver.logs(uid, container, {
    ...(req.tailLines !== undefined ? { tail: req.tailLines } : {}),
    ...(req.follow ? { follow: true } : {}),
    ...(req.previous ? { previous: true } : {}),
    signal,
  });
  let idle: NodeJS.Timeout | undefined;
  for await (const line of lines) {
    if (signal.aborted) return;
    let text = formatLogLine(line, req.timestamps === true);
    if (Buffer.byteLength(text) > left) text = Buffer.from(text).subarray(0, left).toString();
    left -= Buffer.byteLength(text);
    batch.push(text);
    batchBytes += text.length;
    // a batch per read of the log, sent at once while following (a line must not wait for the next)
    if (batchBytes >= 64 * 1024 || left <= 0) await flush();
    clearTimeout(idle);
    if (req.follow) idle = setTimeout(() => void flush().catch(() => undefined), 20);
    if (left <= 0) break;
  }
  clearTimeout(idle);
  await flush();
}

async function sendExec(
  stream: ChunkDuplex,
  driver: RuntimeDriver,
  uid: string,
  container: string,
  req: PodStreamRequest,
): Promise<void> {
  const timeoutMs = (req.timeoutSeconds ?? POD_STREAM_LIMITS.defaultTimeoutSeconds) * 1000;
  let end: Buffer;
  try {
    const r = await driver.exec(uid, container, req.command!, timeoutMs);
    if (r.stdout.length) await write(stream, execFrame(EXEC_CHANNEL.stdout, r.stdout));
    if (r.stderr.length) await write(stream, execFrame(EXEC_CHANNEL.stderr, r.stderr));
    end = execFrame(
      EXEC_CHANNEL.status,
      JSON.stringify(
        r.timedOut
          ? { error: `the command ran longer than ${timeoutMs / 1000} s and was killed` }
          : { exitCode: r.exitCode },
      ),
    );
  } catch (error) {
    end = execFrame(EXEC_CHANNEL.status, JSON.stringify({ error: (error as Error).message.slice(0, 4096) }));
  }
  await write(stream, end);
}

/**
 * exec with stdin: the caller's bytes go to the command as they come (its half-close is EOF),
 * stdout and stderr come back framed as they are written; the end when it exits. Killed when the
 * caller goes away, or at `timeoutSeconds` when given.
 */
async function streamExec(
  stream: ChunkDuplex,
  driver: RuntimeDriver,
  uid: string,
  container: string,
  req: PodStreamRequest,
  signal: AbortSignal,
): Promise<void> {
  let session;
  try {
    session = await driver.execStream(uid, container, req.command!);
  } catch (error) {
    stream.resume();
    return write(stream, execFrame(EXEC_CHANNEL.status, JSON.stringify({ error: (error as Error).message })));
  }
  const s = session;
  signal.addEventListener('abort', () => s.kill(), { once: true });
  let timedOut = false;
  const timer = req.timeoutSeconds
    ? setTimeout(() => {
        timedOut = true;
        s.kill();
      }, req.timeoutSeconds * 1000)
    : undefined;
  stream.pipe(s.stdin as NodeJS.WritableStream);
  const pump = (from: NodeJS.ReadableStream, channel: number) =>
    new Promise<void>((resolve) => {
      from.on('data', (d: Buffer) => {
        if (!stream.write(execFrame(channel, d))) {
          from.pause();
          stream.once('drain', () => from.resume());
        }
      });
      from.on('end', resolve);
      from.on('error', () => resolve());
    });
  const [code] = await Promise.all([
    s.exited,
    pump(s.stdout, EXEC_CHANNEL.stdout),
    pump(s.stderr, EXEC_CHANNEL.stderr),
  ]);
  clearTimeout(timer);
  stream.unpipe(s.stdin as NodeJS.WritableStream);
  stream.resume();
  await write(
    stream,
    execFrame(
      EXEC_CHANNEL.status,
      JSON.stringify(
        timedOut
          ? { error: `the command ran longer than ${req.timeoutSeconds} s and was killed` }
          : { exitCode: code },
      ),
    ),
  );
}

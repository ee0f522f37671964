import * as grpc from '@grpc/grpc-js';
import {
  checkPodRequest,
  EXEC_CHANNEL,
  ExecFrameReader,
  encodePodRequest,
  type ExecEnd,
  type PodStreamKind,
  type PodStreamRequest,
} from '@edgeplane/k8s/pod-stream';
import { Command, Option } from 'commander';
import { gridApi, remoteAccessApi, serverOf, type RelayCall } from '../client.js';

/**
 * `edgeplane pod logs NAME` and `edgeplane pod exec NAME -- CMD…`: a grid pod's container log
 * and a command in its container, through the tunnel to the node that runs it (the grid service
 * says which node; RemoteAccessService.PodLogs / PodExec on the tunnel service; the node's agent
 * serves only its own pods). Not gated by the cluster's remote-login switch (docs/tunnel.md).
 */

interface PodTarget {
  cluster: string;
  namespace: string;
  container?: string;
}

const clusterOption = () =>
  new Option('-c, --cluster <name|id>', 'cluster name or id').env('EDGEPLANE_CLUSTER').makeOptionMandatory();

/** Opens PodLogs / PodExec for a pod on `node`; the request is checked here first (the same checks as the gateway's). */
export function openPodStream(
  server: string | undefined,
  target: { cluster: string; node: string },
  kind: PodStreamKind,
  request: PodStreamRequest,
): { call: RelayCall; close(): void } {
  checkPodRequest(kind, request);
  const api = remoteAccessApi(server);
  return { call: api.pod(target.cluster, target.node, kind, encodePodRequest(request)), close: api.close };
}

/** The node a grid pod is placed on (grid service); an error saying why when it is Pending. */
async function nodeOf(cmd: Command, cluster: string, name: string): Promise<string> {
  const pod = await gridApi(serverOf(cmd)).getPod({ cluster, name });
  if (!pod.node)
    throw new Error(`pod ${name} is not on a node (${pod.phase}${pod.reason ? `: ${pod.reason}` : ''})`);
  return pod.node;
}

/** Copies the log to `out` until the node ends it (or, following, until Ctrl-C). */
export function receiveLogs(call: RelayCall, out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    call.on('data', (chunk: { data: Buffer; fin: boolean }) => {
      if (chunk.data.length > 0 && !out.write(chunk.data)) {
        call.pause();
        out.once('drain', () => call.resume());
      }
      if (chunk.fin) resolve();
    });
    call.on('end', () => resolve());
    call.on('error', (e: grpc.ServiceError) => (e.code === grpc.status.CANCELLED ? resolve() : reject(e)));
    call.end(); // nothing to send
  });
}

/** Exec's answer: stdout and stderr to theirs, resolves with the command's exit code (throws its error). */
export function receiveExec(
  call: RelayCall,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
  stdin?: NodeJS.ReadableStream,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const reader = new ExecFrameReader();
    let end: ExecEnd | undefined;
    const done = () => {
      if (!end) return reject(new Error('the node ended exec without an exit status'));
      if ('error' in end) return reject(new Error(end.error));
      resolve(end.exitCode);
    };
    call.on('data', (chunk: { data: Buffer; fin: boolean }) => {
      try {
        for (const f of reader.push(chunk.data)) {
          if (f.channel === EXEC_CHANNEL.stdout) stdout.write(f.payload);
          else if (f.channel === EXEC_CHANNEL.stderr) stderr.write(f.payload);
          else if (f.channel === EXEC_CHANNEL.status) end = JSON.parse(f.payload.toString()) as ExecEnd;
        }
      } catch (error) {
        call.cancel();
        reject(error as Error);
      }
    });
    call.on('end', done);
    call.on('error', (e: grpc.ServiceError) => reject(e));
    if (!stdin) return void call.end(); // no stdin (ExecSync)
    // -i: our stdin is the command's, its end the command's EOF
    stdin.on('data', (d: Buffer) => {
      if (!call.write({ data: d })) {
        stdin.pause();
        call.once('drain', () => stdin.resume());
      }
    });
    stdin.on('end', () => call.end());
    stdin.on('error', () => call.end());
  });
}

export function registerPodStreamCommands(pod: Command): void {
  const common = (c: Command) =>
    c
      .addOption(clusterOption())
      .option('-n, --namespace <ns>', "the pod's namespace", 'default')
      .option('--container <name>', 'the container (may be left out when the pod has one)');

  common(pod.command('logs <name>'))
    .description("a pod's container log, from the node that runs it (through the tunnel)")
    .option('-f, --follow', 'keep printing new lines (Ctrl-C stops)')
    .option('--tail <lines>', 'only the last N lines')
    .option('--timestamps', 'each line after its time (RFC 3339)')
    .option('-p, --previous', "the container's previous attempt (after a restart)")
    .option('--limit-bytes <n>', 'stop after this many bytes')
    .action(
      async (
        name: string,
        o: PodTarget & {
          follow?: boolean;
          tail?: string;
          timestamps?: boolean;
          previous?: boolean;
          limitBytes?: string;
        },
        cmd: Command,
      ) => {
        const int = (flag: string, v: string | undefined) => {
          if (v === undefined) return undefined;
          const n = Number(v);
          if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) throw new Error(`${flag} must be a whole number`);
          return n;
        };
        const tailLines = int('--tail', o.tail);
        const limitBytes = int('--limit-bytes', o.limitBytes);
        const request: PodStreamRequest = {
          namespace: o.namespace,
          name,
          ...(o.container ? { container: o.container } : {}),
          ...(o.follow ? { follow: true } : {}),
          ...(tailLines !== undefined ? { tailLines } : {}),
          ...(o.timestamps ? { timestamps: true } : {}),
          ...(o.previous ? { previous: true } : {}),
          ...(limitBytes !== undefined ? { limitBytes } : {}),
        };
        checkPodRequest('logs', request);
        const node = await nodeOf(cmd, o.cluster, name);
        const s = openPodStream(serverOf(cmd), { cluster: o.cluster, node }, 'logs', request);
        const stop = () => s.call.cancel();
        process.once('SIGINT', stop);
        try {
          await receiveLogs(s.call, process.stdout);
        } finally {
          process.off('SIGINT', stop);
          s.close();
        }
      },
    );

  common(pod.command('exec <name>'))
    .description("run a command in a pod's container and wait for it: edgeplane pod exec NAME -- CMD…")
    .argument('<command...>', 'the command and its arguments (after --)')
    .option('--timeout <seconds>', 'kill the command after this long (default 60, at most 600)')
    .option(
      '-i, --stdin',
      "pass this program's stdin to the command (no terminal; no timeout unless --timeout)",
    )
    .action(
      async (
        name: string,
        command: string[],
        o: PodTarget & { timeout?: string; stdin?: boolean },
        cmd: Command,
      ) => {
        const timeoutSeconds = o.timeout === undefined ? undefined : Number(o.timeout);
        const request: PodStreamRequest = {
          namespace: o.namespace,
          name,
          ...(o.container ? { container: o.container } : {}),
          command,
          ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
          ...(o.stdin ? { stdin: true } : {}),
        };
        checkPodRequest('exec', request);
        const node = await nodeOf(cmd, o.cluster, name);
        const s = openPodStream(serverOf(cmd), { cluster: o.cluster, node }, 'exec', request);
        try {
          process.exitCode = await receiveExec(
            s.call,
            process.stdout,
            process.stderr,
            o.stdin ? process.stdin : undefined,
          );
          if (o.stdin) process.stdin.destroy(); // stop reading (a terminal) once the command ended
        } finally {
          s.close();
        }
      },
    );
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { CriLogWriter, readContainerLogs } from '../logs.js';
import {
  containerSpecHash,
  DEFAULT_BACKOFF,
  podEnv,
  podPhase,
  restartDelayMs,
  shouldRestart,
  validatePodSpec,
  type BackoffOptions,
} from '../pod.js';
import { ProbeTracker, type ProbeTarget } from '../probes.js';
import {
  quietLogger,
  type ContainerSpec,
  type ContainerStatus,
  ExecUnavailable,
  type DriverLogger,
  type ExecResult,
  type ExecSession,
  type LogLine,
  type LogOptions,
  type PodRef,
  type PodSpec,
  type PodStatus,
  type RuntimeDriver,
} from '../types.js';

export interface ProcessDriverOptions {
  nodeName: string;
  /** pod logs and working directories: <root>/<namespace>_<name>_<uid>/ */
  root: string;
  backoff?: BackoffOptions;
  logger?: DriverLogger;
}

interface Attempt {
  n: number;
  id: string;
  child?: ChildProcess;
  startedAtMs: number;
  finishedAtMs?: number;
  exitCode?: number;
  reason?: string;
  log: CriLogWriter;
  exited: Promise<void>;
  livenessKilled: boolean;
}

interface Proc {
  spec: ContainerSpec;
  hash: string;
  attempt?: Attempt;
  /** why it cannot start (no command) */
  invalid?: string;
}

interface Pod {
  spec: PodSpec;
  dir: string;
  containers: Map<string, Proc>;
}

let ids = 0;
const EXEC_OUTPUT_LIMIT = 16 * 1024 * 1024;

/**
 * The `process` driver, for machines without containerd: each container's command (command +
 * args; the image is not used) runs as a local process in its own process group, with the pod's
 * environment, in the pod's directory, supervised as kubelet supervises containers — restarts per
 * restartPolicy after a doubling backoff, liveness kills, readiness — and its output written as
 * CRI log files (one per attempt), read by the same reader as the `cri` driver's. Pods share the
 * node's network: HTTP/TCP probes go to 127.0.0.1, the pod IP is 127.0.0.1. Its pods live as long
 * as the agent process: `close` stops them (a new agent starts them again from the desired state).
 */
export class ProcessDriver implements RuntimeDriver {
  readonly kind = 'process' as const;
  private readonly pods = new Map<string, Pod>();
  private readonly probes = new ProbeTracker();
  private readonly backoff: BackoffOptions;
  private readonly logger: DriverLogger;

  constructor(private readonly options: ProcessDriverOptions) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.logger = options.logger ?? quietLogger;
  }

  async listPods(): Promise<PodRef[]> {
    return [...this.pods.values()].map(({ spec }) => ({
      uid: spec.uid,
      name: spec.name,
      namespace: spec.namespace,
    }));
  }

  async ensurePod(spec: PodSpec): Promise<PodStatus> {
    validatePodSpec(spec);
    let pod = this.pods.get(spec.uid);
    if (!pod) {
      const dir = path.join(this.options.root, `${spec.namespace}_${spec.name}_${spec.uid}`);
      mkdirSync(dir, { recursive: true });
      pod = { spec, dir, containers: new Map() };
      this.pods.set(spec.uid, pod);
    }
    pod.spec = spec;
    for (const [name, proc] of pod.containers) {
      if (!spec.containers.some((c) => c.name === name)) {
        await this.stopAttempt(proc.attempt, spec.terminationGracePeriodSeconds ?? 10);
        pod.containers.delete(name);
      }
    }
    for (const c of spec.containers) {
      const hash = containerSpecHash(spec, c);
      let proc = pod.containers.get(c.name);
      if (proc && proc.hash !== hash) {
        await this.stopAttempt(proc.attempt, spec.terminationGracePeriodSeconds ?? 10);
        proc = undefined;
      }
      if (!proc) {
        proc = {
          spec: c,
          hash,
          ...(c.command?.length
            ? {}
            : { invalid: 'the process driver runs the container command, and this container has none' }),
        };
        pod.containers.set(c.name, proc);
        if (!proc.invalid) this.startAttempt(pod, proc, 0);
        continue;
      }
      const a = proc.attempt;
      if (!a || a.finishedAtMs === undefined) continue;
      if (!shouldRestart(spec.restartPolicy, a.exitCode ?? 0)) continue;
      const delay = restartDelayMs(a.n, a.finishedAtMs - a.startedAtMs, this.backoff);
      if (Date.now() >= a.finishedAtMs + delay) {
        this.startAttempt(pod, proc, a.n + 1);
        this.logger.info(
          { pod: spec.name, container: c.name, restartCount: a.n + 1, exitCode: a.exitCode },
          'process restarted',
        );
      }
    }
    return this.statusOf(pod);
  }

  private startAttempt(pod: Pod, proc: Proc, n: number): void {
    const c = proc.spec;
    const log = new CriLogWriter(path.join(pod.dir, 'logs', c.name, `${n}.log`));
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: pod.dir };
    for (const e of podEnv(pod.spec, c, this.options.nodeName, '127.0.0.1')) env[e.name] = e.value;
    const attempt: Attempt = {
      n,
      id: `process-${process.pid}-${++ids}`,
      startedAtMs: Date.now(),
      log,
      exited: Promise.resolve(),
      livenessKilled: false,
    };
    const [file, ...rest] = c.command!;
    let child: ChildProcess;
    try {
      child = spawn(file!, [...rest, ...(c.args ?? [])], {
        cwd: c.workingDir ?? pod.dir,
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      attempt.finishedAtMs = Date.now();
      attempt.exitCode = 128;
      attempt.reason = 'StartError';
      log.write('stderr', `${(e as Error).message}\n`);
      proc.attempt = attempt;
      return;
    }
    attempt.child = child;
    child.stdout!.on('data', (d: Buffer) => log.write('stdout', d));
    child.stderr!.on('data', (d: Buffer) => log.write('stderr', d));
    attempt.exited = new Promise<void>((resolve) => {
      child.once('error', (e) => {
        // could not be started (ENOENT, EACCES): as a container that exited at once
        if (attempt.finishedAtMs !== undefined) return;
        attempt.finishedAtMs = Date.now();
        attempt.exitCode = 128;
        attempt.reason = 'StartError';
        log.write('stderr', `${e.message}\n`);
        void log.close().then(resolve);
      });
      child.once('close', (code, signal) => {
        if (attempt.finishedAtMs !== undefined) return resolve();
        attempt.finishedAtMs = Date.now();
        attempt.exitCode = code ?? 128 + (signal ? signalNumber(signal) : 0);
        attempt.reason = attempt.exitCode === 0 ? 'Completed' : 'Error';
        void log.close().then(resolve);
      });
    });
    proc.attempt = attempt;
  }

  /** SIGTERM to the process group, SIGKILL after the grace period. */
  private async stopAttempt(a: Attempt | undefined, graceSeconds: number): Promise<void> {
    if (!a) return;
    this.probes.forget(a.id);
    if (a.finishedAtMs !== undefined || !a.child?.pid) return;
    const group = -a.child.pid;
    try {
      process.kill(group, 'SIGTERM');
    } catch {
      /* gone */
    }
    const killer = setTimeout(() => {
      try {
        process.kill(group, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, graceSeconds * 1000);
    await a.exited;
    clearTimeout(killer);
  }

  private statusOf(pod: Pod): PodStatus {
    const containers: ContainerStatus[] = pod.spec.containers.map((c) => {
      const proc = pod.containers.get(c.name);
      const base = { name: c.name, image: c.image, ready: false };
      if (!proc || proc.invalid)
        return {
          ...base,
          state: 'waiting',
          reason: 'CreateContainerConfigError',
          message: proc?.invalid ?? '',
          restartCount: 0,
        };
      const a = proc.attempt!;
      const common = {
        ...base,
        restartCount: a.n,
        containerId: a.id,
        startedAt: new Date(a.startedAtMs).toISOString(),
      };
      if (a.finishedAtMs === undefined) {
        const target: ProbeTarget = { host: '127.0.0.1', exec: (cmd, t) => this.execOk(pod, c, cmd, t) };
        const live = this.probes.check(
          `${a.id}/liveness`,
          'liveness',
          c.livenessProbe,
          a.startedAtMs,
          target,
        );
        if (!live && !a.livenessKilled) {
          a.livenessKilled = true;
          this.logger.warn(
            { pod: pod.spec.name, container: c.name },
            'liveness probe failed: killing the process',
          );
          void this.stopAttempt(a, pod.spec.terminationGracePeriodSeconds ?? 10);
        }
        const ready =
          live &&
          this.probes.check(`${a.id}/readiness`, 'readiness', c.readinessProbe, a.startedAtMs, target);
        return { ...common, state: 'running', ready };
      }
      const terminated: ContainerStatus = {
        ...common,
        state: 'terminated',
        exitCode: a.exitCode ?? 0,
        reason: a.reason ?? 'Error',
        finishedAt: new Date(a.finishedAtMs).toISOString(),
      };
      if (!shouldRestart(pod.spec.restartPolicy, a.exitCode ?? 0)) return terminated;
      const delay = restartDelayMs(a.n, a.finishedAtMs - a.startedAtMs, this.backoff);
      return {
        ...terminated,
        state: 'waiting',
        reason: 'CrashLoopBackOff',
        message: `back-off ${Math.round(delay / 1000)}s restarting container ${c.name} (exit code ${a.exitCode})`,
      };
    });
    const notRunning = containers.find((c) => c.state !== 'running');
    return {
      uid: pod.spec.uid,
      name: pod.spec.name,
      namespace: pod.spec.namespace,
      phase: podPhase(pod.spec.restartPolicy, containers),
      ready: containers.every((c) => c.state === 'running' && c.ready),
      podIP: '127.0.0.1',
      ...(notRunning?.reason ? { reason: notRunning.reason } : {}),
      ...(notRunning?.message ? { message: notRunning.message } : {}),
      containers,
    };
  }

  /** An exec probe: the command as a process with the container's environment, exit 0 = success. */
  private execOk(pod: Pod, c: ContainerSpec, cmd: string[], timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
      for (const e of podEnv(pod.spec, c, this.options.nodeName, '127.0.0.1')) env[e.name] = e.value;
      const child = spawn(cmd[0]!, cmd.slice(1), {
        cwd: c.workingDir ?? pod.dir,
        env,
        stdio: 'ignore',
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
      });
      child.once('error', () => resolve(false));
      child.once('close', (code) => resolve(code === 0));
    });
  }

  /** A command beside the container's process: its environment and working directory, output kept up to the limit. */
  exec(uid: string, container: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    const pod = this.pods.get(uid);
    const c = pod?.spec.containers.find((x) => x.name === container);
    const attempt = pod?.containers.get(container)?.attempt;
    if (!pod || !c || !attempt?.child || attempt.finishedAtMs !== undefined)
      return Promise.reject(new ExecUnavailable(`container ${container} is not running`));
    return new Promise((resolve, reject) => {
      const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
      for (const e of podEnv(pod.spec, c, this.options.nodeName, '127.0.0.1')) env[e.name] = e.value;
      const child = spawn(command[0]!, command.slice(1), {
        cwd: c.workingDir ?? pod.dir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out = { stdout: [] as Buffer[], stderr: [] as Buffer[], sizes: { stdout: 0, stderr: 0 } };
      for (const name of ['stdout', 'stderr'] as const)
        child[name].on('data', (d: Buffer) => {
          const room = EXEC_OUTPUT_LIMIT - out.sizes[name];
          if (room <= 0) return;
          out[name].push(d.subarray(0, room));
          out.sizes[name] += Math.min(room, d.length);
        });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        resolve({
          exitCode: code ?? 128 + (signal ? signalNumber(signal) : 0),
          stdout: Buffer.concat(out.stdout),
          stderr: Buffer.concat(out.stderr),
          ...(timedOut ? { timedOut } : {}),
        });
      });
    });
  }

  async execStream(uid: string, container: string, command: string[]): Promise<ExecSession> {
    const pod = this.pods.get(uid);
    const c = pod?.spec.containers.find((x) => x.name === container);
    const attempt = pod?.containers.get(container)?.attempt;
    if (!pod || !c || !attempt?.child || attempt.finishedAtMs !== undefined)
      throw new ExecUnavailable(`container ${container} is not running`);
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    for (const e of podEnv(pod.spec, c, this.options.nodeName, '127.0.0.1')) env[e.name] = e.value;
    return sessionOf(spawn(command[0]!, command.slice(1), { cwd: c.workingDir ?? pod.dir, env }));
  }

  async status(uid: string): Promise<PodStatus | undefined> {
    const pod = this.pods.get(uid);
    return pod ? this.statusOf(pod) : undefined;
  }

  async *logs(uid: string, container: string, options: LogOptions = {}): AsyncGenerator<LogLine> {
    const pod = this.pods.get(uid);
    if (!pod) return;
    yield* readContainerLogs(path.join(pod.dir, 'logs', container), options);
  }

  async removePod(uid: string): Promise<void> {
    const pod = this.pods.get(uid);
    if (!pod) return;
    this.pods.delete(uid);
    await Promise.all(
      [...pod.containers.values()].map((p) =>
        this.stopAttempt(p.attempt, pod.spec.terminationGracePeriodSeconds ?? 10),
      ),
    );
    await rm(pod.dir, { recursive: true, force: true });
    this.logger.info({ pod: pod.spec.name, uid }, 'pod removed');
  }

  async close(): Promise<void> {
    await Promise.all([...this.pods.keys()].map((uid) => this.removePod(uid)));
  }
}

/** A spawned child as an exec session (an exec that cannot start ends with 127 and the reason on stderr). */
export function sessionOf(child: ChildProcess): ExecSession {
  const exited = new Promise<number>((resolve) => {
    child.once('error', (error) => {
      child.stderr?.emit('data', Buffer.from(`${error.message}\n`));
      resolve(127);
    });
    child.once('close', (code, signal) => resolve(code ?? 128 + (signal ? signalNumber(signal) : 0)));
  });
  child.stdin!.on('error', () => undefined); // the command may exit before reading its input
  return {
    stdin: child.stdin!,
    stdout: child.stdout!,
    stderr: child.stderr!,
    exited,
    kill: () => void child.kill('SIGKILL'),
  };
}

export function signalNumber(signal: NodeJS.Signals): number {
  const n: Partial<Record<NodeJS.Signals, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGKILL: 9,
    SIGTERM: 15,
    SIGQUIT: 3,
    SIGABRT: 6,
    SIGSEGV: 11,
  };
  return n[signal] ?? 0;
}

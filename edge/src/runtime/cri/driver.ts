import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { CallError, Status } from '../../tunnel/grpc-h2.js';
import { readContainerLogs } from '../logs.js';
import {
  containerSpecHash,
  DEFAULT_BACKOFF,
  errorText,
  podEnv,
  podPhase,
  restartDelayMs,
  shouldRestart,
  validatePodSpec,
  type BackoffOptions,
} from '../pod.js';
import { ProbeTracker, type ProbeTarget } from '../probes.js';
import {
  LABELS,
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
import { sessionOf } from '../process/driver.js';
import { CriClient } from './client.js';
import { ContainerState, SandboxState, type Msg, type Request, type Response } from './codec.js';

export interface CriDriverOptions {
  /** containerd's socket (path or unix:///path) */
  socket: string;
  nodeName: string;
  /** where pod logs go: <logRoot>/<namespace>_<name>_<uid>/<container>/<attempt>.log */
  logRoot: string;
  backoff?: BackoffOptions;
  /** a PullImage that takes longer fails (nothing can be pulled here; default 30 s) */
  pullTimeoutMs?: number;
  logger?: DriverLogger;
}

type SandboxConfig = NonNullable<Request<'RunPodSandbox'>['config']>;
type CriContainer = NonNullable<Response<'ListContainers'>['containers']>[number];
type CriStatus = NonNullable<Response<'ContainerStatus'>['status']>;

/** Why a container is not running yet, until the next attempt changes it. */
interface Waiting {
  reason: string;
  message: string;
  /** the next try not before (image pulls back off too) */
  retryAtMs: number;
  failures: number;
}

const nsToIso = (ns: number | undefined) => (ns ? new Date(ns / 1e6).toISOString() : undefined);

/**
 * The `cri` driver: pods through containerd's CRI, as kubelet runs them — one pod sandbox per pod
 * (its network namespace on the node's CNI bridge, its IP from the node's slice of the pod CIDR),
 * one container per spec container, a new attempt of a container (metadata.attempt = restart
 * count) when it exited and its restart policy says so, after a doubling backoff. Everything it
 * creates carries the LABELS, so a restarted agent finds its pods again. Probes run in the agent:
 * HTTP/TCP to the pod IP, exec through ExecSync. Logs are the files containerd writes.
 */
export class CriDriver implements RuntimeDriver {
  readonly kind = 'cri' as const;
  private readonly cri: CriClient;
  private readonly probes = new ProbeTracker();
  private readonly backoff: BackoffOptions;
  private readonly logger: DriverLogger;
  /** pod uid/container name → why it waits (image pull failures, create errors) */
  private readonly waiting = new Map<string, Waiting>();
  /** pod uid → sandbox id and IP, so a status needs no PodSandboxStatus call each round */
  private readonly sandboxes = new Map<string, { id: string; ip: string }>();
  /** container id → the liveness kill already asked for */
  private readonly killed = new Set<string>();
  private readonly specs = new Map<string, PodSpec>();

  constructor(private readonly options: CriDriverOptions) {
    this.cri = new CriClient(options.socket);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.logger = options.logger ?? quietLogger;
  }

  /** The runtime's name and version (a call that fails when containerd does not answer). */
  version(): Promise<Response<'Version'>> {
    return this.cri.call('Version', { version: 'v1' }, 10_000);
  }

  private podLogDir(pod: { namespace: string; name: string; uid: string }): string {
    return path.join(this.options.logRoot, `${pod.namespace}_${pod.name}_${pod.uid}`);
  }

  private sandboxConfig(pod: PodSpec): SandboxConfig {
    return {
      metadata: { name: pod.name, uid: pod.uid, namespace: pod.namespace, attempt: 0 },
      hostname: pod.name.slice(0, 63),
      logDirectory: this.podLogDir(pod),
      portMappings: pod.containers.flatMap((c) =>
        (c.ports ?? [])
          .filter((p) => p.hostPort)
          .map((p) => ({
            protocol: p.protocol === 'UDP' ? 1 : 0,
            containerPort: p.containerPort,
            hostPort: p.hostPort,
          })),
      ),
      labels: {
        ...pod.labels,
        [LABELS.managed]: 'true',
        [LABELS.podUid]: pod.uid,
        [LABELS.podName]: pod.name,
        [LABELS.podNamespace]: pod.namespace,
      },
      annotations: {},
      linux: {},
    };
  }

  async listPods(): Promise<PodRef[]> {
    const { items = [] } = await this.cri.call('ListPodSandbox', {
      filter: { labelSelector: { [LABELS.managed]: 'true' } },
    });
    const pods = new Map<string, PodRef>();
    for (const s of items) {
      const uid = s.labels?.[LABELS.podUid];
      if (uid)
        pods.set(uid, {
          uid,
          name: s.labels?.[LABELS.podName] ?? '',
          namespace: s.labels?.[LABELS.podNamespace] ?? '',
        });
    }
    return [...pods.values()];
  }

  private async sandboxesOf(uid: string) {
    const { items = [] } = await this.cri.call('ListPodSandbox', {
      filter: { labelSelector: { [LABELS.podUid]: uid } },
    });
    return items.sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0));
  }

  /** The pod's ready sandbox, made when missing; a sandbox that is no longer ready is replaced. */
  private async ensureSandbox(pod: PodSpec): Promise<{ id: string; ip: string }> {
    const known = this.sandboxes.get(pod.uid);
    const all = await this.sandboxesOf(pod.uid);
    const ready = all.find((s) => s.state === SandboxState.READY);
    for (const s of all) {
      if (s.id === ready?.id) continue;
      // a dead sandbox (its pause process or netns gone): its containers go with it
      this.logger.warn({ pod: pod.name, sandbox: s.id }, 'removing a sandbox that is not ready');
      await this.removeSandbox(s.id!);
    }
    if (ready) {
      if (known && known.id === ready.id) return known;
      const st = await this.cri.call('PodSandboxStatus', { podSandboxId: ready.id });
      const entry = { id: ready.id!, ip: st.status?.network?.ip ?? '' };
      this.sandboxes.set(pod.uid, entry);
      return entry;
    }
    const { podSandboxId = '' } = await this.cri.call(
      'RunPodSandbox',
      { config: this.sandboxConfig(pod) },
      120_000,
    );
    const st = await this.cri.call('PodSandboxStatus', { podSandboxId });
    const entry = { id: podSandboxId, ip: st.status?.network?.ip ?? '' };
    this.sandboxes.set(pod.uid, entry);
    this.logger.info({ pod: pod.name, sandbox: podSandboxId, ip: entry.ip }, 'pod sandbox started');
    return entry;
  }

  private async removeSandbox(id: string, graceSeconds = 10): Promise<void> {
    const { containers = [] } = await this.cri.call('ListContainers', { filter: { podSandboxId: id } });
    await Promise.all(containers.map((c) => this.removeContainer(c.id!, graceSeconds)));
    await this.cri.call('StopPodSandbox', { podSandboxId: id }, 120_000).catch(notFoundIsFine);
    await this.cri.call('RemovePodSandbox', { podSandboxId: id }, 120_000).catch(notFoundIsFine);
  }

  private async removeContainer(id: string, graceSeconds: number): Promise<void> {
    await this.cri
      .call('StopContainer', { containerId: id, timeout: graceSeconds }, (graceSeconds + 30) * 1000)
      .catch(notFoundIsFine);
    await this.cri.call('RemoveContainer', { containerId: id }, 60_000).catch(notFoundIsFine);
    this.probes.forget(id);
    this.killed.delete(id);
  }

  /** Image present, or pulled (policy Always / missing); throws a Waiting reason otherwise. */
  private async ensureImage(c: ContainerSpec, sandbox: SandboxConfig): Promise<void> {
    const policy = c.imagePullPolicy ?? 'IfNotPresent';
    if (policy !== 'Always') {
      const { image } = await this.cri.call('ImageStatus', { image: { image: c.image } });
      if (image?.id) return;
      if (policy === 'Never')
        throw new WaitingError(
          'ErrImageNeverPull',
          `image "${c.image}" is not on the node and its pull policy is Never`,
        );
    }
    try {
      await this.cri.call(
        'PullImage',
        { image: { image: c.image }, sandboxConfig: sandbox },
        this.options.pullTimeoutMs ?? 30_000,
      );
    } catch (e) {
      throw new WaitingError('ErrImagePull', `image "${c.image}" could not be pulled: ${errorText(e)}`);
    }
  }

  async ensurePod(spec: PodSpec): Promise<PodStatus> {
    const pod = validatePodSpec(spec);
    this.specs.set(pod.uid, pod);
    const sandboxConfig = this.sandboxConfig(pod);
    let sandbox: { id: string; ip: string };
    try {
      sandbox = await this.ensureSandbox(pod);
    } catch (e) {
      return this.pendingStatus(pod, 'SandboxCreateError', errorText(e));
    }
    const { containers = [] } = await this.cri.call('ListContainers', {
      filter: { podSandboxId: sandbox.id },
    });
    const byName = new Map<string, CriContainer[]>();
    for (const c of containers) {
      const name = c.metadata?.name ?? '';
      if (!pod.containers.some((s) => s.name === name)) {
        // not in the spec (any more)
        await this.removeContainer(c.id!, pod.terminationGracePeriodSeconds ?? 10);
        continue;
      }
      byName.set(name, [...(byName.get(name) ?? []), c]);
    }
    const statuses: ContainerStatus[] = [];
    for (const c of pod.containers) {
      const attempts = (byName.get(c.name) ?? []).sort(
        (a, b) => (b.metadata?.attempt ?? 0) - (a.metadata?.attempt ?? 0),
      );
      statuses.push(await this.ensureContainer(pod, c, sandbox, sandboxConfig, attempts));
    }
    return this.podStatus(pod, sandbox.ip, statuses);
  }

  private async ensureContainer(
    pod: PodSpec,
    c: ContainerSpec,
    sandbox: { id: string; ip: string },
    sandboxConfig: SandboxConfig,
    attempts: CriContainer[],
  ): Promise<ContainerStatus> {
    const key = `${pod.uid}/${c.name}`;
    const hash = containerSpecHash(pod, c);
    let latest = attempts[0];
    // a changed spec replaces the container (restart count starts over)
    if (latest && latest.labels?.[LABELS.specHash] !== hash) {
      for (const a of attempts) await this.removeContainer(a.id!, pod.terminationGracePeriodSeconds ?? 10);
      attempts = [];
      latest = undefined;
    }
    // older attempts than the previous one go (kubelet keeps one dead attempt for --previous)
    for (const old of attempts.slice(2)) await this.removeContainer(old.id!, 0);
    let status = latest
      ? (await this.cri.call('ContainerStatus', { containerId: latest.id })).status
      : undefined;
    const restartCount = latest?.metadata?.attempt ?? 0;

    if (status && status.state === ContainerState.EXITED) {
      const exitCode = status.exitCode ?? 0;
      if (!shouldRestart(pod.restartPolicy, exitCode)) return this.toStatus(c, status, restartCount, false);
      const ranMs = ((status.finishedAt ?? 0) - (status.startedAt ?? 0)) / 1e6;
      const at = (status.finishedAt ?? 0) / 1e6 + restartDelayMs(restartCount, ranMs, this.backoff);
      if (Date.now() < at) {
        return {
          ...this.toStatus(c, status, restartCount, false),
          state: 'waiting',
          reason: 'CrashLoopBackOff',
          message: `back-off ${Math.round(restartDelayMs(restartCount, ranMs, this.backoff) / 1000)}s restarting container ${c.name} (exit code ${exitCode}${status.reason ? `, ${status.reason}` : ''})`,
          exitCode,
        };
      }
      status = undefined;
      const next = await this.createAndStart(pod, c, sandbox, sandboxConfig, restartCount + 1, hash, key);
      if ('waiting' in next) return next.waiting;
      status = next.status;
      this.logger.info(
        { pod: pod.name, container: c.name, restartCount: restartCount + 1, exitCode },
        'container restarted',
      );
      return this.toStatus(c, status, restartCount + 1, false);
    }
    if (!status || !latest) {
      const made = await this.createAndStart(pod, c, sandbox, sandboxConfig, 0, hash, key);
      if ('waiting' in made) return made.waiting;
      return this.toStatus(c, made.status, 0, false);
    }
    if (status.state === ContainerState.CREATED) {
      await this.cri.call('StartContainer', { containerId: latest.id });
      status = (await this.cri.call('ContainerStatus', { containerId: latest.id })).status ?? status;
    }
    if (status.state !== ContainerState.RUNNING) return this.toStatus(c, status, restartCount, false);
    // probes of this attempt
    const id = status.id!;
    const startedAtMs = (status.startedAt ?? 0) / 1e6;
    const target: ProbeTarget = {
      host: sandbox.ip || '127.0.0.1',
      exec: (cmd, timeoutMs) => this.execOk(id, cmd, timeoutMs),
    };
    const live = this.probes.check(`${id}/liveness`, 'liveness', c.livenessProbe, startedAtMs, target);
    if (!live && !this.killed.has(id)) {
      this.killed.add(id);
      this.logger.warn({ pod: pod.name, container: c.name }, 'liveness probe failed: killing the container');
      await this.cri
        .call('StopContainer', { containerId: id, timeout: pod.terminationGracePeriodSeconds ?? 10 }, 60_000)
        .catch(notFoundIsFine);
    }
    const ready =
      live && this.probes.check(`${id}/readiness`, 'readiness', c.readinessProbe, startedAtMs, target);
    return this.toStatus(c, status, restartCount, ready);
  }

  private async createAndStart(
    pod: PodSpec,
    c: ContainerSpec,
    sandbox: { id: string; ip: string },
    sandboxConfig: SandboxConfig,
    attempt: number,
    hash: string,
    key: string,
  ): Promise<{ status: CriStatus } | { waiting: ContainerStatus }> {
    const w = this.waiting.get(key);
    if (w && Date.now() < w.retryAtMs)
      return {
        waiting: {
          name: c.name,
          image: c.image,
          state: 'waiting',
          reason: w.reason,
          message: w.message,
          restartCount: attempt,
          ready: false,
        },
      };
    try {
      await this.ensureImage(c, sandboxConfig);
      const { containerId = '' } = await this.cri.call(
        'CreateContainer',
        {
          podSandboxId: sandbox.id,
          config: {
            metadata: { name: c.name, attempt },
            image: { image: c.image },
            command: c.command ?? [],
            args: c.args ?? [],
            workingDir: c.workingDir ?? '',
            envs: podEnv(pod, c, this.options.nodeName, sandbox.ip).map((e) => ({
              key: e.name,
              value: Buffer.from(e.value),
            })),
            labels: {
              [LABELS.managed]: 'true',
              [LABELS.podUid]: pod.uid,
              [LABELS.container]: c.name,
              [LABELS.specHash]: hash,
            },
            annotations: {},
            logPath: `${c.name}/${attempt}.log`,
          },
          sandboxConfig,
        },
        60_000,
      );
      try {
        await this.cri.call('StartContainer', { containerId }, 60_000);
      } catch (e) {
        throw new WaitingError('RunContainerError', errorText(e));
      }
      this.waiting.delete(key);
      const { status } = await this.cri.call('ContainerStatus', { containerId });
      return { status: status ?? { id: containerId, state: ContainerState.UNKNOWN } };
    } catch (e) {
      const reason = e instanceof WaitingError ? e.reason : 'CreateContainerError';
      const failures = (w?.failures ?? 0) + 1;
      const message = errorText(e);
      const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** Math.min(failures - 1, 20));
      this.waiting.set(key, { reason, message, retryAtMs: Date.now() + delay, failures });
      if (failures === 1)
        this.logger.warn({ pod: pod.name, container: c.name, reason, message }, 'container not started');
      return {
        waiting: {
          name: c.name,
          image: c.image,
          state: 'waiting',
          reason,
          message,
          restartCount: attempt,
          ready: false,
        },
      };
    }
  }

  private async execOk(containerId: string, cmd: string[], timeoutMs: number): Promise<boolean> {
    const r = await this.cri.call(
      'ExecSync',
      { containerId, cmd, timeout: Math.max(1, Math.ceil(timeoutMs / 1000)) },
      timeoutMs + 5000,
    );
    return r.exitCode === 0;
  }

  private toStatus(c: ContainerSpec, s: CriStatus, restartCount: number, ready: boolean): ContainerStatus {
    const base = {
      name: c.name,
      image: c.image,
      restartCount,
      containerId: s.id,
      startedAt: nsToIso(s.startedAt),
    };
    if (s.state === ContainerState.RUNNING) return { ...base, state: 'running', ready };
    if (s.state === ContainerState.EXITED)
      return {
        ...base,
        state: 'terminated',
        ready: false,
        exitCode: s.exitCode ?? 0,
        reason: s.reason || (s.exitCode ? 'Error' : 'Completed'),
        ...(s.message ? { message: s.message } : {}),
        finishedAt: nsToIso(s.finishedAt),
      };
    return { ...base, state: 'waiting', ready: false, reason: 'ContainerCreating' };
  }

  private podStatus(pod: PodSpec, ip: string, containers: ContainerStatus[]): PodStatus {
    const phase = podPhase(pod.restartPolicy, containers);
    const notRunning = containers.find((c) => c.state !== 'running');
    return {
      uid: pod.uid,
      name: pod.name,
      namespace: pod.namespace,
      phase,
      ready: containers.every((c) => c.state === 'running' && c.ready),
      ...(ip ? { podIP: ip } : {}),
      ...(notRunning?.reason ? { reason: notRunning.reason } : {}),
      ...(notRunning?.message ? { message: notRunning.message } : {}),
      containers,
    };
  }

  private pendingStatus(pod: PodSpec, reason: string, message: string): PodStatus {
    return {
      uid: pod.uid,
      name: pod.name,
      namespace: pod.namespace,
      phase: 'Pending',
      ready: false,
      reason,
      message,
      containers: pod.containers.map((c) => ({
        name: c.name,
        image: c.image,
        state: 'waiting',
        reason: 'ContainerCreating',
        restartCount: 0,
        ready: false,
      })),
    };
  }

  /** The pod's status as last ensured (probes included), read from the runtime without changing anything. */
  async status(uid: string): Promise<PodStatus | undefined> {
    const pod = this.specs.get(uid);
    const sandbox = (await this.sandboxesOf(uid)).find((s) => s.state === SandboxState.READY);
    if (!pod || !sandbox) return undefined;
    const ip = this.sandboxes.get(uid)?.ip ?? '';
    const { containers = [] } = await this.cri.call('ListContainers', {
      filter: { podSandboxId: sandbox.id },
    });
    const statuses: ContainerStatus[] = [];
    for (const c of pod.containers) {
      const latest = containers
        .filter((x) => x.metadata?.name === c.name)
        .sort((a, b) => (b.metadata?.attempt ?? 0) - (a.metadata?.attempt ?? 0))[0];
      const w = this.waiting.get(`${uid}/${c.name}`);
      if (!latest) {
        statuses.push({
          name: c.name,
          image: c.image,
          state: 'waiting',
          reason: w?.reason ?? 'ContainerCreating',
          ...(w ? { message: w.message } : {}),
          restartCount: 0,
          ready: false,
        });
        continue;
      }
      const { status } = await this.cri.call('ContainerStatus', { containerId: latest.id });
      const id = latest.id!;
      const startedAtMs = (status?.startedAt ?? 0) / 1e6;
      const target: ProbeTarget = { host: ip, exec: (cmd, t) => this.execOk(id, cmd, t) };
      const ready =
        status?.state === ContainerState.RUNNING &&
        this.probes.check(`${id}/readiness`, 'readiness', c.readinessProbe, startedAtMs, target);
      statuses.push(
        this.toStatus(
          c,
          status ?? { id, state: ContainerState.UNKNOWN },
          latest.metadata?.attempt ?? 0,
          ready,
        ),
      );
    }
    return this.podStatus(pod, ip, statuses);
  }

  async *logs(uid: string, container: string, options: LogOptions = {}): AsyncGenerator<LogLine> {
    const sandbox = (await this.sandboxesOf(uid))[0];
    if (!sandbox?.metadata) return;
    const dir = path.join(
      this.podLogDir({ namespace: sandbox.metadata.namespace ?? '', name: sandbox.metadata.name ?? '', uid }),
      container,
    );
    yield* readContainerLogs(dir, options);
  }

  async exec(uid: string, container: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    const { containers = [] } = await this.cri.call('ListContainers', {
      filter: { labelSelector: { [LABELS.podUid]: uid, [LABELS.container]: container } },
    });
    const running = containers
      .filter((c) => c.state === ContainerState.RUNNING)
      .sort((a, b) => (b.metadata?.attempt ?? 0) - (a.metadata?.attempt ?? 0))[0];
    if (!running?.id) throw new ExecUnavailable(`container ${container} is not running`);
    const started = Date.now();
    try {
      const r = await this.cri.call(
        'ExecSync',
        { containerId: running.id, cmd: command, timeout: Math.max(1, Math.ceil(timeoutMs / 1000)) },
        timeoutMs + 5000,
      );
      return {
        exitCode: r.exitCode ?? 0,
        stdout: Buffer.from(r.stdout ?? Buffer.alloc(0)),
        stderr: Buffer.from(r.stderr ?? Buffer.alloc(0)),
      };
    } catch (e) {
      // containerd ends a command past its timeout with DeadlineExceeded
      if (e instanceof CallError && e.code === Status.DEADLINE_EXCEEDED && Date.now() - started >= timeoutMs)
        return { exitCode: 137, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), timedOut: true };
      throw e;
    }
  }

  /**
   * The command inside the running container, streamed: nsenter into its namespaces (mount, UTS,
   * IPC, network, PID) and root, in its working directory, with its process's environment — what
   * CRI's streaming Exec would give, without containerd's streaming server.
   */
  async execStream(uid: string, container: string, command: string[]): Promise<ExecSession> {
    const id = await this.runningContainer(uid, container);
    const { info } = await this.cri.call('ContainerStatus', { containerId: id, verbose: true });
    let pid = 0;
    try {
      pid = Number((JSON.parse(info?.info ?? '{}') as { pid?: number }).pid ?? 0);
    } catch {
      pid = 0;
    }
    if (!Number.isInteger(pid) || pid <= 0)
      throw new ExecUnavailable(`container ${container} has no process`);
    const environ = await readFile(`/proc/${pid}/environ`).catch(() => Buffer.alloc(0));
    const env: Record<string, string> = {};
    for (const kv of environ.toString('utf8').split('\0')) {
      const i = kv.indexOf('=');
      if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    const args = [
      '--target',
      String(pid),
      '--mount',
      '--uts',
      '--ipc',
      '--net',
      '--pid',
      '--root',
      '--wd',
      '--',
    ];
    return sessionOf(spawn('nsenter', [...args, ...command], { env }));
  }

  private async runningContainer(uid: string, container: string): Promise<string> {
    const { containers = [] } = await this.cri.call('ListContainers', {
      filter: { labelSelector: { [LABELS.podUid]: uid, [LABELS.container]: container } },
    });
    const running = containers
      .filter((c) => c.state === ContainerState.RUNNING)
      .sort((a, b) => (b.metadata?.attempt ?? 0) - (a.metadata?.attempt ?? 0))[0];
    if (!running?.id) throw new ExecUnavailable(`container ${container} is not running`);
    return running.id;
  }

  async removePod(uid: string): Promise<void> {
    const grace = this.specs.get(uid)?.terminationGracePeriodSeconds ?? 10;
    const all = await this.sandboxesOf(uid);
    for (const s of all) await this.removeSandbox(s.id!, grace);
    const meta = all[0]?.metadata;
    if (meta)
      await rm(this.podLogDir({ namespace: meta.namespace ?? '', name: meta.name ?? '', uid }), {
        recursive: true,
        force: true,
      });
    this.sandboxes.delete(uid);
    this.specs.delete(uid);
    for (const key of this.waiting.keys()) if (key.startsWith(`${uid}/`)) this.waiting.delete(key);
    if (all.length > 0) this.logger.info({ uid, sandboxes: all.length }, 'pod removed');
  }

  async close(): Promise<void> {
    this.cri.close();
  }
}

class WaitingError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

function notFoundIsFine(e: unknown): void {
  if (e instanceof CallError && e.code === Status.NOT_FOUND) return;
  throw e;
}

export type { Msg };

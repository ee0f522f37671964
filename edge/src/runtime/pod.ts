import { createHash } from 'node:crypto';
import type { ContainerSpec, ContainerStatus, PodPhase, PodSpec, Probe, RestartPolicy } from './types.js';

/** A pod spec the agent refuses, naming the field (e.g. `containers[1].image`). */
export class PodSpecError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const LIMITS = { containers: 16, args: 256, arg: 8192, env: 256, envValue: 32_768, ports: 64, image: 512 };

const quote = (v: unknown) => {
  const s = String(v);
  return JSON.stringify(s.length > 64 ? `${s.slice(0, 64)}…` : s);
};

function name(field: string, v: unknown, max = 63): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max || !DNS_LABEL.test(v))
    throw new PodSpecError(field, `must be a DNS label of at most ${max} characters, got ${quote(v)}`);
  return v;
}

function strings(field: string, v: unknown, max = LIMITS.args): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > max)
    throw new PodSpecError(field, `must be a list of at most ${max} strings`);
  v.forEach((s, i) => {
    if (typeof s !== 'string' || s.length > LIMITS.arg || s.includes('\0'))
      throw new PodSpecError(
        `${field}[${i}]`,
        `must be a string of at most ${LIMITS.arg} characters without NUL`,
      );
  });
  return v as string[];
}

function port(field: string, v: unknown): number {
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 65535)
    throw new PodSpecError(field, `must be a port 1–65535, got ${quote(v)}`);
  return v as number;
}

function seconds(field: string, v: unknown, min: number, max: number): void {
  if (v === undefined) return;
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max)
    throw new PodSpecError(field, `must be an integer ${min}–${max}, got ${quote(v)}`);
}

function probe(field: string, p: Probe | undefined): void {
  if (p === undefined) return;
  if (typeof p !== 'object' || p === null) throw new PodSpecError(field, 'must be an object');
  const kinds = [p.exec, p.httpGet, p.tcpSocket].filter((k) => k !== undefined).length;
  if (kinds !== 1) throw new PodSpecError(field, 'needs exactly one of exec, httpGet, tcpSocket');
  if (p.exec && (strings(`${field}.exec.command`, p.exec.command, 64)?.length ?? 0) === 0)
    throw new PodSpecError(`${field}.exec.command`, 'must not be empty');
  if (p.httpGet) {
    port(`${field}.httpGet.port`, p.httpGet.port);
    const path = p.httpGet.path ?? '/';
    if (typeof path !== 'string' || !path.startsWith('/') || path.length > 1024 || /[\s\0]/.test(path))
      throw new PodSpecError(
        `${field}.httpGet.path`,
        `must be an absolute path of at most 1024 characters, got ${quote(path)}`,
      );
  }
  if (p.tcpSocket) port(`${field}.tcpSocket.port`, p.tcpSocket.port);
  seconds(`${field}.initialDelaySeconds`, p.initialDelaySeconds, 0, 3600);
  seconds(`${field}.periodSeconds`, p.periodSeconds, 1, 3600);
  seconds(`${field}.timeoutSeconds`, p.timeoutSeconds, 1, 600);
  seconds(`${field}.failureThreshold`, p.failureThreshold, 1, 100);
  seconds(`${field}.successThreshold`, p.successThreshold, 1, 100);
}

/** Checks a pod spec as it arrives (from the cloud or a file); throws PodSpecError naming the field. */
export function validatePodSpec(pod: PodSpec, at = 'pod'): PodSpec {
  if (typeof pod !== 'object' || pod === null) throw new PodSpecError(at, 'must be an object');
  name(`${at}.name`, pod.name, 253);
  name(`${at}.namespace`, pod.namespace);
  if (typeof pod.uid !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(pod.uid))
    throw new PodSpecError(`${at}.uid`, `must be 1–64 letters, digits or dashes, got ${quote(pod.uid)}`);
  if (pod.restartPolicy !== undefined && !['Always', 'OnFailure', 'Never'].includes(pod.restartPolicy))
    throw new PodSpecError(
      `${at}.restartPolicy`,
      `must be Always, OnFailure or Never, got ${quote(pod.restartPolicy)}`,
    );
  seconds(`${at}.terminationGracePeriodSeconds`, pod.terminationGracePeriodSeconds, 0, 3600);
  if (
    !Array.isArray(pod.containers) ||
    pod.containers.length === 0 ||
    pod.containers.length > LIMITS.containers
  )
    throw new PodSpecError(`${at}.containers`, `must list 1–${LIMITS.containers} containers`);
  const seen = new Set<string>();
  pod.containers.forEach((c, i) => {
    const f = `${at}.containers[${i}]`;
    name(`${f}.name`, c.name);
    if (seen.has(c.name)) throw new PodSpecError(`${f}.name`, `${quote(c.name)} is used twice`);
    seen.add(c.name);
    if (
      typeof c.image !== 'string' ||
      c.image.length === 0 ||
      c.image.length > LIMITS.image ||
      /[\s\0]/.test(c.image)
    )
      throw new PodSpecError(
        `${f}.image`,
        `must be an image reference of at most ${LIMITS.image} characters, got ${quote(c.image)}`,
      );
    if (c.imagePullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy))
      throw new PodSpecError(
        `${f}.imagePullPolicy`,
        `must be Always, IfNotPresent or Never, got ${quote(c.imagePullPolicy)}`,
      );
    strings(`${f}.command`, c.command);
    strings(`${f}.args`, c.args);
    if (
      c.workingDir !== undefined &&
      (typeof c.workingDir !== 'string' || !c.workingDir.startsWith('/') || c.workingDir.length > 1024)
    )
      throw new PodSpecError(`${f}.workingDir`, 'must be an absolute path of at most 1024 characters');
    if (c.env !== undefined) {
      if (!Array.isArray(c.env) || c.env.length > LIMITS.env)
        throw new PodSpecError(`${f}.env`, `must list at most ${LIMITS.env} variables`);
      c.env.forEach((e, j) => {
        if (typeof e?.name !== 'string' || !ENV_NAME.test(e.name) || e.name.length > 256)
          throw new PodSpecError(`${f}.env[${j}].name`, `must be a variable name, got ${quote(e?.name)}`);
        if (typeof e.value !== 'string' || e.value.length > LIMITS.envValue || e.value.includes('\0'))
          throw new PodSpecError(
            `${f}.env[${j}].value`,
            `must be a string of at most ${LIMITS.envValue} characters without NUL`,
          );
      });
    }
    if (c.ports !== undefined) {
      if (!Array.isArray(c.ports) || c.ports.length > LIMITS.ports)
        throw new PodSpecError(`${f}.ports`, `must list at most ${LIMITS.ports} ports`);
      c.ports.forEach((p, j) => {
        port(`${f}.ports[${j}].containerPort`, p?.containerPort);
        if (p.hostPort !== undefined) port(`${f}.ports[${j}].hostPort`, p.hostPort);
        if (p.protocol !== undefined && p.protocol !== 'TCP' && p.protocol !== 'UDP')
          throw new PodSpecError(`${f}.ports[${j}].protocol`, `must be TCP or UDP, got ${quote(p.protocol)}`);
      });
    }
    probe(`${f}.readinessProbe`, c.readinessProbe);
    probe(`${f}.livenessProbe`, c.livenessProbe);
  });
  return pod;
}

/** What identifies a container's spec: a change replaces the running container. */
export function containerSpecHash(pod: PodSpec, c: ContainerSpec): string {
  const what = [c.image, c.command, c.args, c.env, c.workingDir, c.ports, pod.restartPolicy ?? 'Always'];
  return createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 16);
}

/** Whether an exited container runs again (Kubernetes' restartPolicy). */
export function shouldRestart(policy: RestartPolicy | undefined, exitCode: number): boolean {
  const p = policy ?? 'Always';
  return p === 'Always' || (p === 'OnFailure' && exitCode !== 0);
}

export interface BackoffOptions {
  /** the wait before the first restart (default 1 s; kubelet: 10 s) */
  initialMs: number;
  /** the longest wait (default 60 s; kubelet: 300 s) */
  maxMs: number;
}
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 60_000 };

/** A container that ran this long before it exited starts its backoff over (kubelet: 10 min). */
const BACKOFF_RESET_MS = 10 * 60_000;

/** How long after `finishedAt` the next attempt may start: doubling per restart, reset after a long run. */
export function restartDelayMs(restartCount: number, ranMs: number, b: BackoffOptions): number {
  if (ranMs >= BACKOFF_RESET_MS) return 0;
  return Math.min(b.maxMs, b.initialMs * 2 ** Math.min(restartCount, 20));
}

/** The pod's phase from its containers' states (Kubernetes' rules, one node's view). */
export function podPhase(policy: RestartPolicy | undefined, containers: ContainerStatus[]): PodPhase {
  const p = policy ?? 'Always';
  if (containers.length === 0) return 'Pending';
  if (containers.some((c) => c.state === 'running')) return 'Running';
  if (p !== 'Always' && containers.every((c) => c.state === 'terminated')) {
    if (containers.every((c) => c.exitCode === 0)) return 'Succeeded';
    if (p === 'Never') return 'Failed';
  }
  // a container that ran before and is waiting to run again (backoff) keeps the pod Running
  if (containers.some((c) => c.restartCount > 0 || c.state === 'terminated')) return 'Running';
  return 'Pending';
}

/** The variables every container gets (Kubernetes' downward API by convention), unless its spec sets them. */
export function podEnv(
  pod: PodSpec,
  c: ContainerSpec,
  nodeName: string,
  podIP: string | undefined,
): { name: string; value: string }[] {
  const own = new Set((c.env ?? []).map((e) => e.name));
  const implied = [
    { name: 'POD_NAME', value: pod.name },
    { name: 'POD_NAMESPACE', value: pod.namespace },
    { name: 'POD_UID', value: pod.uid },
    { name: 'NODE_NAME', value: nodeName },
    ...(podIP ? [{ name: 'POD_IP', value: podIP }] : []),
  ].filter((e) => !own.has(e.name));
  return [...implied, ...(c.env ?? [])];
}

export const errorText = (e: unknown) => {
  const s = e instanceof Error ? ((e as { details?: string }).details ?? e.message) : String(e);
  return s.length > 512 ? `${s.slice(0, 512)}…` : s;
};

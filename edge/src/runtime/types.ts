/**
 * The agent's workload runtime: what a node is told to run (pod specs, a small subset of the
 * Kubernetes core/v1 Pod the grid renders) and what it reports back, whichever driver runs them.
 */

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';
export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface Probe {
  exec?: { command: string[] };
  httpGet?: { path?: string; port: number };
  tcpSocket?: { port: number };
  initialDelaySeconds?: number;
  /** default 10 */
  periodSeconds?: number;
  /** default 1 */
  timeoutSeconds?: number;
  /** default 3 */
  failureThreshold?: number;
  /** default 1 */
  successThreshold?: number;
}

export interface ContainerSpec {
  name: string;
  image: string;
  /** default IfNotPresent (nothing can be pulled on these machines; images are loaded locally) */
  imagePullPolicy?: PullPolicy;
  command?: string[];
  args?: string[];
  env?: { name: string; value: string }[];
  workingDir?: string;
  ports?: { containerPort: number; hostPort?: number; protocol?: 'TCP' | 'UDP'; name?: string }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
}

export interface PodSpec {
  name: string;
  namespace: string;
  /** the pod's identity: a new uid is a new pod, even under the same name */
  uid: string;
  containers: ContainerSpec[];
  /** default Always */
  restartPolicy?: RestartPolicy;
  labels?: Record<string, string>;
  /** seconds a container gets between SIGTERM and SIGKILL on removal (default 10) */
  terminationGracePeriodSeconds?: number;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface ContainerStatus {
  name: string;
  image: string;
  state: 'waiting' | 'running' | 'terminated';
  /** waiting: ErrImagePull, ErrImageNeverPull, CrashLoopBackOff, ContainerCreating, CreateContainerError …; terminated: Completed, Error, OOMKilled … */
  reason?: string;
  message?: string;
  exitCode?: number;
  restartCount: number;
  ready: boolean;
  startedAt?: string;
  finishedAt?: string;
  /** the runtime's id of the current attempt */
  containerId?: string;
}

export interface PodStatus {
  uid: string;
  name: string;
  namespace: string;
  phase: PodPhase;
  /** all containers running and ready */
  ready: boolean;
  podIP?: string;
  /** why the pod is not running, e.g. the reason of its first waiting container */
  reason?: string;
  message?: string;
  containers: ContainerStatus[];
}

export interface PodRef {
  uid: string;
  name: string;
  namespace: string;
}

export interface LogOptions {
  /** the last N lines only (default all) */
  tail?: number;
  /** keep reading new lines (also of the next attempt after a restart) until `signal` aborts */
  follow?: boolean;
  signal?: AbortSignal;
  /** the attempt before the current one (kubectl logs --previous) */
  previous?: boolean;
}

export interface ExecResult {
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
  /** killed at the timeout */
  timedOut?: boolean;
}

export interface ExecSession {
  stdin: NodeJS.WritableStream;
  stdout: NodeJS.ReadableStream;
  stderr: NodeJS.ReadableStream;
  /** the exit code (128 + signal number when killed) */
  exited: Promise<number>;
  kill(): void;
}

/** exec of a container that is not running (the agent answers FAILED_PRECONDITION). */
export class ExecUnavailable extends Error {}

export interface LogLine {
  time: string;
  stream: 'stdout' | 'stderr';
  line: string;
}

/**
 * One runtime on one node. Every call is idempotent: `ensurePod` moves one pod one step towards
 * its spec (creates what is missing, restarts what exited per its restart policy, runs the probes
 * that are due, replaces containers whose spec changed) and returns its status; the reconciler
 * calls it for every desired pod each round and `removePod` for every pod no longer desired.
 */
export interface RuntimeDriver {
  readonly kind: 'cri' | 'process';
  ensurePod(pod: PodSpec): Promise<PodStatus>;
  /** the pods this driver runs (also those of an earlier agent process, where the runtime keeps them) */
  listPods(): Promise<PodRef[]>;
  status(uid: string): Promise<PodStatus | undefined>;
  logs(uid: string, container: string, options?: LogOptions): AsyncIterable<LogLine>;
  /**
   * Runs `command` in the pod's running container `container` and waits for it (CRI ExecSync; the
   * process driver: a process with the container's environment). No stdin, no terminal; each
   * output is cut at 16 MiB; past `timeoutMs` the command is killed. Throws ExecUnavailable when
   * the container is not running.
   */
  exec(uid: string, container: string, command: string[], timeoutMs: number): Promise<ExecResult>;
  /**
   * The command with its stdin, stdout and stderr streamed (no terminal): `kubectl exec -i`. The
   * cri driver enters the running container's namespaces and root (nsenter), with its environment;
   * the process driver runs a process beside it. Throws ExecUnavailable when it is not running.
   */
  execStream(uid: string, container: string, command: string[]): Promise<ExecSession>;
  /** stops and removes the pod's containers, sandbox, network and logs; nothing is left behind */
  removePod(uid: string): Promise<void>;
  close(): Promise<void>;
}

export interface DriverLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export const quietLogger: DriverLogger = { info: () => undefined, warn: () => undefined };

/** Labels the drivers put on what they create (CRI sandboxes and containers). */
export const LABELS = {
  managed: 'edgeplane.io/managed',
  podUid: 'edgeplane.io/pod-uid',
  podName: 'edgeplane.io/pod-name',
  podNamespace: 'edgeplane.io/pod-namespace',
  container: 'edgeplane.io/container',
  specHash: 'edgeplane.io/spec-hash',
} as const;

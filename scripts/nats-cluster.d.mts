// Types of scripts/nats-cluster.mjs for the TypeScript that imports it (bench/chaos.bench.ts).
import type { ChildProcess } from 'node:child_process';

export const NATS_SERVER_BIN: string;

export interface NatsNode {
  name: string;
  port: number;
  routePort: number;
  storeDir: string;
  url: string;
  child: ChildProcess | undefined;
  readonly running: boolean;
  start(): ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
  waitReady(timeoutMs?: number): Promise<void>;
}

export interface NatsCluster {
  url: string;
  servers: string[];
  nodes: NatsNode[];
  dir: string;
  byName(name: string): NatsNode | undefined;
  stop(): Promise<void>;
}

export function startNatsCluster(options?: {
  nodes?: number;
  clientPort?: number;
  dir?: string;
  clusterName?: string;
  log?: (message: string) => void;
  /** a closed bus: the authorization block every node includes (scripts/nats-auth.mjs) */
  authFile?: string;
  /** how this script connects to a closed bus (the admin user) */
  admin?: { seedFile: string; inboxPrefix: string };
  /** one node without a cluster block */
  standalone?: boolean;
  /** every line a node writes to stderr (its log: permission violations, errors) */
  onStderrLine?: (line: string) => void;
}): Promise<NatsCluster>;

export function waitForMetaLeader(url: string, timeoutMs?: number, connectOptions?: object): Promise<void>;

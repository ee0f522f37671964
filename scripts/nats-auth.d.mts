// Types of scripts/nats-auth.mjs for the TypeScript that imports it (e2e/bus-forgery.int.spec.ts).

export interface BusDeclarations {
  streams: Record<string, { name: string; subjects: readonly string[] }>;
  /** subjects of the public events (the subscriber users' read rights) */
  publicSubjects: string[];
}

export interface BusUser {
  seedFile: string;
  inboxPrefix: string;
  publicKey: string;
  /** what a process of this user needs: NATS_NKEY_SEED_FILE, NATS_INBOX_PREFIX */
  env: Record<string, string>;
}

export interface BusPermissions {
  publish: { allow: string[] };
  subscribe: { allow: string[] };
}

export const DEFAULT_NATS_AUTH_DIR: string;
export const SERVICE_USERS: Record<string, { publishes: string[]; reads: string[]; buckets?: string[] }>;
export const SUBSCRIBER_USERS: string[];
export const ADMIN_USER: string;
export function allBusUsers(subscribers?: string[]): string[];
export function inboxPrefixOf(user: string): string;
export function subscriberDurable(user: string, logicalSubject: string, env?: string): string;
export function busPermissions(options: {
  env?: string;
  declarations: BusDeclarations;
  subscribers?: string[];
}): Record<string, BusPermissions>;
export function writeNatsAuth(options: {
  dir?: string;
  env?: string;
  declarations: BusDeclarations;
  subscribers?: string[];
}): Promise<{ dir: string; configFile: string; users: Record<string, BusUser> }>;
export function natsAuthInclude(configDir: string, authFile: string): string;
export function natsServerConfig(options: {
  port: number;
  storeDir: string;
  authFile: string;
  configDir: string;
  serverName?: string;
}): string;
export function natsConnectOptions(user?: { seedFile: string; inboxPrefix: string }): Promise<object>;
export function loadBusDeclarations(): Promise<BusDeclarations>;
export const BUS_BUCKETS: Record<string, (env: NodeJS.ProcessEnv) => object>;
export function provisionBuckets(
  nc: unknown,
  options?: { env?: string; processEnv?: NodeJS.ProcessEnv },
): Promise<string[]>;
export function provisionStreams(
  url: string,
  admin: { seedFile: string; inboxPrefix: string },
): Promise<string[]>;

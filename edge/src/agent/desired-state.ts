import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PodSpec } from '../runtime/types.js';
import { MAX_SERVICES, servicesFromCache, type UnitService } from './discovery.js';
import { MAX_PODS } from './pods.js';
import { boolean, integer, isObject, object, Problems, string, type Json } from './validate.js';

/** The desired state as the agent keeps it (and as state/desired.json holds it). */
export interface DesiredState {
  version: string;
  peers: { name: string; address: string }[];
  remoteLogin: boolean;
  settings: { heartbeatPeriodSeconds: number; probePeriodSeconds: number; probeTimeoutMs: number };
  generatedAt: string;
  /** the pods to run (a cache written before pods existed has none); checked by the runtime */
  pods: PodSpec[];
  /** the runtime the cloud placed them for (informational) */
  runtime?: string;
  /** the ServiceGrids of the node's unit with their ready endpoints in it (a cache from before: none) */
  services: UnitService[];
}

/** Reads a cache file's content back; undefined when it is not one (then it is not served). */
export function parseCacheFile(
  json: unknown,
): { clusterId: string; nodeName: string; desired: DesiredState } | undefined {
  const p = new Problems();
  if (!isObject(json)) return undefined;
  const d = object(json.desired, 'desired', p);
  const s = object(d.settings, 'desired.settings', p);
  const peers = Array.isArray(d.peers) ? d.peers : (p.add('desired.peers', 'must be a list'), []);
  const services = servicesFromCache(d.services);
  if (!services) p.add('desired.services', `must be a list of at most ${MAX_SERVICES} services`);
  const desired: DesiredState = {
    version: string(d.version, 'desired.version', p),
    peers: peers.map((x: unknown, i: number) => {
      const peer: Json = isObject(x) ? x : (p.add(`desired.peers.${i}`, 'must be an object'), {});
      return {
        name: string(peer.name, `desired.peers.${i}.name`, p),
        address: string(peer.address, `desired.peers.${i}.address`, p),
      };
    }),
    remoteLogin: boolean(d.remoteLogin, 'desired.remoteLogin', p),
    settings: {
      heartbeatPeriodSeconds: integer(s.heartbeatPeriodSeconds, 'heartbeatPeriodSeconds', p, 1, 3600),
      probePeriodSeconds: integer(s.probePeriodSeconds, 'probePeriodSeconds', p, 1, 3600),
      probeTimeoutMs: integer(s.probeTimeoutMs, 'probeTimeoutMs', p, 1, 600_000),
    },
    generatedAt: string(d.generatedAt, 'desired.generatedAt', p),
    // each pod is validated by the runtime before it runs (a refused one is reported, not run)
    pods: podsOf(d.pods, p),
    ...(typeof d.runtime === 'string' && d.runtime ? { runtime: d.runtime } : {}),
    services: services ?? [],
  };
  const clusterId = string(json.clusterId, 'clusterId', p);
  const nodeName = string(json.nodeName, 'nodeName', p);
  return p.ok ? { clusterId, nodeName, desired } : undefined;
}

function podsOf(v: unknown, p: Problems): PodSpec[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > MAX_PODS) {
    p.add('desired.pods', `must be a list of at most ${MAX_PODS} pods`);
    return [];
  }
  v.forEach((x, i) => {
    if (!isObject(x) || typeof x.uid !== 'string' || !Array.isArray(x.containers))
      p.add(`desired.pods.${i}`, 'must be a pod (uid, containers)');
  });
  return v as PodSpec[];
}

/**
 * The on-disk cache of the node's desired state (F-TU-4): written (atomically: temp file + rename)
 * whenever the cloud sends a new version, read at start so the agent keeps doing what it was last
 * told while the cloud is away, and replaced on reconnect by what the cloud says now.
 */
export class DesiredStateCache {
  private readonly file: string;

  constructor(
    stateDir: string,
    private readonly identity: { clusterId: string; nodeName: string },
  ) {
    this.file = path.join(stateDir, 'desired.json');
  }

  load(): DesiredState | undefined {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return undefined;
    }
    const parsed = parseCacheFile(json);
    // a cache of another node or cluster (a reused home) is not ours to serve
    if (!parsed || parsed.clusterId !== this.identity.clusterId || parsed.nodeName !== this.identity.nodeName)
      return undefined;
    return parsed.desired;
  }

  save(desired: DesiredState): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(
      tmp,
      JSON.stringify({ ...this.identity, savedAt: new Date().toISOString(), desired }, null, 2) + '\n',
    );
    renameSync(tmp, this.file);
  }
}

/** Writes a small JSON file atomically (status.json). */
export function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, file);
}

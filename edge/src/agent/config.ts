import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  integer,
  object,
  oneOf,
  optionalString,
  Problems,
  string,
  stringArray,
  isObject,
} from './validate.js';

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;
const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
const DRIVERS = ['none', 'process', 'cri'] as const;

/**
 * agent.json (docs/tunnel.md "Files under $EDGEPLANE_HOME"), written by edgectl at install.
 * File paths are relative to the directory agent.json is in; every port and address can be set,
 * so many agents run on one machine. Defaults are the documented ports.
 */
export interface AgentConfigFile {
  clusterId: string;
  nodeName: string;
  /** host:port of the gateway's tunnel port (from /v1/join/redeem) */
  tunnelAddress: string;
  /** TLS name to check instead of the tunnel address's host */
  serverName?: string;
  files: { key: string; cert: string; gatewayCa: string; stateDir: string; pid: string };
  listen: {
    host: string;
    /** HTTP/HTTPS (CONNECT) proxy for other sites (F-TU-2); 0 = off */
    proxyPort: number;
    /** peers probe this node here (TCP connect) */
    probePort: number;
    /** local status: GET /healthz, GET /status; 0 = off */
    statusPort: number;
    /** UDP DNS responder for this unit's ServiceGrids (`<svc>.<ns>.svc.cluster.local`); 0 = off (default) */
    dnsPort?: number;
  };
  /** the node's addresses as reported in Hello (default: the non-internal interface addresses) */
  ips?: string[];
  /** local address outbound relay and proxy connections are made from */
  dialFrom?: string;
  /** what remote login/exec may reach on this node (F-TU-3), by name, e.g. { "ssh": "127.0.0.1:22" } */
  relayTargets: Record<string, string>;
  /** addresses the proxy always dials itself (its own site), besides the node's own ips */
  directHosts: string[];
  reconnect: { minMs: number; maxMs: number };
  logLevel: (typeof LOG_LEVELS)[number];
  /**
   * What runs the pods the cloud assigns to the node: `cri` (containerd's CRI on `criSocket`),
   * `process` (each container's command as a local process) or `none` (the default: assigned
   * pods are not run, and the runtime's code is never loaded).
   */
  runtime: {
    driver: (typeof DRIVERS)[number];
    criSocket?: string;
    /** how often every pod is ensured (probes, restarts), ms */
    periodMs: number;
  };
  /**
   * What the node offers pods (reported to the cloud, which places pods against it); each field
   * left out is taken from the host (cgroup limits, else CPUs and memory). The environment
   * (EDGEPLANE_ALLOCATABLE_CPU/MEMORY/PODS) overrides it. See allocatable.ts.
   */
  allocatable?: { cpuMilli?: number; memoryMib?: number; pods?: number };
}

export interface AgentConfig extends AgentConfigFile {
  /** the directory agent.json is in ($EDGEPLANE_HOME) */
  home: string;
  paths: { key: string; cert: string; gatewayCa: string; stateDir: string; pid: string };
}

/** Validates agent.json's content; the problems name their paths (e.g. `listen.proxyPort: must be…`). */
export function parseAgentConfig(
  json: unknown,
): { ok: true; config: AgentConfigFile } | { ok: false; problems: string[] } {
  const p = new Problems();
  const c = object(json, '', p);
  const files = object(c.files, 'files', p);
  const listen = object(c.listen, 'listen', p);
  const reconnect = object(c.reconnect, 'reconnect', p);
  const relayTargets: Record<string, string> = {};
  const targets = object(c.relayTargets, 'relayTargets', p);
  for (const [name, address] of Object.entries(targets)) {
    if (!/^[a-z0-9-]{1,32}$/.test(name)) p.add(`relayTargets.${name}`, 'names are 1–32 of a-z, 0-9, -');
    relayTargets[name] = string(address, `relayTargets.${name}`, p, {
      pattern: HOST_PORT,
      patternText: 'must be host:port',
    });
  }
  const port = (v: unknown, at: string, fallback: number) => integer(v, at, p, 0, 65535, fallback);
  const runtime = object(c.runtime, 'runtime', p);
  const driver = oneOf(runtime.driver, 'runtime.driver', p, DRIVERS, 'none');
  const criSocket = optionalString(runtime.criSocket, 'runtime.criSocket', p);
  if (driver === 'cri' && !criSocket) p.add('runtime.criSocket', 'is required with driver cri');
  const alloc = object(c.allocatable, 'allocatable', p);
  const allocField = (key: 'cpuMilli' | 'memoryMib' | 'pods', max: number) =>
    alloc[key] === undefined ? {} : { [key]: integer(alloc[key], `allocatable.${key}`, p, 1, max, 1) };
  const config: AgentConfigFile = {
    clusterId: string(c.clusterId, 'clusterId', p, { min: 1, max: 128 }),
    nodeName: string(c.nodeName, 'nodeName', p, { min: 1, max: 253 }),
    tunnelAddress: string(c.tunnelAddress, 'tunnelAddress', p, {
      pattern: HOST_PORT,
      patternText: 'must be host:port',
    }),
    serverName: optionalString(c.serverName, 'serverName', p),
    files: {
      key: optionalString(files.key, 'files.key', p, 'node.key')!,
      cert: optionalString(files.cert, 'files.cert', p, 'node.crt')!,
      gatewayCa: optionalString(files.gatewayCa, 'files.gatewayCa', p, 'gateway-ca.crt')!,
      stateDir: optionalString(files.stateDir, 'files.stateDir', p, 'state')!,
      pid: optionalString(files.pid, 'files.pid', p, 'agent.pid')!,
    },
    listen: {
      host: optionalString(listen.host, 'listen.host', p, '0.0.0.0')!,
      proxyPort: port(listen.proxyPort, 'listen.proxyPort', 8080),
      probePort: port(listen.probePort, 'listen.probePort', 51005),
      statusPort: port(listen.statusPort, 'listen.statusPort', 51010),
      dnsPort: port(listen.dnsPort, 'listen.dnsPort', 0),
    },
    ips: c.ips === undefined ? undefined : stringArray(c.ips, 'ips', p, 16, 45),
    dialFrom: optionalString(c.dialFrom, 'dialFrom', p),
    relayTargets,
    directHosts: c.directHosts === undefined ? [] : stringArray(c.directHosts, 'directHosts', p, 256, 253),
    reconnect: {
      minMs: integer(reconnect.minMs, 'reconnect.minMs', p, 10, 3_600_000, 250),
      maxMs: integer(reconnect.maxMs, 'reconnect.maxMs', p, 100, 3_600_000, 3000),
    },
    logLevel: oneOf(c.logLevel, 'logLevel', p, LOG_LEVELS, 'info'),
    runtime: {
      driver,
      ...(criSocket ? { criSocket } : {}),
      periodMs: integer(runtime.periodMs, 'runtime.periodMs', p, 100, 600_000, 1000),
    },
    ...(c.allocatable === undefined
      ? {}
      : {
          allocatable: {
            ...allocField('cpuMilli', 2 ** 31 - 1),
            ...allocField('memoryMib', 2 ** 31 - 1),
            ...allocField('pods', 10_000),
          },
        }),
  };
  return p.ok ? { ok: true, config } : { ok: false, problems: p.list };
}

export function loadAgentConfig(file: string): AgentConfig {
  const home = path.dirname(path.resolve(file));
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (!isObject(json)) throw new Error(`invalid ${file}: must be a JSON object`);
  const parsed = parseAgentConfig(json);
  if (!parsed.ok) throw new Error(`invalid ${file}:\n${parsed.problems.map((l) => `  ${l}`).join('\n')}`);
  const c = parsed.config;
  const at = (p: string) => path.resolve(home, p);
  return {
    ...c,
    runtime: c.runtime.criSocket
      ? { ...c.runtime, criSocket: path.resolve(home, c.runtime.criSocket) }
      : c.runtime,
    home,
    paths: {
      key: at(c.files.key),
      cert: at(c.files.cert),
      gatewayCa: at(c.files.gatewayCa),
      stateDir: at(c.files.stateDir),
      pid: at(c.files.pid),
    },
  };
}

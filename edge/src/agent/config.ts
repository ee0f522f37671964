import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);
const hostPort = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port');

/**
 * agent.json (docs/tunnel.md "Files under $EDGEPLANE_HOME"), written by edgectl at install.
 * File paths are relative to the directory agent.json is in; every port and address can be set,
 * so many agents run on one machine.
 */
export const AgentConfigSchema = z.object({
  clusterId: z.string().min(1),
  nodeName: z.string().min(1).max(253),
  /** host:port of the gateway's tunnel port (from /v1/join/redeem) */
  tunnelAddress: hostPort,
  /** TLS name to check instead of the tunnel address's host */
  serverName: z.string().optional(),
  files: z
    .object({
      key: z.string().default('node.key'),
      cert: z.string().default('node.crt'),
      gatewayCa: z.string().default('gateway-ca.crt'),
      stateDir: z.string().default('state'),
      pid: z.string().default('agent.pid'),
    })
    .default({
      key: 'node.key',
      cert: 'node.crt',
      gatewayCa: 'gateway-ca.crt',
      stateDir: 'state',
      pid: 'agent.pid',
    }),
  listen: z
    .object({
      host: z.string().default('0.0.0.0'),
      /** HTTP/HTTPS (CONNECT) proxy for other sites (F-TU-2); 0 = off */
      proxyPort: port.default(8080),
      /** peers probe this node here (TCP connect) */
      probePort: port.default(51005),
      /** local status: GET /healthz, GET /status; 0 = off */
      statusPort: port.default(51010),
    })
    .default({ host: '0.0.0.0', proxyPort: 8080, probePort: 51005, statusPort: 51010 }),
  /** the node's addresses as reported in Hello (default: the non-internal interface addresses) */
  ips: z.array(z.string().max(45)).max(16).optional(),
  /** local address outbound relay and proxy connections are made from */
  dialFrom: z.string().optional(),
  /** what remote login/exec may reach on this node (F-TU-3), by name, e.g. { "ssh": "127.0.0.1:22" } */
  relayTargets: z.record(z.string().regex(/^[a-z0-9-]{1,32}$/), hostPort).default({}),
  /** addresses the proxy always dials itself (its own site), besides the node's own ips */
  directHosts: z.array(z.string()).default([]),
  reconnect: z
    .object({ minMs: z.number().int().min(10).default(250), maxMs: z.number().int().min(100).default(3000) })
    .default({ minMs: 250, maxMs: 3000 }),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});
export type AgentConfigFile = z.infer<typeof AgentConfigSchema>;

export interface AgentConfig extends AgentConfigFile {
  /** the directory agent.json is in ($EDGEPLANE_HOME) */
  home: string;
  paths: { key: string; cert: string; gatewayCa: string; stateDir: string; pid: string };
}

export function loadAgentConfig(file: string): AgentConfig {
  const home = path.dirname(path.resolve(file));
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = AgentConfigSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new Error(`invalid ${file}:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const at = (p: string) => path.resolve(home, p);
  return {
    ...c,
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

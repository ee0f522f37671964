import http from 'node:http';
import { loadAgentConfig, type AgentConfig } from '../agent/config.js';
import { agentRunner, type AgentRunner } from './agent-runner.js';
import { homeFiles } from './layout.js';

/** What the agent's status endpoint says (edge/src/agent/agent.ts `status()`), the parts edgectl reads. */
export interface AgentStatus {
  pid: number;
  clusterId: string;
  nodeName: string;
  agentVersion: string;
  connected: boolean;
  replica: string | null;
  connectedSince: string | null;
  desired: { version: string; source: 'cache' | 'cloud'; peers: { name: string }[] } | null;
  heartbeatsSent: number;
}

/** GET /status of the agent of this config (undefined when it does not answer). */
export function readAgentStatus(config: AgentConfig, timeoutMs = 2000): Promise<AgentStatus | undefined> {
  const { host, statusPort } = config.listen;
  if (statusPort === 0) return Promise.resolve(undefined);
  const target = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return new Promise((resolve) => {
    const req = http.get({ host: target, port: statusPort, path: '/status', agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        try {
          resolve(
            res.statusCode === 200 ? (JSON.parse(Buffer.concat(parts).toString()) as AgentStatus) : undefined,
          );
        } catch {
          resolve(undefined);
        }
      });
      res.on('error', () => resolve(undefined));
    });
    req.on('error', () => resolve(undefined));
    req.setTimeout(timeoutMs, () => req.destroy());
  });
}

export interface NodeStatus {
  home: string;
  installed: boolean;
  nodeName?: string;
  clusterId?: string;
  tunnelAddress?: string;
  runner: AgentRunner;
  agent?: AgentStatus;
}

/** `edgectl status`: the identity in the home, what runs the agent, and what the agent says. */
export async function nodeStatus(home: string): Promise<NodeStatus> {
  const runner = agentRunner(home);
  let config: AgentConfig;
  try {
    config = loadAgentConfig(homeFiles(home).config);
  } catch {
    return { home, installed: false, runner };
  }
  return {
    home,
    installed: true,
    nodeName: config.nodeName,
    clusterId: config.clusterId,
    tunnelAddress: config.tunnelAddress,
    runner,
    agent: await readAgentStatus(config),
  };
}

export function formatStatus(s: NodeStatus): string {
  if (!s.installed) return `no edge node is installed in ${s.home}\n`;
  const runner =
    s.runner.kind === 'systemd'
      ? `systemd unit ${s.runner.unit} (${s.runner.active ? 'active' : 'inactive'})`
      : s.runner.kind === 'supervised'
        ? `supervised in the background (supervisor pid ${s.runner.supervisorPid}${s.runner.agentPid ? `, agent pid ${s.runner.agentPid}` : ''})`
        : 'not running';
  const a = s.agent;
  const rows: [string, string][] = [
    ['node', s.nodeName ?? ''],
    ['cluster', s.clusterId ?? ''],
    ['home', s.home],
    ['agent', runner],
    [
      'tunnel',
      !a
        ? `unknown (the agent's status endpoint does not answer)`
        : a.connected
          ? `connected to ${s.tunnelAddress} (replica ${a.replica ?? '?'}, since ${a.connectedSince ?? '?'})`
          : `disconnected (dialling ${s.tunnelAddress})`,
    ],
    [
      'desired state',
      a?.desired
        ? `version ${a.desired.version} from the ${a.desired.source}, ${a.desired.peers.length} peer(s)`
        : 'none yet',
    ],
    ['heartbeats', a ? `${a.heartbeatsSent} sent` : '-'],
  ];
  return rows.map(([k, v]) => `${`${k}:`.padEnd(15)}${v}`).join('\n') + '\n';
}

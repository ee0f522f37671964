import path from 'node:path';

/** $EDGEPLANE_HOME when neither --home nor the variable says otherwise (docs/tunnel.md). */
export const DEFAULT_HOME = '/var/lib/edgeplane';

export function resolveHome(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(flag || env.EDGEPLANE_HOME || DEFAULT_HOME);
}

/**
 * What edgectl writes under $EDGEPLANE_HOME, and so what `clear` may remove (docs/tunnel.md
 * "Files under $EDGEPLANE_HOME"; the agent's own files are named in its agent.json defaults).
 */
export function homeFiles(home: string) {
  const at = (name: string) => path.join(home, name);
  return {
    key: at('node.key'),
    cert: at('node.crt'),
    gatewayCa: at('gateway-ca.crt'),
    config: at('agent.json'),
    agent: at('agent.mjs'),
    stateDir: at('state'),
    agentPid: at('agent.pid'),
    supervisorPid: at('supervisor.pid'),
    agentLog: at('agent.log'),
    installLog: at('install.log'),
  };
}
export type HomeFiles = ReturnType<typeof homeFiles>;

/**
 * The systemd unit of the agent of this home: `edgeplane-agent` for the default home, else one
 * named after the home, so several homes (nodes) on one machine get a unit each.
 */
export function unitName(home: string): string {
  if (home === DEFAULT_HOME) return 'edgeplane-agent.service';
  const slug = home
    .replace(/^\/+|\/+$/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .slice(-64);
  return `edgeplane-agent-${slug}.service`;
}

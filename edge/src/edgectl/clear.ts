import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { agentRunner, stopAgent } from './agent-runner.js';
import { homeFiles } from './layout.js';

/** What `clear` would remove in this home, as lines to show before removing it. */
export function clearPlan(home: string, options: { keepInstallLog?: boolean } = {}): string[] {
  const runner = agentRunner(home);
  const lines: string[] = [];
  if (runner.kind === 'systemd')
    lines.push(`the agent's systemd unit ${runner.unit} (stopped, disabled, ${runner.unitFile} removed)`);
  if (runner.kind === 'supervised')
    lines.push(
      `the agent (supervised in the background: supervisor pid ${runner.supervisorPid}${runner.agentPid ? `, agent pid ${runner.agentPid}` : ''})`,
    );
  if (runner.kind === 'none' && runner.strayAgentPid)
    lines.push(`the agent process (pid ${runner.strayAgentPid})`);
  const files = homeFiles(home);
  for (const [what, file] of Object.entries(files)) {
    if (what === 'installLog' && options.keepInstallLog) continue;
    if (existsSync(file)) lines.push(file + (what === 'key' ? " (the node's private key)" : ''));
  }
  return lines;
}

/**
 * `edgectl clear` (F-NO-4): stops the agent and removes what edgectl wrote under the home (the
 * identity, the agent, its config, cache and logs), then the home itself if nothing else is in it.
 * Files it did not write stay.
 */
export async function clearHome(home: string, options: { keepInstallLog?: boolean } = {}): Promise<void> {
  await stopAgent(home);
  const files = homeFiles(home);
  for (const [what, file] of Object.entries(files)) {
    if (what === 'installLog' && options.keepInstallLog) continue;
    rmSync(file, { recursive: true, force: true });
  }
  try {
    if (existsSync(home) && readdirSync(home).length === 0) rmdirSync(home);
  } catch {
    /* not ours to remove */
  }
}

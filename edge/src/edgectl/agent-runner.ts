import { spawn, execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { realHost } from './check.js';
import { homeFiles, unitName } from './layout.js';
import { AGENT_NODE_FLAGS, AGENT_PROCESS_ENV } from '../agent/process-limits.js';

/**
 * How the agent of a home runs (F-NO-3): a systemd unit where systemd runs, else a small
 * supervisor of edgectl's own (`edgectl supervise`, detached, restarting the agent when it exits).
 */
export type AgentRunner =
  | { kind: 'systemd'; unit: string; unitFile: string; active: boolean }
  | { kind: 'supervised'; supervisorPid: number; agentPid: number | undefined }
  | { kind: 'none'; strayAgentPid: number | undefined };

const UNIT_DIR = '/etc/systemd/system';

export function systemdRuns(): boolean {
  return existsSync('/run/systemd/system') && realHost.onPath('systemctl');
}

/** What runs the agent of this home now. */
export function agentRunner(home: string): AgentRunner {
  const files = homeFiles(home);
  const unit = unitName(home);
  const unitFile = path.join(UNIT_DIR, unit);
  if (existsSync(unitFile)) {
    let active = false;
    try {
      active = execFileSync('systemctl', ['is-active', unit], { encoding: 'utf8' }).trim() === 'active';
    } catch {
      active = false;
    }
    return { kind: 'systemd', unit, unitFile, active };
  }
  const supervisorPid = livePid(
    files.supervisorPid,
    (cmd) => cmd.includes('supervise') && cmd.includes(home),
  );
  const agentPid = livePid(files.agentPid, (cmd) => cmd.includes(files.config));
  if (supervisorPid) return { kind: 'supervised', supervisorPid, agentPid };
  return { kind: 'none', strayAgentPid: agentPid };
}

/** The command line that runs the agent of this home. */
export function agentCommand(home: string): string[] {
  const files = homeFiles(home);
  return [process.execPath, ...AGENT_NODE_FLAGS, files.agent, '--config', files.config];
}

/**
 * Starts the agent: a systemd unit (inside the network namespace edgectl runs in, if it is a
 * named one) or the supervisor in the background. Returns how it runs.
 */
export function startAgent(home: string, useSystemd: boolean): AgentRunner {
  const files = homeFiles(home);
  if (useSystemd) {
    const unit = unitName(home);
    const unitFile = path.join(UNIT_DIR, unit);
    const netns = namedNetworkNamespace();
    writeFileSync(
      unitFile,
      [
        '[Unit]',
        `Description=Edgeplane edge agent (${home})`,
        'After=network-online.target',
        'Wants=network-online.target',
        '',
        '[Service]',
        `ExecStart=${agentCommand(home).join(' ')}`,
        ...Object.entries(AGENT_PROCESS_ENV).map(([k, v]) => `Environment=${k}=${v}`),
        'Restart=always',
        'RestartSec=2',
        `StandardOutput=append:${files.agentLog}`,
        `StandardError=append:${files.agentLog}`,
        ...(netns ? [`NetworkNamespacePath=${netns}`] : []),
        '',
        '[Install]',
        'WantedBy=multi-user.target',
        '',
      ].join('\n'),
    );
    execFileSync('systemctl', ['daemon-reload']);
    execFileSync('systemctl', ['enable', '--now', unit]);
    return { kind: 'systemd', unit, unitFile, active: true };
  }
  const log = openSync(files.agentLog, 'a', 0o600);
  const script = process.argv[1];
  if (!script) throw new Error('cannot tell where edgectl itself is to start its supervisor');
  const child = spawn(process.execPath, [...process.execArgv, script, 'supervise', '--home', home], {
    detached: true,
    stdio: ['ignore', log, log],
    env: agentEnv(),
  });
  closeSync(log);
  child.unref();
  return { kind: 'supervised', supervisorPid: child.pid ?? 0, agentPid: undefined };
}

/** Stops whatever runs the agent of this home (and a stray agent); waits until they are gone. */
export async function stopAgent(home: string): Promise<void> {
  const runner = agentRunner(home);
  const files = homeFiles(home);
  if (runner.kind === 'systemd') {
    try {
      execFileSync('systemctl', ['disable', '--now', runner.unit], { stdio: 'ignore' });
    } catch {
      /* already stopped or unknown */
    }
    rmSync(runner.unitFile, { force: true });
    try {
      execFileSync('systemctl', ['daemon-reload'], { stdio: 'ignore' });
    } catch {
      /* nothing to reload */
    }
  } else if (runner.kind === 'supervised') {
    await terminate(runner.supervisorPid);
    if (runner.agentPid) await terminate(runner.agentPid);
  } else if (runner.strayAgentPid) {
    await terminate(runner.strayAgentPid);
  }
  rmSync(files.supervisorPid, { force: true });
  rmSync(files.agentPid, { force: true });
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the process is gone. */
export async function terminate(pid: number, graceMs = 10_000): Promise<void> {
  if (!alive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    while (alive(pid)) await new Promise((r) => setTimeout(r, 20));
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // a zombie still answers signal 0
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pid in a pid file, if that process is alive and its command line is the expected one. */
function livePid(file: string, matches: (cmdline: string) => boolean): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    return matches(cmdline) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The environment the agent gets: edgectl's, without the join token and the other EDGEPLANE_* inputs. */
export function agentEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('EDGEPLANE_'))),
    ...AGENT_PROCESS_ENV,
  };
}

/** /run/netns/<name> when edgectl runs inside a named network namespace (`ip netns exec`). */
export function namedNetworkNamespace(): string | undefined {
  try {
    const own = statSync('/proc/self/ns/net').ino;
    for (const name of readdirSync('/run/netns')) {
      const file = path.join('/run/netns', name);
      if (statSync(file).ino === own) return file;
    }
  } catch {
    /* no named namespaces */
  }
  return undefined;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { agentCommand, agentEnv } from './agent-runner.js';
import { homeFiles } from './layout.js';

/**
 * `edgectl supervise --home H` (hidden; started detached by `install` where systemd does not run):
 * runs the agent, restarts it whenever it exits (after 1 s, doubling to 30 s while it keeps dying
 * within a minute), and on SIGTERM stops it and exits. Its output goes to agent.log.
 */
export async function supervise(home: string): Promise<void> {
  const files = homeFiles(home);
  writeFileSync(files.supervisorPid, `${process.pid}\n`);
  let child: ChildProcess | undefined;
  let stopping = false;
  let delayMs = 500;
  const line = (msg: string) =>
    process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), level: 'info', supervisor: process.pid, msg })}\n`,
    );

  const stop = () => {
    if (stopping) return;
    stopping = true;
    line('supervisor stopping the agent');
    if (!child || child.exitCode !== null || child.signalCode !== null) return finish();
    const kill = setTimeout(() => child?.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      finish();
    });
    child.kill('SIGTERM');
  };
  const finish = () => {
    rmSync(files.supervisorPid, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  for (;;) {
    const [command, ...args] = agentCommand(home);
    const started = Date.now();
    child = spawn(command!, args, { stdio: ['ignore', 'inherit', 'inherit'], env: agentEnv() });
    line(`agent started (pid ${child.pid})`);
    const exit = await new Promise<string>((resolve) =>
      child!.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)),
    );
    if (stopping) return;
    delayMs = Date.now() - started > 60_000 ? 1000 : Math.min(delayMs * 2, 30_000);
    line(`agent exited (${exit}); restarting in ${delayMs} ms`);
    await new Promise((r) => setTimeout(r, delayMs));
    if (stopping) return;
  }
}

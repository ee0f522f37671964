#!/usr/bin/env node
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { checkEnvironment, realHost } from './check.js';
import { parseCpu, parseMemoryMib } from '../agent/allocatable.js';
import { clearHome, clearPlan } from './clear.js';
import { install, InstallError } from './install.js';
import { resolveHome } from './layout.js';
import { systemdRuns } from './agent-runner.js';
import { formatStatus, nodeStatus } from './status.js';
import { supervise } from './supervisor.js';

/**
 * edgectl — the node side of a join (docs/tunnel.md "edgectl"; SPEC F-NO-2…4). One file once
 * bundled (`#!/usr/bin/env node`), downloaded by the join command from /v1/join/edgectl.
 * Exit codes: check → the number of risks; install/clear/status → 0 on success, 1 on failure,
 * 2 on bad usage.
 */
const program = new Command('edgectl')
  .description('Join this machine to an Edgeplane cluster as an edge node, check it, or remove it')
  .showHelpAfterError()
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

const homeOption = () =>
  new Option('--home <dir>', 'where the node identity and the agent live')
    .env('EDGEPLANE_HOME')
    .default(undefined, '/var/lib/edgeplane');
const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port (0–65535)');
  return n;
};
const quantity = (parse: (text: string) => number | undefined, what: string) => (value: string) => {
  const n = parse(value);
  if (n === undefined) throw new InvalidArgumentError(`must be ${what}`);
  return n;
};
const relayTarget = (value: string, previous: Record<string, string>) => {
  const m = /^([a-z0-9-]{1,32})=((?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5})$/.exec(value);
  if (!m) throw new InvalidArgumentError('must be name=host:port, e.g. ssh=127.0.0.1:22');
  return { ...previous, [m[1]!]: m[2]! };
};

program
  .command('check')
  .description('check this machine for what would get in the way of an edge node (one WARN line per risk)')
  .action(() => {
    const risks = checkEnvironment(realHost);
    for (const risk of risks) process.stdout.write(`WARN ${risk}\n`);
    process.stdout.write('Check Environment Finish!\n');
    process.exit(Math.min(risks.length, 255));
  });

program
  .command('install')
  .description('join this machine as node NAME and start the agent (runs clear first)')
  .requiredOption('-n, --name <name>', 'node name (DNS-1123 subdomain, not an IP address)')
  .option('-i, --interface <iface>', 'the interface the node is known by (default: the default route)')
  .addOption(new Option('-s, --server <url>', 'join server URL').env('EDGEPLANE_SERVER'))
  .addOption(new Option('-t, --token <token>', 'join token <id>.<secret>').env('EDGEPLANE_JOIN_TOKEN'))
  .addOption(new Option('--ca-hash <sha256:hex>', "the gateway CA's pinned hash").env('EDGEPLANE_CA_HASH'))
  .addOption(new Option('--container-dir <dir>', 'container directory').env('EDGEPLANE_CONTAINER_DIR'))
  .addOption(homeOption())
  .option('--proxy-port <port>', "the agent's HTTP proxy for other sites", port, 8080)
  .option('--probe-port <port>', 'where peers probe this node', port, 51005)
  .option('--status-port <port>', "the agent's local status endpoint", port, 51010)
  .option(
    '--relay-target <name=host:port>',
    'what remote login (edgeplane node ssh) may reach here; repeatable',
    relayTarget,
    {},
  )
  .addOption(
    new Option('--runtime <driver>', 'what runs the pods assigned to this node (agent.json runtime.driver)')
      .choices(['none', 'process', 'cri'])
      .env('EDGEPLANE_RUNTIME')
      .default('none'),
  )
  .addOption(
    new Option('--cri-socket <path>', "containerd's socket, for --runtime cri").env('EDGEPLANE_CRI_SOCKET'),
  )
  .addOption(
    new Option('--allocatable-cpu <cpu>', 'CPU this node offers pods, e.g. 2 or 500m (default: the host)')
      .env('EDGEPLANE_ALLOCATABLE_CPU')
      .argParser(quantity(parseCpu, 'a CPU quantity such as 2 or 500m')),
  )
  .addOption(
    new Option('--allocatable-memory <bytes>', 'memory this node offers pods, e.g. 4Gi (default: the host)')
      .env('EDGEPLANE_ALLOCATABLE_MEMORY')
      .argParser(quantity(parseMemoryMib, 'a memory quantity such as 4Gi or 512Mi')),
  )
  .option('--timeout <seconds>', 'how long to wait for the agent to connect', (v) => Number(v) * 1000, 60_000)
  .option('--no-systemd', 'supervise the agent in the background even where systemd runs')
  .action(async (o) => {
    const name: string = o.name;
    try {
      await install({
        name,
        interface: o.interface,
        server: (o.server ?? '').replace(/\/+$/, ''),
        caHash: o.caHash ?? '',
        token: o.token ?? '',
        containerDir: o.containerDir,
        home: resolveHome(o.home),
        ports: { proxy: o.proxyPort, probe: o.probePort, status: o.statusPort },
        relayTargets: Object.keys(o.relayTarget).length > 0 ? o.relayTarget : { ssh: '127.0.0.1:22' },
        runtime: { driver: o.runtime, ...(o.criSocket ? { criSocket: path.resolve(o.criSocket) } : {}) },
        ...(o.allocatableCpu || o.allocatableMemory
          ? {
              allocatable: {
                ...(o.allocatableCpu ? { cpuMilli: o.allocatableCpu as number } : {}),
                ...(o.allocatableMemory ? { memoryMib: o.allocatableMemory as number } : {}),
              },
            }
          : {}),
        connectTimeoutMs: o.timeout,
        systemd: o.systemd !== false && systemdRuns(),
        progress: (line) => process.stdout.write(`${line}\n`),
      });
      process.stdout.write(`Install Edge Node: ${name} Success!\n`);
    } catch (error) {
      const reason = error instanceof InstallError ? error.message : (error as Error).stack;
      process.stderr.write(`Install Edge Node: ${name} Failed: ${reason}\n`);
      if (error instanceof InstallError && error.registered) {
        const r = error.registered;
        process.stderr.write(
          `Nothing is left on this node, but cluster ${r.clusterId} has registered node "${r.nodeName}": ` +
            `remove it (edgeplane node remove ${r.nodeName} --cluster ${r.clusterId}) before installing it again.\n`,
        );
      }
      process.exit(1);
    }
  });

program
  .command('clear')
  .description('stop the agent and remove the node identity, the agent and its state (says what first)')
  .addOption(homeOption())
  .action(async (o) => {
    const home = resolveHome(o.home);
    const plan = clearPlan(home);
    if (plan.length === 0) {
      process.stdout.write(`Nothing to clear in ${home}.\n`);
      return;
    }
    process.stdout.write(
      `Clearing the edge node in ${home}; removing:\n${plan.map((l) => `  - ${l}\n`).join('')}`,
    );
    await clearHome(home);
    process.stdout.write('Clear Edge Node Finish!\n');
  });

program
  .command('status')
  .description("the node's identity, how the agent runs and whether it is connected")
  .addOption(homeOption())
  .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
  .action(async (o) => {
    const s = await nodeStatus(resolveHome(o.home));
    process.stdout.write(o.output === 'json' ? `${JSON.stringify(s, null, 2)}\n` : formatStatus(s));
    process.exit(s.agent?.connected ? 0 : 1);
  });

program
  .command('supervise', { hidden: true })
  .description('run and restart the agent of a home (started by install where systemd does not run)')
  .addOption(homeOption())
  .action(async (o) => {
    await supervise(resolveHome(o.home));
  });

await program.parseAsync(process.argv);

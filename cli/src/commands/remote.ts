import { spawn } from 'node:child_process';
import net from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { Command, Option } from 'commander';
import { remoteAccessApi, reportError, serverOf, type RelayCall } from '../client.js';
import { commandGroup } from './command-group.js';

/**
 * `edgeplane node ssh|exec|logs|relay` — reaching a node without a public address through the
 * tunnel (SPEC F-TU-3): the tunnel service's RemoteAccessService.Relay opens a TCP relay to one of
 * the node's relay targets (`ssh` by default: edgectl install offers ssh=127.0.0.1:22), only while
 * the cluster's remote login is on (`edgeplane cluster remote-login CLUSTER on`). ssh and exec run
 * the system ssh client with this CLI as its ProxyCommand, so ssh's own authentication and host
 * keys apply end to end; the tunnel only carries bytes.
 */
interface Target {
  cluster: string;
  target: string;
}
interface SshFlags extends Target {
  user?: string;
  identity?: string;
  sshOption: string[];
}

const clusterOption = () =>
  new Option('--cluster <cluster>', 'cluster name or id').env('EDGEPLANE_CLUSTER').makeOptionMandatory();
const collect = (value: string, previous: string[]) => [...previous, value];

/** Copies bytes both ways between a relay call and a pair of streams; settles when both directions end. */
export function bridge(call: RelayCall, input: Readable, output: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    let inDone = false;
    let outDone = false;
    const settle = () => inDone && outDone && resolve();
    const remoteEnded = () => {
      if (outDone) return;
      outDone = true;
      output.end();
      settle();
    };
    call.on('data', (chunk: { data: Buffer; fin: boolean }) => {
      if (chunk.data.length > 0 && !output.write(chunk.data)) {
        call.pause();
        output.once('drain', () => call.resume());
      }
      if (chunk.fin) remoteEnded();
    });
    call.on('end', remoteEnded);
    call.on('error', (error) => {
      input.unpipe?.();
      reject(error);
    });
    input.on('data', (d: Buffer) => {
      if (!call.write({ data: d })) {
        input.pause();
        call.once('drain', () => input.resume());
      }
    });
    input.on('end', () => {
      call.end();
      inDone = true;
      settle();
    });
    input.on('error', () => call.cancel());
  });
}

/**
 * ssh hands the remote shell ONE string (its arguments joined by spaces), so each argument is
 * quoted to arrive as itself: `exec NAME -- sh -c 'exit 7'` runs exactly that.
 */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command ssh runs to reach the node: this CLI's own `node relay NAME` on stdio. */
function proxyCommand(cmd: Command, node: string, o: Target): string {
  const q = shellQuote;
  const self = [process.execPath, ...process.execArgv, process.argv[1]!].map(q).join(' ');
  const server = serverOf(cmd);
  return `${self}${server ? ` --server ${q(server)}` : ''} node relay ${q(node)} --cluster ${q(o.cluster)} --target ${q(o.target)}`;
}

function sshArgs(cmd: Command, node: string, o: SshFlags, extra: string[]): string[] {
  return [
    '-o',
    `ProxyCommand=${proxyCommand(cmd, node, o)}`,
    // the host key is remembered per cluster and node, not per (meaningless) host name
    '-o',
    `HostKeyAlias=edgeplane.${o.cluster}.${node}`,
    ...(o.user ? ['-l', o.user] : []),
    ...(o.identity ? ['-i', o.identity] : []),
    ...o.sshOption.flatMap((opt) => ['-o', opt]),
    ...extra,
  ];
}

/** Runs the system ssh client; resolves with its exit code. */
function ssh(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', args, { stdio: 'inherit' });
    child.on('error', (error) =>
      reject(new Error(`cannot run ssh (${error.message}); install an OpenSSH client`)),
    );
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

const sshFlags = (c: Command) =>
  c
    .addOption(clusterOption())
    .option('--target <name>', "the node's relay target to reach (its sshd)", 'ssh')
    .option('-l, --user <user>', 'log in as this user')
    .option('-i, --identity <file>', 'private key for ssh')
    .option('-o, --ssh-option <option>', 'an ssh -o option (repeatable)', collect, []);

export function registerRemoteCommands(program: Command): void {
  const node = commandGroup(program, 'node');

  sshFlags(node.command('ssh <name>'))
    .description("an interactive ssh session on the node through the tunnel (the node's sshd)")
    .argument('[command...]', 'a command to run instead of a shell')
    .action(async (name: string, command: string[], o: SshFlags, cmd: Command) => {
      process.exitCode = await ssh(sshArgs(cmd, name, o, [name, ...command.map(shellQuote)]));
    });

  sshFlags(node.command('exec <name>'))
    .description('run a command on the node through the tunnel: edgeplane node exec NAME -- CMD…')
    .argument('<command...>', 'the command (after --)')
    .action(async (name: string, command: string[], o: SshFlags, cmd: Command) => {
      process.exitCode = await ssh(sshArgs(cmd, name, o, ['-T', name, '--', ...command.map(shellQuote)]));
    });

  sshFlags(node.command('logs <name>'))
    .description("the node's agent log (through the tunnel, as exec does)")
    .option('--tail <lines>', 'how many of the last lines', '100')
    .option('-f, --follow', 'keep printing new lines')
    .option('--home <dir>', "the node's $EDGEPLANE_HOME", '/var/lib/edgeplane')
    .action(
      async (name: string, o: SshFlags & { tail: string; follow?: boolean; home: string }, cmd: Command) => {
        const lines = Number.parseInt(o.tail, 10);
        if (!Number.isInteger(lines) || lines < 0) throw new Error('--tail must be a number of lines');
        const log = `${o.home.replace(/\/+$/, '')}/agent.log`;
        const remote = ['tail', '-n', String(lines), ...(o.follow ? ['-F'] : []), log].map(shellQuote);
        process.exitCode = await ssh(sshArgs(cmd, name, o, ['-T', name, '--', ...remote]));
      },
    );

  node
    .command('relay <name>')
    .description(
      "a raw TCP relay to one of the node's relay targets: on stdin/stdout (an ssh ProxyCommand), or a local port with --listen",
    )
    .addOption(clusterOption())
    .option('--target <name>', "the node's relay target", 'ssh')
    .option('--listen <[host:]port>', 'accept connections here and relay each one (like a port-forward)')
    .action(async (name: string, o: Target & { listen?: string }, cmd: Command) => {
      const api = remoteAccessApi(serverOf(cmd));
      if (!o.listen) {
        try {
          await bridge(api.relay(o.cluster, name, o.target), process.stdin, process.stdout);
        } finally {
          api.close();
        }
        return;
      }
      const [host, port] = o.listen.includes(':') ? o.listen.split(/:(?=\d+$)/) : ['127.0.0.1', o.listen];
      const server = net.createServer({ allowHalfOpen: true }, (socket) => {
        bridge(api.relay(o.cluster, name, o.target), socket, socket).catch((error: unknown) => {
          reportError(error);
          socket.destroy();
        });
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(Number(port), host, () => resolve());
      });
      const at = server.address() as net.AddressInfo;
      process.stdout.write(
        `relaying ${at.address}:${at.port} → node ${name} target ${o.target} (Ctrl-C stops)\n`,
      );
      await new Promise<void>((resolve) => process.once('SIGINT', () => server.close(() => resolve())));
      api.close();
    });
}

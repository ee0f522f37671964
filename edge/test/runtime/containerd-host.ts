import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const SCRIPTS = path.join(REPO, 'scripts/runtime');
const exec = promisify(execFile);

/**
 * Whether containerd/runc/CNI/busybox are here — installed from Debian by scripts/runtime/setup.sh
 * when missing. Undefined when ready; otherwise why not (the tests then skip, saying so on stderr).
 */
export function containerdUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root (network namespaces and containerd need root)';
  try {
    execFileSync(path.join(SCRIPTS, 'setup.sh'), { stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
    return undefined;
  } catch (e) {
    const stderr = String((e as { stderr?: Buffer }).stderr ?? '')
      .trim()
      .split('\n')
      .slice(-3)
      .join(' | ');
    return `scripts/runtime/setup.sh could not install containerd/runc/CNI/busybox-static: ${stderr || (e as Error).message}`;
  }
}

export interface TestHost {
  netns: string;
  dir: string;
  socket: string;
  /** the host's slice of the pod CIDR */
  podCidr: string;
  /** the prefix of pod IPs, e.g. "10.213.7." */
  podPrefix: string;
  ctr(...args: string[]): Promise<string>;
  /** network interfaces in the host's namespace */
  links(): Promise<string[]>;
  /** names under /run/netns */
  netnsFiles(): string[];
  /** what /run/netns held before this host's containerd started */
  netnsAtStart: string[];
  stop(): Promise<void>;
}

/**
 * A simulated edge host as the fleet makes them: a network namespace joined to this (root)
 * namespace by a veth, with its own containerd (scripts/runtime/containerd-host.sh) — so this test
 * process reaches its pods' IPs through a route, as a node's agent reaches its own.
 */
export interface HostOptions {
  /** on a bridge of this namespace (as fleet hosts are) instead of a point-to-point link */
  lan?: { bridge: string; hostAddress: string; prefixLength: number };
  podCidr?: string;
  /** routes to other hosts' pod slices: CIDR=VIA */
  routes?: string[];
}

export async function startTestHost(tag: string, o: HostOptions = {}): Promise<TestHost> {
  const n = (process.pid % 200) + 20;
  const netns = `eprt-${tag}-${process.pid}`;
  const hostVeth = `eprt${tag.slice(0, 3)}${process.pid % 100000}`;
  const dir = mkdtempSync(path.join(tmpdir(), `eprt-${tag}-`));
  const podCidr = o.podCidr ?? `10.213.${n}.0/24`;
  const link = o.lan
    ? { root: '', host: o.lan.hostAddress, prefix: o.lan.prefixLength }
    : { root: `10.214.${n}.1`, host: `10.214.${n}.2`, prefix: 30 };
  const ip = (...args: string[]) => exec('ip', args);
  const stop = async () => {
    await exec(path.join(SCRIPTS, 'containerd-host.sh'), ['stop', '--dir', dir], { timeout: 180_000 }).catch(
      (e: Error) => console.error(`[runtime test] containerd stop: ${e.message}`),
    );
    await ip('link', 'del', hostVeth).catch(() => undefined);
    await ip('netns', 'del', netns).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await ip('netns', 'add', netns);
    await ip('link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', `${hostVeth}p`);
    await ip('link', 'set', `${hostVeth}p`, 'netns', netns);
    await ip('-n', netns, 'link', 'set', `${hostVeth}p`, 'name', 'eth0');
    await ip('-n', netns, 'addr', 'add', `${link.host}/${link.prefix}`, 'dev', 'eth0');
    await ip('-n', netns, 'link', 'set', 'eth0', 'up');
    if (o.lan) await ip('link', 'set', hostVeth, 'master', o.lan.bridge);
    else await ip('addr', 'add', `${link.root}/30`, 'dev', hostVeth);
    await ip('link', 'set', hostVeth, 'up');
    await ip('route', 'replace', podCidr, 'via', link.host);
    const netnsAtStart = execFileSync('ls', ['/run/netns'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const { stdout } = await exec(
      'ip',
      [
        'netns',
        'exec',
        netns,
        path.join(SCRIPTS, 'containerd-host.sh'),
        'start',
        '--dir',
        dir,
        '--pod-cidr',
        podCidr,
        ...(o.routes ?? []).flatMap((r) => ['--route', r]),
      ],
      { timeout: 180_000 },
    );
    const socket = /CONTAINERD_SOCKET=(\S+)/.exec(stdout)?.[1];
    if (!socket) throw new Error(`containerd-host.sh printed no socket: ${stdout}`);
    return {
      netns,
      dir,
      socket,
      podCidr,
      podPrefix: podCidr.split('.').slice(0, 3).join('.') + '.',
      netnsAtStart,
      ctr: async (...args) => (await exec('ctr', ['--address', socket, '-n', 'k8s.io', ...args])).stdout,
      links: async () =>
        (await exec('ip', ['-n', netns, '-br', 'link'])).stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split(/\s+/)[0]!.replace(/@.*/, '')),
      netnsFiles: () => execFileSync('ls', ['/run/netns'], { encoding: 'utf8' }).split('\n').filter(Boolean),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * `count` hosts on one bridge of this namespace (10.215.M.0/24, this namespace .1, hosts .2 …),
 * pod slices 10.216.M.0/26, .64/26 … of one pod CIDR, each host routing the others' slices to
 * them: pods on different hosts reach each other, as pods on different nodes of one unit must.
 */
export async function startTestLan(
  tag: string,
  count: number,
): Promise<{ hosts: TestHost[]; stop(): Promise<void> }> {
  const m = (process.pid % 200) + 20;
  const bridge = `eprtb${process.pid % 100000}`;
  const addr = (i: number) => `10.215.${m}.${i + 2}`;
  const slice = (i: number) => `10.216.${m}.${i * 64}/26`;
  const ip = (...args: string[]) => exec('ip', args);
  const hosts: TestHost[] = [];
  const stop = async () => {
    for (const h of hosts) await h.stop();
    await ip('link', 'del', bridge).catch(() => undefined);
  };
  try {
    await ip('link', 'add', bridge, 'type', 'bridge');
    await ip('addr', 'add', `10.215.${m}.1/24`, 'dev', bridge);
    await ip('link', 'set', bridge, 'up');
    for (let i = 0; i < count; i++) {
      const routes = [...Array(count).keys()].filter((j) => j !== i).map((j) => `${slice(j)}=${addr(j)}`);
      hosts.push(
        await startTestHost(`${tag}${i}`, {
          lan: { bridge, hostAddress: addr(i), prefixLength: 24 },
          podCidr: slice(i),
          routes,
        }),
      );
      await ip('route', 'replace', slice(i), 'via', addr(i));
    }
    return { hosts, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

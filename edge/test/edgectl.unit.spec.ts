import { describe, expect, it } from 'vitest';
import { agentEnv } from '../src/edgectl/agent-runner.js';
import { checkEnvironment, listeningPorts, type HostView } from '../src/edgectl/check.js';
import { archName, defaultRouteInterface, osRelease, pickInterface } from '../src/edgectl/host-facts.js';
import { resolveHome, unitName } from '../src/edgectl/layout.js';

/** A clean Ubuntu 22.04 node; each test spoils one thing. */
function host(overrides: Partial<HostView> & { files?: Record<string, string | undefined> } = {}): HostView {
  const files: Record<string, string | undefined> = {
    '/etc/os-release': 'ID=ubuntu\nVERSION_ID="22.04"\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\n',
    '/proc/swaps': 'Filename\tType\tSize\tUsed\tPriority\n',
    '/sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io memory pids\n',
    '/proc/net/tcp':
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
      '   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n',
    ...overrides.files,
  };
  return {
    uid: 0,
    arch: 'x64',
    read: (f) => files[f],
    exists: (f) => files[f] !== undefined,
    processNames: () => ['systemd', 'sshd'],
    onPath: () => false,
    ...overrides,
  };
}

const TCP_HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

describe('edgectl check (F-NO-2): one risk per finding', () => {
  it('a clean supported node has no risk', () => {
    expect(checkEnvironment(host())).toEqual([]);
  });

  it('finds every risk of the list: root, OS, swap, firewalld, ufw, ports, cgroup memory, leftovers', () => {
    const risks = checkEnvironment(
      host({
        uid: 1000,
        processNames: () => ['firewalld'],
        onPath: (c) => c === 'kubeadm' || c === 'docker',
        files: {
          '/etc/os-release': 'ID=arch\nPRETTY_NAME="Arch Linux"\n',
          '/proc/swaps': 'Filename\tType\n/swapfile file 1024 0 -2\n',
          '/etc/ufw/ufw.conf': 'ENABLED=yes\n',
          '/sys/fs/cgroup/cgroup.controllers': 'cpu io pids\n',
          '/proc/net/tcp':
            TCP_HEADER +
            '   0: 00000000:05A3 00000000:0000 0A 0 0 0 0 0 1\n' + // 1443
            '   1: 00000000:C74D 00000000:0000 0A 0 0 0 0 0 1\n', // 51021: not ours to worry about
          '/proc/net/tcp6': TCP_HEADER + '   0: 00000000000000000000000000000000:C73D 0 0A 0 0 0 0 0 1\n', // 51005
          '/etc/kubernetes': '',
        },
      }),
    );
    expect(risks).toEqual([
      expect.stringMatching(/^not running as root \(uid 1000\)/),
      expect.stringMatching(/^operating system Arch Linux is not supported/),
      expect.stringMatching(/^swap is on \(\/swapfile\)/),
      expect.stringMatching(/^firewalld is running/),
      expect.stringMatching(/^ufw is enabled/),
      'port(s) already in use: 1443, 51005',
      expect.stringMatching(/^the memory cgroup is not enabled/),
      expect.stringMatching(/^leftover: kubeadm/),
      expect.stringMatching(/^leftover: docker/),
      expect.stringMatching(/^leftover: \/etc\/kubernetes/),
    ]);
  });

  it('an old release of a supported OS is a risk; cgroup v1 with memory enabled is fine', () => {
    const risks = checkEnvironment(
      host({
        files: {
          '/etc/os-release': 'ID=ubuntu\nVERSION_ID="16.04"\nPRETTY_NAME="Ubuntu 16.04"\n',
          '/sys/fs/cgroup/cgroup.controllers': undefined,
          '/proc/cgroups': '#subsys_name hierarchy num_cgroups enabled\nmemory 4 100 1\n',
        },
      }),
    );
    expect(risks).toEqual([expect.stringMatching(/older than the supported ubuntu 18\.04/)]);
  });

  it('reads LISTEN sockets only', () => {
    const ports = listeningPorts({
      read: (f) =>
        f === '/proc/net/tcp'
          ? TCP_HEADER +
            '   0: 00000000:05A3 00000000:0000 0A 0 0\n' +
            '   1: 0A000001:C73D 0A000002:1F90 01 0 0\n' // ESTABLISHED from 51005
          : undefined,
    });
    expect([...ports]).toEqual([1443]);
  });
});

describe('edgectl host facts', () => {
  const ifaces = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    eth0: [
      { address: 'fe80::1', family: 'IPv6', internal: false },
      { address: 'fd00::5', family: 'IPv6', internal: false },
      { address: '10.210.1.3', family: 'IPv4', internal: false },
    ],
    eth1: [{ address: '192.168.9.9', family: 'IPv4', internal: false }],
  } as unknown as Parameters<typeof pickInterface>[1];

  it('-i picks the interface; IPv4 first, link-local left out', () => {
    expect(pickInterface('eth0', ifaces, undefined)).toEqual({
      name: 'eth0',
      ips: ['10.210.1.3', 'fd00::5'],
    });
  });

  it('a wrong -i is reported with the interfaces there are', () => {
    expect(() => pickInterface('wlan0', ifaces, undefined)).toThrow(
      'interface "wlan0" does not exist on this node (interfaces with an address: eth0, eth1)',
    );
    expect(() => pickInterface('lo', ifaces, undefined)).toThrow(/has no address other nodes can reach/);
  });

  it("without -i: the default route's interface, else the first with an address", () => {
    expect(pickInterface(undefined, ifaces, 'eth1').name).toBe('eth1');
    expect(pickInterface(undefined, ifaces, undefined).name).toBe('eth0');
  });

  it('reads the default route, the OS release and the architecture', () => {
    const route =
      'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n' +
      'eth1\t0009A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n' +
      'eth0\t00000000\t0100D20A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n';
    expect(defaultRouteInterface(route)).toBe('eth0');
    expect(defaultRouteInterface(route.split('\n').slice(0, 2).join('\n'))).toBeUndefined();
    expect(osRelease('ID=debian\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')).toEqual({
      ID: 'debian',
      PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)',
    });
    expect([archName('x64'), archName('arm64'), archName('arm')]).toEqual(['x86_64', 'arm64', 'arm']);
  });
});

describe('edgectl layout', () => {
  it('the home: flag, then EDGEPLANE_HOME, then /var/lib/edgeplane', () => {
    expect(resolveHome('/srv/a', { EDGEPLANE_HOME: '/srv/b' })).toBe('/srv/a');
    expect(resolveHome(undefined, { EDGEPLANE_HOME: '/srv/b' })).toBe('/srv/b');
    expect(resolveHome(undefined, {})).toBe('/var/lib/edgeplane');
  });

  it('one systemd unit per home', () => {
    expect(unitName('/var/lib/edgeplane')).toBe('edgeplane-agent.service');
    expect(unitName('/var/lib/edgeplane-fleet/demo/gz-3')).toBe(
      'edgeplane-agent-var-lib-edgeplane-fleet-demo-gz-3.service',
    );
  });

  it('the agent never inherits the join token or the other EDGEPLANE_* inputs', () => {
    expect(agentEnv({ PATH: '/bin', EDGEPLANE_JOIN_TOKEN: 'abc.def', EDGEPLANE_CA_HASH: 'x' })).toEqual({
      PATH: '/bin',
      MALLOC_ARENA_MAX: '2', // process-limits.ts
    });
  });
});

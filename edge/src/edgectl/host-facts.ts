import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';

/** What the join request says about the node (arch, OS, interface and its addresses). */
export interface HostFacts {
  arch: string;
  os: string;
  interface: string;
  ips: string[];
}

/** Node's `process.arch` in the words the cluster service takes (x86_64 / arm64 / arm). */
export function archName(arch: string = process.arch): string {
  return arch === 'x64' ? 'x86_64' : arch === 'arm64' ? 'arm64' : arch === 'arm' ? 'arm' : arch;
}

/** /etc/os-release as a map (empty when there is none). */
export function osRelease(text?: string): Record<string, string> {
  let body = text;
  if (body === undefined) {
    try {
      body = readFileSync('/etc/os-release', 'utf8');
    } catch {
      return {};
    }
  }
  const out: Record<string, string> = {};
  for (const line of body.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  }
  return out;
}

/** The interface of the IPv4 default route in /proc/net/route, if there is one. */
export function defaultRouteInterface(routeTable?: string): string | undefined {
  let text = routeTable;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/net/route', 'utf8');
    } catch {
      return undefined;
    }
  }
  for (const line of text.split('\n').slice(1)) {
    const [iface, destination, , , , , , mask] = line.trim().split(/\s+/);
    if (iface && destination === '00000000' && mask === '00000000') return iface;
  }
  return undefined;
}

type Interfaces = ReturnType<typeof networkInterfaces>;

/**
 * The interface the node is known by: the one asked for (`-i`; a wrong one is an error naming the
 * ones there are), else the default route's, else the first that is up with an external address.
 */
export function pickInterface(
  wanted: string | undefined,
  interfaces: Interfaces = networkInterfaces(),
  defaultRoute: string | undefined = defaultRouteInterface(),
): { name: string; ips: string[] } {
  const external = (name: string) =>
    (interfaces[name] ?? []).filter((a) => !a.internal && !a.address.startsWith('fe80:'));
  const usable = Object.keys(interfaces).filter((n) => external(n).length > 0);
  const ipsOf = (name: string) => {
    const list = external(name);
    // IPv4 first: peers probe the first address
    return [...list.filter((a) => a.family === 'IPv4'), ...list.filter((a) => a.family !== 'IPv4')]
      .map((a) => a.address)
      .slice(0, 16);
  };
  if (wanted !== undefined) {
    if (!interfaces[wanted]) {
      throw new Error(
        `interface "${wanted}" does not exist on this node (interfaces with an address: ${usable.join(', ') || 'none'})`,
      );
    }
    if (external(wanted).length === 0)
      throw new Error(`interface "${wanted}" has no address other nodes can reach`);
    return { name: wanted, ips: ipsOf(wanted) };
  }
  const chosen = defaultRoute && usable.includes(defaultRoute) ? defaultRoute : usable[0];
  if (!chosen) throw new Error('this node has no network interface with an address other nodes can reach');
  return { name: chosen, ips: ipsOf(chosen) };
}

export function hostFacts(wantedInterface: string | undefined): HostFacts {
  const { name, ips } = pickInterface(wantedInterface);
  const release = osRelease();
  return {
    arch: archName(),
    os: (release.PRETTY_NAME || `${release.NAME ?? 'Linux'} ${release.VERSION_ID ?? ''}`)
      .trim()
      .slice(0, 128),
    interface: name,
    ips,
  };
}

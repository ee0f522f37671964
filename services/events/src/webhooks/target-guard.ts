import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';

/**
 * Server-side request forgery guard for webhook endpoints: the service must not be made to POST to
 * its own network. Only global unicast addresses are accepted (ipaddr.js `range()` = 'unicast');
 * everything else — loopback, RFC 1918, carrier-grade NAT, link-local (169.254/16: cloud metadata),
 * unspecified (0.0.0.0, ::), multicast, broadcast, reserved/documentation, unique-local fc00::/7,
 * link-local fe80::/10, and the IPv6 forms that embed or translate an IPv4 address (6to4, Teredo,
 * NAT64) — is refused with its range name. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is judged
 * as the IPv4 address it carries.
 */

/** Why this address may not be a webhook target, or null when it may (a global unicast address). */
export function privateAddressReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return `${address.slice(0, 64)} is not an IP address`;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress())
    ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  return range === 'unicast' ? null : `${ip.toString()} is a ${range} address`;
}

/** The URL's host as an IP address text when it is a literal (brackets of IPv6 removed), else null. */
export function literalHost(hostname: string): string | null {
  const h = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(h) && (h.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(h)) ? h : null;
}

export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), every address, bounded to 5 s. */
const systemResolve: Resolve = (hostname) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`lookup of ${hostname} timed out`), { code: 'ETIMEOUT' })),
      5000,
    );
  });
  return Promise.race([dns.promises.lookup(hostname, { all: true, verbatim: true }), timeout]).finally(() =>
    clearTimeout(timer),
  );
};

/** A refused target: the code recorded with a failed delivery. */
export class PrivateTargetError extends Error {
  readonly code = 'EPRIVATETARGET';
}

const HINT = 'private and internal targets are refused (operator setting EVENTS_WEBHOOK_ALLOW_PRIVATE)';

/**
 * Why a webhook URL may not be used now, or null: a literal private address, or a name that does
 * not resolve or resolves (any of its addresses) to one. Called at CreateWebhook; delivery checks
 * again, on the addresses it connects to (`guardedLookup`).
 */
export async function targetRefusal(url: string, resolve: Resolve = systemResolve): Promise<string | null> {
  const { hostname } = new URL(url);
  const literal = literalHost(hostname);
  if (literal) {
    const why = privateAddressReason(literal);
    return why && `${why}: ${HINT}`;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(hostname);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return `host ${hostname.slice(0, 253)} does not resolve (${code})`;
  }
  if (addresses.length === 0) return `host ${hostname.slice(0, 253)} does not resolve`;
  for (const a of addresses) {
    const why = privateAddressReason(a.address);
    if (why) return `host ${hostname.slice(0, 253)} resolves to ${why}: ${HINT}`;
  }
  return null;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for net/tls connections (the https agent's): resolves every address of the name,
 * refuses the connection when any is private, and hands the checked addresses to the socket — so
 * the address connected to is the one checked (a name rebinding between check and connect cannot
 * slip through). Literal IP hosts never reach a lookup; `HttpsPoster` checks those itself.
 */
export function guardedLookup(resolve: Resolve = systemResolve) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (all) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const addresses = wanted ? all.filter((a) => a.family === wanted) : all;
        for (const a of all) {
          const why = privateAddressReason(a.address);
          if (why)
            return callback(
              new PrivateTargetError(`host ${hostname.slice(0, 253)} resolves to ${why}: ${HINT}`),
              '',
            );
        }
        if (addresses.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`host ${hostname.slice(0, 253)} has no address`);
          err.code = 'ENOTFOUND';
          return callback(err, '');
        }
        if (options.all) return callback(null, addresses);
        return callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

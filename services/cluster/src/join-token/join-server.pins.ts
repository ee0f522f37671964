import { createHash, X509Certificate } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@edgeplane/eventstore';
import { CONFIG, DB, SCHEMA } from '@edgeplane/service-kit';
import type { ClusterConfig } from '../config.js';
import { inSchema } from '../db/database.js';
import { listGatewayCas, type PublishedGatewayCa } from '../read-model/gateway-cas.queries.js';

/** What the join command pins: the gateway CA's hash and the serving key (docs/tunnel.md "Trust"). */
export interface GatewayPins {
  caHash: string;
  servingKeyPin: string;
}

/** The pins for the join server, or why there are none (the command would not work). */
export type JoinServerPins = { ok: true; pins: GatewayPins } | { ok: false; problem: string };

/**
 * Picks the published CA that nodes will meet at the join server. A deployment has exactly one;
 * several appear only when test instances share the bus, and then the join server's own
 * certificate tells which is ours. Unreachable from here (a public address the cloud side cannot
 * dial), the latest published CA is the answer.
 */
export function choosePins(
  published: readonly PublishedGatewayCa[],
  serverUrl: string,
  presented: X509Certificate | undefined,
): JoinServerPins {
  if (published.length === 0) {
    return {
      ok: false,
      problem:
        'the tunnel service has not published its gateway CA yet, so a node could not verify the join server. ' +
        'Start the tunnel service (`npm start` runs it), then create a token again.',
    };
  }
  if (!presented) return { ok: true, pins: pinsOf(published[0]!) };
  const issuer = published.find((ca) => issuedBy(presented, ca.caCertPem));
  if (issuer && keyPinOf(presented) === issuer.servingKeyPin) return { ok: true, pins: pinsOf(issuer) };
  return {
    ok: false,
    problem:
      `the join server at ${serverUrl} presents a certificate that no gateway CA of the tunnel service issued. ` +
      "Check the cluster service's JOIN_SERVER_URL against the tunnel service's join port and TUNNEL_PUBLIC_HOSTS.",
  };
}

/** `sha256//<base64>` over a certificate's SubjectPublicKeyInfo, as `curl --pinnedpubkey` takes it. */
export function keyPinOf(cert: X509Certificate): string {
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  return `sha256//${createHash('sha256').update(spki).digest('base64')}`;
}

function issuedBy(cert: X509Certificate, caPem: string): boolean {
  try {
    const ca = new X509Certificate(caPem);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}

function pinsOf(ca: PublishedGatewayCa): GatewayPins {
  return { caHash: ca.caHash, servingKeyPin: ca.servingKeyPin };
}

/** The certificate the server at `url` presents (no trust decided here), or undefined if unreachable. */
export function presentedCertificate(url: string, timeoutMs: number): Promise<X509Certificate | undefined> {
  const { hostname, port } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port: Number(port || 443),
      servername: net.isIP(host) ? undefined : host,
      rejectUnauthorized: false,
    });
    const done = (cert: X509Certificate | undefined) => {
      socket.destroy();
      resolve(cert);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once('secureConnect', () => done(socket.getPeerX509Certificate()));
    socket.once('error', () => done(undefined));
  });
}

/** The join server's pins, from the published CAs and the certificate the server presents now. */
@Injectable()
export class JoinServer {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(CONFIG) private readonly config: ClusterConfig,
  ) {}

  get url(): string {
    return this.config.JOIN_SERVER_URL.replace(/\/+$/, '');
  }

  async pins(): Promise<JoinServerPins> {
    const published = await listGatewayCas(inSchema(this.db, this.schema));
    if (published.length === 0) return choosePins(published, this.url, undefined);
    return choosePins(published, this.url, await presentedCertificate(this.url, 1500));
  }
}

import { createHash, X509Certificate } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { busSubject } from '@edgeplane/contracts';
import { v7 } from 'uuid';
import { createClusterCa, createNodeCsr, keyPinOf, signNodeCertificate } from '../src/index.js';

/**
 * A stand-in for the tunnel service's join server, for tests that run the cluster service without
 * a tunnel: a gateway CA of its own, an HTTPS server presenting a certificate that CA issued, and
 * the GatewayCaPublished envelope the tunnel would publish for it.
 */
export interface GatewayStandIn {
  url: string;
  caHash: string;
  servingKeyPin: string;
  /** the envelope the tunnel publishes on `edgeplane.tunnel.gateway-ca.published` */
  published: { id: string; type: 'GatewayCaPublished'; [key: string]: unknown };
  close(): void;
}

/** on the wire, in this test file's EDGEPLANE_ENV */
export const GATEWAY_CA_SUBJECT = busSubject('edgeplane.tunnel.gateway-ca.published');

export async function startGatewayStandIn(): Promise<GatewayStandIn> {
  const now = new Date().toISOString();
  const ca = await createClusterCa({ clusterId: 'gateway', clusterName: 'gateway', now });
  const key = await createNodeCsr('gateway-serving');
  const serving = await signNodeCertificate({ ca, csrPem: key.csrPem, nodeName: 'gateway-serving', now });
  const spki = new X509Certificate(ca.certPem).publicKey.export({ type: 'spki', format: 'der' });
  const caHash = `sha256:${createHash('sha256').update(spki).digest('hex')}`;
  const servingKeyPin = keyPinOf(new X509Certificate(serving.certPem));
  const server = https.createServer({ cert: serving.certPem, key: key.privateKeyPem }, (_req, res) =>
    res.end(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caHash,
    servingKeyPin,
    published: {
      id: v7(),
      type: 'GatewayCaPublished',
      version: 1,
      streamId: 'gateway-ca',
      streamPosition: 1,
      globalPosition: 1,
      occurredAt: now,
      data: { caCertPem: ca.certPem, caHash, servingKeyPin, notAfter: ca.notAfter, publishedAt: now },
      metadata: { actor: 'tunnel' },
    },
    close: () => void server.close(),
  };
}

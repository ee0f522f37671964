import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { TunnelInstant } from './shared.js';

/**
 * GatewayCaPublished — the platform's gateway CA exists and this is how nodes pin it (docs/tunnel.md
 * "Trust"). Emitter: tunnel service, gateway-ca aggregate (stream `gateway-ca`), once, at the first
 * start of any replica. Consumers: the cluster service (the join command prints the pins).
 * Invariants: `caHash` is `sha256:<hex>` over the CA certificate's SubjectPublicKeyInfo (what
 * edgectl checks, as kubeadm's --discovery-token-ca-cert-hash); `servingKeyPin` is
 * `sha256//<base64>` over the SubjectPublicKeyInfo of the one serving key every replica presents
 * (curl --pinnedpubkey), so it holds for all replicas and survives restarts. The CA's and the
 * serving key's private keys never appear in an event.
 */
export const GatewayCaPublished = defineEvent({
  type: 'GatewayCaPublished',
  version: 1,
  subject: 'edgeplane.tunnel.gateway-ca.published',
  emitter: 'tunnel',
  schema: z.object({
    caCertPem: z.string().startsWith('-----BEGIN CERTIFICATE-----'),
    caHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
    servingKeyPin: z.string().regex(/^sha256\/\/[A-Za-z0-9+/]{43}=$/),
    notAfter: TunnelInstant,
    publishedAt: TunnelInstant,
  }),
});
export type GatewayCaPublishedData = z.infer<typeof GatewayCaPublished.schema>;

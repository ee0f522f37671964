import type * as grpc from '@grpc/grpc-js';

type CaListener = grpc.experimental.CaCertificateUpdateListener;
type IdentityListener = grpc.experimental.IdentityCertificateUpdateListener;

/**
 * The tunnel port's TLS material for grpc-js: the replica's serving certificate, and the trust
 * bundle of client CAs — every live cluster's CA, swapped in place when a cluster is created or
 * deleted (grpc-js applies it to the listening server with setSecureContext; open connections
 * keep theirs, and revocation closes those streams itself).
 */
export class TunnelCertificates implements grpc.experimental.CertificateProvider {
  private readonly caListeners = new Set<CaListener>();
  private readonly identityListeners = new Set<IdentityListener>();
  private ca: Buffer;

  constructor(
    private readonly identity: { certificate: Buffer; privateKey: Buffer },
    /** trusted when no cluster exists yet (a bundle may not be empty); admits no node */
    private readonly placeholderCa: string,
  ) {
    this.ca = Buffer.from(placeholderCa);
  }

  setTrustedCas(pems: readonly string[]): void {
    this.ca = Buffer.from(pems.length > 0 ? pems.join('\n') : this.placeholderCa);
    for (const l of this.caListeners) l({ caCertificate: this.ca });
  }

  // grpc-js registers its own watcher only after adding these listeners: answer on the next turn.
  addCaCertificateListener(listener: CaListener): void {
    this.caListeners.add(listener);
    setImmediate(() => this.caListeners.has(listener) && listener({ caCertificate: this.ca }));
  }

  removeCaCertificateListener(listener: CaListener): void {
    this.caListeners.delete(listener);
  }

  addIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.add(listener);
    setImmediate(() => this.identityListeners.has(listener) && listener(this.identity));
  }

  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.delete(listener);
  }
}

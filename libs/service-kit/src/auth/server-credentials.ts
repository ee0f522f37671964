import * as grpc from '@grpc/grpc-js';
import { platformPkiDir, serviceCertificate } from '@edgeplane/proto';

type CaListener = (update: { caCertificate: Buffer }) => void;
type IdentityListener = (update: { certificate: Buffer; privateKey: Buffer }) => void;

/** Fixed certificates for grpc-js' certificate-provider credentials. */
class StaticCertificates implements grpc.experimental.CertificateProvider {
  constructor(
    private readonly ca: Buffer,
    private readonly identity: { certificate: Buffer; privateKey: Buffer },
  ) {}
  // grpc-js registers its own watcher only after adding these listeners: answer on the next turn.
  addCaCertificateListener(listener: CaListener): void {
    setImmediate(() => listener({ caCertificate: this.ca }));
  }
  removeCaCertificateListener(): void {}
  addIdentityCertificateListener(listener: IdentityListener): void {
    setImmediate(() => listener(this.identity));
  }
  removeIdentityCertificateListener(): void {}
}

/**
 * The TLS credentials of a service's gRPC port: its platform certificate, and a client
 * certificate asked for but not demanded at the handshake. A call without one (health checks,
 * reflection) gets through TLS; the access interceptor answers every API method UNAUTHENTICATED
 * without a valid one, so an API caller learns why instead of seeing a failed handshake. The
 * platform CA is trusted for the handshake; a certificate of another issuer (a node's, from its
 * cluster CA) is checked by the interceptor against the cluster service.
 */
export function grpcServerCredentials(
  service: string,
  env: NodeJS.ProcessEnv = process.env,
): grpc.ServerCredentials {
  const extra = (env.EDGEPLANE_GRPC_SANS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const { ca, certPem, keyPem } = serviceCertificate(service, platformPkiDir(env), extra);
  const provider = new StaticCertificates(Buffer.from(ca.certPem), {
    certificate: Buffer.from(certPem),
    privateKey: Buffer.from(keyPem),
  });
  return grpc.experimental.createCertificateProviderServerCredentials(provider, provider, false);
}

import * as grpc from '@grpc/grpc-js';
import { findCredentialsFile, platformPkiDir, readCredentialsFile, serviceCertificate } from './pki.js';

let processService: string | undefined;

/** The service this process runs as (bootstrapService sets it): its calls carry that service's certificate. */
export function setServiceIdentity(service: string): void {
  processService = service;
}

const cache = new Map<string, grpc.ChannelCredentials>();

let quietIpServername = false;
/**
 * grpc-js sends the target host as TLS server name, an IP address for `127.0.0.1:50051`, and Node
 * warns (DEP0123) on every process that does so; the certificate is still checked against the
 * address (its SAN). That one warning is dropped so the CLI's stderr stays clean.
 */
export function dropIpServernameWarning(): void {
  if (quietIpServername) return;
  quietIpServername = true;
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: unknown, ...rest: unknown[]) => {
    const code = typeof rest[0] === 'object' && rest[0] ? (rest[0] as { code?: unknown }).code : rest[1];
    if (code === 'DEP0123') return;
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}

/** mTLS channel credentials from PEMs: the CA that signs the servers, the client certificate and key. */
export function mtlsCredentials(caPem: string, certPem: string, keyPem: string): grpc.ChannelCredentials {
  dropIpServernameWarning();
  return grpc.credentials.createSsl(Buffer.from(caPem), Buffer.from(keyPem), Buffer.from(certPem));
}

/**
 * Channel credentials a process uses to call an Edgeplane gRPC API with its own identity: a
 * service (bootstrapService ran in this process) presents its platform certificate
 * (`system:service:<name>`); anything else (the CLI, a tool) its credential file — `file`, else
 * EDGEPLANE_CREDENTIALS, else `.edgeplane/credentials/admin.yaml` from the working directory up,
 * else `~/.edgeplane/credentials.yaml`. The server is verified against the platform CA. An
 * error says what is missing.
 */
export function grpcClientCredentials(
  options: { file?: string; service?: string } = {},
): grpc.ChannelCredentials {
  const service = options.service ?? (options.file ? undefined : processService);
  if (service) {
    const dir = platformPkiDir();
    const key = `service:${dir}:${service}`;
    let creds = cache.get(key);
    if (!creds) {
      const { ca, certPem, keyPem } = serviceCertificate(service, dir);
      creds = mtlsCredentials(ca.certPem, certPem, keyPem);
      cache.set(key, creds);
    }
    return creds;
  }
  const file = findCredentialsFile(options.file);
  if (!file) {
    throw new Error(
      'no Edgeplane credentials: give --credentials FILE or EDGEPLANE_CREDENTIALS, or run `npm start` once ' +
        '(it writes .edgeplane/credentials/admin.yaml), or put one in ~/.edgeplane/credentials.yaml',
    );
  }
  const key = `file:${file}`;
  let creds = cache.get(key);
  if (!creds) {
    const c = readCredentialsFile(file);
    creds = mtlsCredentials(c.ca, c.certificate, c.key);
    cache.set(key, creds);
  }
  return creds;
}

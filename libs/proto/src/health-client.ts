import tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { dropIpServernameWarning } from './auth/client-credentials.js';
import type { GrpcHealthV1HealthProto } from './generated/index.js';
import { HEALTH_PROTO, loadPackage } from './loader.js';

export interface HealthProbe {
  /** `host:port` that was asked. */
  address: string;
  /** True only when the answer was SERVING. */
  serving: boolean;
  /** The status the server reported (SERVING, NOT_SERVING, UNKNOWN …), absent when the call failed. */
  status?: string;
  /** SERVING, the reported status, or why no answer came (e.g. "connection refused", "timeout after 1500ms"). */
  reason: string;
  /** Round trip in milliseconds. */
  latencyMs: number;
}

let HealthClientCtor: GrpcHealthV1HealthProto['grpc']['health']['v1']['Health'] | undefined;

/** Human-sized reason for a failed health call. */
export function describeGrpcFailure(err: grpc.ServiceError, timeoutMs: number): string {
  const details = err.details ?? err.message;
  switch (err.code) {
    case grpc.status.UNAVAILABLE:
      if (/ECONNREFUSED/.test(details)) return 'connection refused';
      if (/ENOTFOUND|EAI_AGAIN/.test(details)) return 'host not found';
      if (/ECONNRESET/.test(details)) return 'connection reset';
      return `unavailable: ${details}`;
    case grpc.status.DEADLINE_EXCEEDED:
      return `timeout after ${timeoutMs}ms`;
    case grpc.status.NOT_FOUND:
      return `health: service unknown (${details})`;
    case grpc.status.UNIMPLEMENTED:
      return 'grpc.health.v1.Health not served';
    default:
      return `${grpc.status[err.code] ?? err.code}: ${details}`;
  }
}

/**
 * One grpc.health.v1 Check against `address` (`host:port`) with a deadline; never throws.
 * `service` '' asks about the server as a whole.
 */
export function checkHealth(
  address: string,
  options: { service?: string; timeoutMs?: number; credentials?: grpc.ChannelCredentials } = {},
): Promise<HealthProbe> {
  const { service = '', timeoutMs = 1500 } = options;
  // The services' ports speak TLS only; health needs no client certificate, and a probe asks
  // whether the process serves, not who it is: the server's certificate is not verified.
  dropIpServernameWarning();
  const credentials =
    options.credentials ??
    grpc.credentials.createFromSecureContext(tls.createSecureContext(), { rejectUnauthorized: false });
  HealthClientCtor ??= loadPackage<GrpcHealthV1HealthProto>([HEALTH_PROTO]).grpcObject.grpc.health.v1.Health;
  const client = new HealthClientCtor(address, credentials);
  const started = performance.now();
  return new Promise<HealthProbe>((resolve) => {
    client.Check({ service }, { deadline: Date.now() + timeoutMs }, (err, res) => {
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      client.close();
      if (err) resolve({ address, serving: false, reason: describeGrpcFailure(err, timeoutMs), latencyMs });
      else {
        const status = String(res?.status ?? 'UNKNOWN');
        resolve({ address, serving: status === 'SERVING', status, reason: status, latencyMs });
      }
    });
  });
}

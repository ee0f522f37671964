import * as grpc from '@grpc/grpc-js';

/** Who a test client is: a user and its groups (groups map to roles, see docs/architecture.md). */
export interface TestIdentity {
  user?: string;
  groups?: string[];
}

/**
 * Channel credentials for a test's gRPC client. Every test creates its clients through this, so
 * the platform PKI (issue 12) changes one place. Placeholder: insecure until then.
 */
export function testGrpcCredentials(_as: TestIdentity = {}): grpc.ChannelCredentials {
  return grpc.credentials.createInsecure();
}

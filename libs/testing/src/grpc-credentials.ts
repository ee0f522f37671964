import type * as grpc from '@grpc/grpc-js';
import {
  ADMIN_GROUP,
  ensurePlatformPki,
  issueCredentials,
  mtlsCredentials,
  platformPkiDir,
  type Credentials,
} from '@edgeplane/proto';

/** Who a test client is: a user and its groups (groups map to roles, see docs/architecture.md). */
export interface TestIdentity {
  user?: string;
  groups?: string[];
  /** limit the credential to these clusters (certificate OU `cluster:<id>`) */
  clusters?: string[];
  notBefore?: Date;
  notAfter?: Date;
}

/** The default test caller: an admin (system:masters → cluster-admin). */
export const TEST_ADMIN: Required<Pick<TestIdentity, 'user' | 'groups'>> = {
  user: 'test-admin',
  groups: [ADMIN_GROUP],
};

const issued = new Map<string, Credentials>();

/**
 * A credential (certificate + key, as a credential file holds them) from the test run's platform
 * PKI (EDGEPLANE_PKI_DIR, set once per run by vitest.config.ts; the services the tests start, in
 * process or spawned, use the same one). Cached per identity.
 */
export function testCredentials(as: TestIdentity = {}): Credentials {
  const user = as.user ?? TEST_ADMIN.user;
  const groups = as.groups ?? (as.user ? [] : TEST_ADMIN.groups);
  const key = JSON.stringify([
    user,
    groups,
    as.clusters ?? [],
    as.notBefore?.getTime(),
    as.notAfter?.getTime(),
  ]);
  let c = issued.get(key);
  if (!c) {
    const ca = ensurePlatformPki(platformPkiDir());
    c = issueCredentials(ca, {
      user,
      groups,
      ...(as.clusters ? { clusters: as.clusters } : {}),
      ...(as.notBefore ? { notBefore: as.notBefore } : {}),
      ...(as.notAfter ? { notAfter: as.notAfter } : {}),
    });
    issued.set(key, c);
  }
  return c;
}

/**
 * Channel credentials for a test's gRPC client: mTLS with a certificate of the test run's platform
 * PKI for `as` (default: TEST_ADMIN, a cluster-admin).
 */
export function testGrpcCredentials(as: TestIdentity = {}): grpc.ChannelCredentials {
  const c = testCredentials(as);
  return mtlsCredentials(c.ca, c.certificate, c.key);
}

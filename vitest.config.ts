import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ensurePlatformPki } from './libs/proto/src/auth/pki.js';
import { defineConfig } from 'vitest/config';

const roots = ['libs/*', 'services/*', 'edge', 'cli', 'e2e'];
const files = (tier: string) =>
  roots.flatMap((r) => [
    `${r}/src/**/*.${tier}.spec.ts`,
    `${r}/test/**/*.${tier}.spec.ts`,
    `${r}/*.${tier}.spec.ts`,
  ]);

// One id per vitest run: each int test file runs in EDGEPLANE_ENV vt<run>-<file>-<hash>
// (libs/testing/src/environments.ts); 5 characters of time (minutes, base 36) + 2 random.
const minutes = Math.floor(Date.now() / 60_000)
  .toString(36)
  .padStart(5, '0')
  .slice(-5);
const random = (randomBytes(2).readUInt16BE(0) % 36 ** 2).toString(36).padStart(2, '0');
process.env.EDGEPLANE_TEST_RUN ||= `${minutes}${random}`;
// Services that keep private keys refuse to start without a key-encryption key: one per test run
// (every service process a test starts inherits it; in-process services read it from process.env).
if (!process.env.EDGEPLANE_KEK && !process.env.EDGEPLANE_KEK_FILE)
  process.env.EDGEPLANE_KEK = `test-run:${randomBytes(32).toString('base64')}`;
// The platform PKI every gRPC port and test client uses (mTLS, issue 12): one for the tests,
// apart from `npm start`'s, made once (atomically) and kept; service processes inherit it, and a
// CLI a test runs uses its admin credential.
process.env.EDGEPLANE_PKI_DIR ||= path.resolve('.edgeplane/test-pki');
process.env.EDGEPLANE_CREDENTIALS ||= path.join(
  ensurePlatformPki(process.env.EDGEPLANE_PKI_DIR).dir,
  'admin.yaml',
);
const intWorkers = Number(process.env.EDGEPLANE_INT_WORKERS || 2);

// Tiers by file suffix: unit (pure, no I/O), int (real PostgreSQL/NATS), e2e (several real processes).
export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: files('unit'), sequence: { groupOrder: 0 } } },
      // Integration files in parallel: each runs in an environment of its own (EDGEPLANE_ENV, set by
      // the setup file; every stream, subject, durable, bucket and schema prefixed), so service
      // instances of different files cannot react to each other's clusters. The setup file deletes
      // the file's environment at its end; the global setup sweeps what crashed runs left.
      // EDGEPLANE_INT_WORKERS=1 runs them one at a time.
      {
        extends: true,
        test: {
          name: 'int',
          include: files('int'),
          testTimeout: 60_000,
          // files start service processes in their hooks; with files in parallel on a loaded
          // machine a start can take well over a minute
          hookTimeout: 180_000,
          maxWorkers: intWorkers,
          env: {
            EDGEPLANE_TEST_RUN: process.env.EDGEPLANE_TEST_RUN,
            EDGEPLANE_KEK: process.env.EDGEPLANE_KEK ?? '',
            EDGEPLANE_PKI_DIR: process.env.EDGEPLANE_PKI_DIR,
            EDGEPLANE_CREDENTIALS: process.env.EDGEPLANE_CREDENTIALS,
          },
          setupFiles: ['libs/testing/src/vitest/int-env.setup.ts'],
          globalSetup: ['libs/testing/src/vitest/int-env.global.ts'],
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: files('e2e'),
          testTimeout: 180_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});

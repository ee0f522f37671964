import { defineConfig } from 'vitest/config';

const roots = ['libs/*', 'services/*', 'edge', 'cli', 'e2e'];
const files = (tier: string) =>
  roots.flatMap((r) => [
    `${r}/src/**/*.${tier}.spec.ts`,
    `${r}/test/**/*.${tier}.spec.ts`,
    `${r}/*.${tier}.spec.ts`,
  ]);

// Tiers by file suffix: unit (pure, no I/O), int (real PostgreSQL/NATS), e2e (several real processes).
export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: files('unit'), sequence: { groupOrder: 0 } } },
      // One integration file at a time: each boots its own service instances, and instances of
      // different services on one bus would react to each other's test clusters.
      {
        extends: true,
        test: {
          name: 'int',
          include: files('int'),
          testTimeout: 60_000,
          hookTimeout: 60_000,
          maxWorkers: 1,
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

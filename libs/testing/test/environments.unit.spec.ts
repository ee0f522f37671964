import { schemaName, validateEnvironmentName } from '@edgeplane/contracts';
import { describe, expect, it } from 'vitest';
import { newTestRunId, testEnvironmentName } from '../src/environments.js';

describe('test environments: names', () => {
  it('a run id is 5 characters of time (minutes, base 36) and 2 random', () => {
    const now = Date.UTC(2026, 10, 28, 12, 0);
    const id = newTestRunId(now);
    expect(id).toMatch(/^[0-9a-z]{7}$/);
    expect(parseInt(id.slice(0, 5), 36)).toBe(Math.floor(now / 60_000));
  });

  it("a file's environment is stable, short, valid, and differs between files of one name", () => {
    const a = testEnvironmentName('mx0b1k3', 'services/nodepool/test/nodepool.int.spec.ts');
    expect(a).toBe(testEnvironmentName('mx0b1k3', 'services/nodepool/test/nodepool.int.spec.ts'));
    expect(a).toMatch(/^vtmx0b1k3-nodepo-[0-9a-z]{3}$/);
    expect(validateEnvironmentName(a)).toBe(a);
    const b = testEnvironmentName('mx0b1k3', 'services/other/test/nodepool.int.spec.ts');
    expect(b).not.toBe(a);
    expect(testEnvironmentName('mx0b1k4', 'services/nodepool/test/nodepool.int.spec.ts')).not.toBe(a);
    expect(testEnvironmentName('mx0b1k3', 'x/__weird.name.int.spec.ts')).toMatch(/^vtmx0b1k3-weirdn-/);
  });

  it('leaves room for the longest schema a test names (34 characters) under PostgreSQL limits', () => {
    const env = testEnvironmentName('zzzzzzz', 'services/tunnel/test/longest-name-of-all.int.spec.ts');
    expect(env.length).toBeLessThanOrEqual(20);
    expect(() => schemaName('t_tun_join_cluster_mx0b1k3z_a1b2c3', env)).not.toThrow();
  });

  it('refuses a malformed run id', () => {
    expect(() => testEnvironmentName('ABC', 'x.int.spec.ts')).toThrow(/run id/);
  });
});

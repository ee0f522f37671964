import { describe, expect, it } from 'vitest';
import { freePort } from '../src/services.js';

describe('freePort', () => {
  it('gives concurrent callers different ports, below the ephemeral range', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
    for (const p of ports) {
      expect(p).toBeGreaterThanOrEqual(20_000);
      expect(p).toBeLessThan(32_768);
    }
  });
});

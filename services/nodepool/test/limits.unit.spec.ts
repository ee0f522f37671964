import { describe, expect, it } from 'vitest';
import type { FieldViolation } from '@edgeplane/es-kit';
import { normalizeUnitSpec } from '../src/model/node-unit.model.js';
import { matchesSelector } from '../src/shared/label-selector.js';

describe('nodepool limits and own keys', () => {
  it("a unit's setNode annotations are bounded like a node's (256 KiB of keys and values)", () => {
    const violations: FieldViolation[] = [];
    const big = { a: 'v'.repeat(200 * 1024), b: 'v'.repeat(100 * 1024) };
    normalizeUnitSpec('u1', { setNode: { annotations: big } }, violations);
    expect(violations).toEqual([
      { field: 'spec.setNode.annotations', description: expect.stringMatching(/at most 262144 bytes/) },
    ]);
    const fine: FieldViolation[] = [];
    normalizeUnitSpec('u1', { setNode: { annotations: { a: 'v'.repeat(1000) } } }, fine);
    expect(fine).toEqual([]);
  });

  it('selectors match prototype-named keys only when the labels have them', () => {
    const selector = (key: string) => ({
      matchLabels: {},
      matchExpressions: [{ key, operator: 'Exists' as const, values: [] }],
    });
    expect(matchesSelector(selector('constructor'), { zone: 'a' })).toBe(false);
    expect(matchesSelector(selector('constructor'), { constructor: 'x' })).toBe(true);
    const notIn = {
      matchLabels: {},
      matchExpressions: [{ key: 'toString', operator: 'NotIn' as const, values: ['x'] }],
    };
    expect(matchesSelector(notIn, {})).toBe(true);
    expect(matchesSelector({ matchLabels: { toString: 'x' }, matchExpressions: [] }, {})).toBe(false);
  });
});

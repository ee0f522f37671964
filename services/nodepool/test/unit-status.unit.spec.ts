import { describe, expect, it } from 'vitest';
import { computeUnitStatus, isNodeReady, type NodeReadiness } from '../src/index.js';

describe('unit status', () => {
  it('counts ready and not-ready members and the ready rate', () => {
    const r = new Map<string, NodeReadiness>([
      ['gz-1', { condition: true }],
      ['gz-2', { condition: false }],
      ['gz-3', { condition: true, verdict: 'NotReady' }],
      ['bj-1', { condition: true }],
    ]);
    expect(computeUnitStatus(['gz-3', 'gz-1', 'gz-2'], r)).toEqual({
      total: 3,
      readyNodes: ['gz-1'],
      notReadyNodes: ['gz-2', 'gz-3'],
      readyRate: '1/3',
      readyRatio: 1 / 3,
    });
  });
  it('the arbiter verdict decides over the condition; unknown is not ready', () => {
    expect(isNodeReady({ condition: false, verdict: 'Ready' })).toBe(true);
    expect(isNodeReady({ condition: true, verdict: 'NotReady' })).toBe(false);
    expect(isNodeReady({})).toBe(false);
    expect(isNodeReady(undefined)).toBe(false);
  });
  it('an empty unit is 0/0', () => {
    expect(computeUnitStatus([], new Map())).toMatchObject({ total: 0, readyRate: '0/0', readyRatio: 0 });
  });
});

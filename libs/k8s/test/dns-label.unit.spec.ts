import { describe, expect, it } from 'vitest';
import { dns1123LabelProblems } from '../src/index.js';

describe('DNS-1123 labels (unit and group names become label keys)', () => {
  it('accepts lower-case alphanumerics and inner dashes', () => {
    expect(dns1123LabelProblems('guangzhou')).toEqual([]);
    expect(dns1123LabelProblems('zone-1a')).toEqual([]);
  });
  it('refuses dots, upper case, edge dashes, emptiness and more than 63 characters', () => {
    expect(dns1123LabelProblems('bj.1')).toHaveLength(1);
    expect(dns1123LabelProblems('Beijing')).toHaveLength(1);
    expect(dns1123LabelProblems('-bj')).toHaveLength(1);
    expect(dns1123LabelProblems('')).toEqual(['must not be empty']);
    expect(dns1123LabelProblems('a'.repeat(64))[0]).toMatch(/at most 63/);
  });
});

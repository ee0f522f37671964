import { describe, expect, it } from 'vitest';
import {
  labelValueProblems,
  nodeNameProblems,
  parseLabelArgs,
  parseTaintArgs,
  qualifiedNameProblems,
  taintProblems,
} from '../src/index.js';

describe('Kubernetes syntax', () => {
  it('node names: DNS-1123 subdomains that are not IP addresses', () => {
    expect(nodeNameProblems('edge-01.site-a')).toEqual([]);
    expect(nodeNameProblems('10.0.0.1')[0]).toContain('IP address');
    expect(nodeNameProblems('2001:db8::1')[0]).toContain('IP address');
    expect(nodeNameProblems('UPPER')).not.toEqual([]);
    expect(nodeNameProblems('edge-')).not.toEqual([]);
  });

  it('label keys: optional DNS prefix up to 253, name up to 63', () => {
    expect(qualifiedNameProblems('nvidia-device-enable')).toEqual([]);
    expect(qualifiedNameProblems('node-role.kubernetes.io/edge')).toEqual([]);
    expect(qualifiedNameProblems('a/b/c')[0]).toContain('more than one');
    expect(qualifiedNameProblems('/name')[0]).toContain('empty prefix');
    expect(qualifiedNameProblems('Example.COM/x')[0]).toContain('prefix');
    expect(qualifiedNameProblems(`x/${'n'.repeat(64)}`)[0]).toContain('63');
    expect(qualifiedNameProblems(`${'p'.repeat(254)}/n`)[0]).toContain('253');
    expect(qualifiedNameProblems('_x')).not.toEqual([]);
  });

  it('label values: empty or up to 63 alphanumerics with -_. inside', () => {
    expect(labelValueProblems('')).toEqual([]);
    expect(labelValueProblems('unit_gz.1')).toEqual([]);
    expect(labelValueProblems('v'.repeat(64))[0]).toContain('63');
    expect(labelValueProblems('a b')).not.toEqual([]);
  });

  it('taints: key, value and effect', () => {
    expect(taintProblems({ key: 'dedicated', value: 'gpu', effect: 'NoExecute' })).toEqual([]);
    expect(taintProblems({ key: 'dedicated', effect: 'Maybe' })[0]).toContain(
      'NoSchedule, PreferNoSchedule, NoExecute',
    );
  });

  it('parses kubectl-style label and taint arguments', () => {
    expect(parseLabelArgs(['a=b', 'c-', 'd='])).toEqual({ set: { a: 'b', d: '' }, remove: ['c'] });
    expect(() => parseLabelArgs(['nope'])).toThrow();
    expect(parseTaintArgs(['k=v:NoSchedule', 'k2:NoExecute', 'k3-', 'k4:NoSchedule-'])).toEqual({
      set: [
        { key: 'k', value: 'v', effect: 'NoSchedule' },
        { key: 'k2', value: '', effect: 'NoExecute' },
      ],
      remove: [{ key: 'k3' }, { key: 'k4', effect: 'NoSchedule' }],
    });
    expect(() => parseTaintArgs(['k=v'])).toThrow();
  });
});

describe('limits', () => {
  it('quotes at most a short prefix of a value', async () => {
    const { preview, qualifiedNameProblems, dns1123SubdomainProblems } = await import('../src/index.js');
    const long = 'x'.repeat(200_000);
    expect(preview(long).length).toBeLessThan(120);
    for (const p of [...qualifiedNameProblems(long), ...dns1123SubdomainProblems(long)])
      expect(p.length).toBeLessThan(200);
    expect(qualifiedNameProblems(`${'a'.repeat(70)}/b`).join()).not.toContain('a'.repeat(70));
  });

  it('bounds labels and annotations like Kubernetes, prototype keys included', async () => {
    const { labelMapProblems, annotationMapProblems, ownValue, hasKey } = await import('../src/index.js');
    expect(labelMapProblems({ constructor: 'x', toString: 'y' })).toEqual([]);
    expect(labelMapProblems({ zone: 'v'.repeat(64) })[0]).toMatch(/63/);
    expect(annotationMapProblems({ a: 'v'.repeat(256 * 1024) })[0]).toMatch(/262144/);
    expect(annotationMapProblems({ a: 'v'.repeat(1000) })).toEqual([]);
    expect(ownValue({}, 'constructor')).toBeUndefined();
    expect(hasKey({}, 'toString')).toBe(false);
  });
});

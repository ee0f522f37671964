import { describe, expect, it } from 'vitest';
import { DEFAULT_INPUT_LIMITS, inputProblems, stringProblem } from '../src/input-guard.js';
import { clip, toGrpcError } from '../src/grpc-errors.js';
import { ValidationError } from '@edgeplane/es-kit';

describe('input guard', () => {
  it('passes an ordinary request', () => {
    expect(inputProblems({ cluster: { name: 'gz' }, set: { zone: 'a' }, remove: ['x'], pods: 3 })).toEqual(
      [],
    );
  });

  it('names the field of a NUL, bad UTF-8 and a lone surrogate, without echoing the value', () => {
    const secret = 'top-secret-value';
    const v = inputProblems({
      node: { name: `a\0${secret}` },
      reason: `x\uFFFDy`,
      labels: { zone: `\uD800${secret}` },
    });
    expect(v.map((x) => x.field)).toEqual(['node.name', 'reason', 'labels.zone']);
    expect(v[0]!.description).toMatch(/NUL/);
    expect(v[1]!.description).toMatch(/UTF-8/);
    expect(v[2]!.description).toMatch(/surrogate/);
    for (const x of v) expect(x.description).not.toContain(secret);
    // a well-formed pair is fine
    expect(stringProblem('😀', 10)).toBeUndefined();
  });

  it('bounds strings (by field), repeated fields, maps and the whole request', () => {
    const long = 'a'.repeat(DEFAULT_INPUT_LIMITS.maxStringChars + 1);
    expect(inputProblems({ name: long })[0]).toMatchObject({ field: 'name' });
    // annotations and yaml get their larger bounds
    expect(inputProblems({ setNode: { annotations: { k: long } } })).toEqual([]);
    expect(inputProblems({ yaml: long })).toEqual([]);
    expect(inputProblems({ ips: Array.from({ length: 1001 }, () => '1.1.1.1') })[0]).toMatchObject({
      field: 'ips',
    });
    expect(inputProblems({ nodeCidrs: ['ok', `b\0`] })[0]).toMatchObject({ field: 'nodeCidrs[1]' });
    const many = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, 'v']));
    expect(inputProblems({ set: many })[0]).toMatchObject({ field: 'set' });
    const big = {
      yaml: 'y'.repeat(200_000),
      annotations: { a: 'z'.repeat(200_000), b: 'z'.repeat(200_000) },
    };
    expect(inputProblems(big).at(-1)).toMatchObject({ field: '(request)' });
  });

  it('treats prototype-named keys like any other key', () => {
    const m = JSON.parse('{"__proto__": "x\\u0000", "constructor": "y"}') as Record<string, string>;
    expect(inputProblems({ set: m }).map((v) => v.field)).toEqual(['set.__proto__']);
  });
});

describe('error bounds', () => {
  it('clips the message and every violation, never sending a whole input back', () => {
    const huge = 'n'.repeat(200_000);
    const err = toGrpcError(new ValidationError([{ field: 'name', description: `bad ${huge}` }]));
    expect(err.details.length).toBeLessThanOrEqual(1024);
    expect(clip('😀😀', 2)).toBe('…');
    const quoted = toGrpcError(
      new ValidationError([
        { field: 'arch', description: `architecture must be x86_64, got "${'a'.repeat(3000)}"` },
      ]),
    );
    expect(quoted.details).toBe(
      `arch: architecture must be x86_64, got "${'a'.repeat(64)}…" (3000 characters)`,
    );
  });
});

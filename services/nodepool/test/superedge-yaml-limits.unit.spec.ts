import { describe, expect, it } from 'vitest';
import { ValidationError } from '@edgeplane/es-kit';
import { parseSuperEdgeYaml } from '../src/superedge-yaml/superedge-yaml.parser.js';

const refusal = (text: string) => {
  try {
    parseSuperEdgeYaml(text);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('SuperEdge YAML bounds', () => {
  it('refuses an alias bomb as a validation error, not by expanding it', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const bomb = `apiVersion: site.superedge.io/v1alpha2\nkind: NodeUnit\nmetadata:\n  name: u\n${lines.join('\n')}\n`;
    const error = refusal(bomb);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).violations[0]?.field).toBe('documents[0]');
  });

  it('refuses oversized text and deep nesting with a short message', () => {
    const big = refusal(`# ${'x'.repeat(300 * 1024)}`);
    expect(big).toBeInstanceOf(ValidationError);
    expect((big as Error).message.length).toBeLessThan(200);
    const deep = refusal('['.repeat(100_000));
    expect(deep).toBeInstanceOf(ValidationError);
    expect((deep as Error).message.length).toBeLessThan(1000);
  });

  it('refuses NUL and lone surrogates that YAML escapes make, naming where', () => {
    const nul = refusal(
      'apiVersion: site.superedge.io/v1alpha2\nkind: NodeGroup\nmetadata: {name: "g\\0"}\nspec: {}\n',
    );
    expect(nul).toBeInstanceOf(ValidationError);
    expect((nul as ValidationError).violations[0]).toMatchObject({ field: 'documents[0].metadata.name' });
    const lone = refusal(
      'apiVersion: site.superedge.io/v1alpha2\nkind: NodeUnit\nmetadata: {name: u}\nspec: {nodes: ["\\ud800"]}\n',
    );
    expect((lone as ValidationError).violations[0]).toMatchObject({ field: 'documents[0].spec.nodes[0]' });
  });
});

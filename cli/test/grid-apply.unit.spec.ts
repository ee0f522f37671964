import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { splitApplyYaml } from '../src/commands/grid.js';

const unit =
  'apiVersion: site.superedge.io/v1alpha2\nkind: NodeUnit\nmetadata: {name: beijing}\nspec: {nodes: [bj-1]}\n';
const group =
  'apiVersion: site.superedge.io/v1alpha2\nkind: NodeGroup\nmetadata: {name: location}\nspec: {nodeUnits: [beijing]}\n';
const grid =
  'apiVersion: superedge.io/v1\nkind: DeploymentGrid\nmetadata: {name: echo}\nspec: {gridUniqKey: location}\n';
const service =
  'apiVersion: superedge.io/v1\nkind: ServiceGrid\nmetadata: {name: echo}\nspec: {gridUniqKey: location}\n';

const kinds = (text: string | null) => (text ? YAML.parseAllDocuments(text).map((d) => d.get('kind')) : null);

describe('apply -f: grid documents to the grid service, the rest to nodepool', () => {
  it('a file of sites only goes to nodepool untouched', () => {
    const text = `${unit}---\n${group}`;
    expect(splitApplyYaml(text)).toEqual({ grids: null, sites: text });
  });

  it('a mixed file is split by kind, order kept inside each part', () => {
    const parts = splitApplyYaml(`${unit}---\n${grid}---\n${group}---\n${service}`);
    expect(kinds(parts.sites)).toEqual(['NodeUnit', 'NodeGroup']);
    expect(kinds(parts.grids)).toEqual(['DeploymentGrid', 'ServiceGrid']);
  });

  it('a file of grids only has no site part; empty documents are dropped', () => {
    const parts = splitApplyYaml(`---\n${grid}---\n---\n`);
    expect(parts.sites).toBeNull();
    expect(kinds(parts.grids)).toEqual(['DeploymentGrid']);
  });

  it('an unparsable file goes whole to nodepool, whose parser names the problem', () => {
    expect(splitApplyYaml('kind: [')).toEqual({ grids: null, sites: 'kind: [' });
  });

  it('a grid file with a broken document goes whole to the grid service', () => {
    const text = `${grid}---\nkind: DeploymentGrid\nspec: [`;
    expect(splitApplyYaml(text)).toEqual({ grids: text, sites: null });
  });

  it('the parts parse back to the same objects', () => {
    const parts = splitApplyYaml(`${unit}---\n${grid}`);
    expect(YAML.parse(parts.sites!)).toEqual(YAML.parse(unit));
    expect(YAML.parse(parts.grids!)).toEqual(YAML.parse(grid));
  });
});

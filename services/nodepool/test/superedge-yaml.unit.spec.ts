import { describe, expect, it } from 'vitest';
import { ValidationError } from '@edgeplane/es-kit';
import { parseSuperEdgeYaml, planApply, type ApplyCurrent, type NodeUnitSpec } from '../src/index.js';
import { unitSpec } from './fixtures.js';

const GUIDE = `
apiVersion: site.superedge.io/v1alpha2
kind: NodeUnit
metadata:
  name: beijing
  labels: { kind: city }
spec:
  type: edge
  nodes: [bj-1, bj-2]
  setNode:
    labels:
      beijing: nodeunits.superedge.io
      location: beijing
    taints:
      - key: site
        value: bj
        effect: NoSchedule
---
apiVersion: site.superedge.io/v1alpha2
kind: NodeUnit
metadata:
  name: guangzhou
spec:
  selector:
    matchLabels: { region: gz }
    matchExpressions:
      - key: arch
        operator: In
        values: [arm64, amd64]
status:
  readyRate: 3/3
---
apiVersion: site.superedge.io/v1alpha2
kind: NodeGroup
metadata:
  name: location
spec:
  nodeUnits: [beijing, guangzhou]
  autoFindNodeKeys: []
`;

function violationsOf(text: string): { field: string; description: string }[] {
  try {
    parseSuperEdgeYaml(text);
  } catch (e) {
    if (e instanceof ValidationError) return e.violations;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('SuperEdge YAML', () => {
  it('reads the guide example: two NodeUnits and the location NodeGroup', () => {
    const { resources, warnings } = parseSuperEdgeYaml(GUIDE);
    expect(resources).toEqual([
      {
        kind: 'NodeUnit',
        name: 'beijing',
        document: 0,
        spec: {
          type: 'edge',
          nodes: ['bj-1', 'bj-2'],
          setNode: {
            labels: {},
            annotations: {},
            taints: [{ key: 'site', value: 'bj', effect: 'NoSchedule' }],
          },
          labels: { kind: 'city' },
        },
      },
      {
        kind: 'NodeUnit',
        name: 'guangzhou',
        document: 1,
        spec: {
          nodes: [],
          selector: {
            matchLabels: { region: 'gz' },
            matchExpressions: [{ key: 'arch', operator: 'In', values: ['arm64', 'amd64'] }],
          },
          setNode: { labels: {}, annotations: {}, taints: [] },
          labels: {},
        },
      },
      {
        kind: 'NodeGroup',
        name: 'location',
        document: 2,
        spec: { nodeUnits: ['beijing', 'guangzhou'], autoFindNodeKeys: [] },
      },
    ]);
    expect(warnings).toEqual([
      'NodeUnit "beijing" (documents[0]): setNode label location=beijing looks written by NodeGroup "location" and is ignored (group labels are computed)',
      'NodeUnit "guangzhou" (documents[1]): status is ignored (nodepool computes it)',
    ]);
  });

  it('reports errors with their field path', () => {
    expect(
      violationsOf(`apiVersion: site.superedge.io/v1alpha2
kind: NodeUnit
metadata: { name: u }
spec:
  setnode: { labels: { a: b } }
  selector:
    matchExpressions: [{ key: a, operator: Near }]
`),
    ).toEqual([
      {
        field: 'documents[0].spec.selector.matchExpressions[0].operator',
        description: expect.stringContaining('Invalid option'),
      },
      { field: 'documents[0].spec', description: 'Unrecognized key: "setnode"' },
    ]);
  });

  it('refuses other kinds and versions, Kins autonomy levels, bad YAML and duplicates', () => {
    expect(
      violationsOf('apiVersion: site.superedge.io/v1alpha1\nkind: NodeUnit\nmetadata: {name: a}\n')[0],
    ).toEqual({
      field: 'documents[0].apiVersion',
      description:
        'expected site.superedge.io/v1alpha2, got "site.superedge.io/v1alpha1" (v1alpha1 is not accepted; convert it: setnode → setNode)',
    });
    expect(violationsOf('apiVersion: apps/v1\nkind: Deployment\n')[0]?.field).toBe('documents[0].kind');
    expect(
      violationsOf(
        'apiVersion: site.superedge.io/v1alpha2\nkind: NodeUnit\nmetadata: {name: a}\nspec: {autonomyLevel: L5}\n',
      )[0],
    ).toMatchObject({
      field: 'documents[0].spec.autonomyLevel',
      description: expect.stringContaining('--mode ha'),
    });
    expect(violationsOf('a: [\n')[0]?.description).toMatch(/^YAML syntax/);
    expect(
      violationsOf(
        'kind: NodeGroup\napiVersion: site.superedge.io/v1alpha2\nmetadata: {name: g}\n---\nkind: NodeGroup\napiVersion: site.superedge.io/v1alpha2\nmetadata: {name: g}\n',
      )[0],
    ).toEqual({
      field: 'documents[1].metadata.name',
      description: 'NodeGroup "g" is also defined in documents[0]',
    });
    expect(
      violationsOf('apiVersion: site.superedge.io/v1alpha2\nkind: NodeUnit\nmetadata: {}\n')[0]?.field,
    ).toBe('documents[0].metadata.name');
  });

  it('plans what apply changes: created, updated (with field changes), unchanged', () => {
    const { resources } = parseSuperEdgeYaml(GUIDE);
    const empty: ApplyCurrent = { units: new Map(), groups: new Map() };
    const fresh = planApply(resources, empty);
    expect(fresh.changes.map((c) => `${c.kind}/${c.name}:${c.action}`)).toEqual([
      'NodeUnit/beijing:created',
      'NodeUnit/guangzhou:created',
      'NodeGroup/location:created',
    ]);
    expect(fresh.commands.map((c) => c.type)).toEqual([
      'CreateNodeUnit',
      'CreateNodeUnit',
      'CreateNodeGroup',
    ]);

    const bj: NodeUnitSpec = unitSpec({
      nodes: ['bj-1', 'gz-1'],
      setNode: { labels: {}, annotations: {}, taints: [{ key: 'site', value: 'bj', effect: 'NoSchedule' }] },
      labels: { kind: 'city' },
    });
    const gz: NodeUnitSpec = unitSpec({
      selector: {
        matchLabels: { region: 'gz' },
        matchExpressions: [{ key: 'arch', operator: 'In', values: ['amd64', 'arm64'] }],
      },
    });
    const current: ApplyCurrent = {
      units: new Map([
        ['beijing', { spec: bj }],
        ['guangzhou', { spec: gz }],
      ]),
      groups: new Map([['location', { spec: { nodeUnits: ['beijing'], autoFindNodeKeys: [] } }]]),
    };
    const plan = planApply(resources, current);
    expect(plan.changes).toEqual([
      { kind: 'NodeUnit', name: 'beijing', action: 'updated', changes: ['nodes: +bj-2 -gz-1'] },
      { kind: 'NodeUnit', name: 'guangzhou', action: 'unchanged', changes: [] },
      { kind: 'NodeGroup', name: 'location', action: 'updated', changes: ['nodeUnits: +guangzhou'] },
    ]);
    expect(plan.commands.map((c) => `${c.type}:${c.name}`)).toEqual([
      'UpdateNodeUnit:beijing',
      'UpdateNodeGroup:location',
    ]);
  });

  it('a file that moves a node between units releases it before taking it (no half-way conflict)', () => {
    const doc = (name: string, nodes: string[]) =>
      `apiVersion: site.superedge.io/v1alpha2\nkind: NodeUnit\nmetadata: {name: ${name}}\nspec: {nodes: [${nodes.join(', ')}]}\n`;
    // beijing (first in the file) takes gz-3, guangzhou gives it up
    const { resources } = parseSuperEdgeYaml(
      `${doc('beijing', ['bj-1', 'gz-3'])}---\n${doc('guangzhou', ['gz-1'])}`,
    );
    const current: ApplyCurrent = {
      units: new Map([
        ['beijing', { spec: unitSpec({ nodes: ['bj-1'] }) }],
        ['guangzhou', { spec: unitSpec({ nodes: ['gz-1', 'gz-3'] }) }],
      ]),
      groups: new Map(),
    };
    const plan = planApply(resources, current);
    expect(plan.changes.map((c) => c.name)).toEqual(['beijing', 'guangzhou']); // reported in file order
    expect(plan.commands.map((c) => `${c.type}:${c.name}`)).toEqual([
      'UpdateNodeUnit:guangzhou',
      'UpdateNodeUnit:beijing',
    ]);
  });

  it('apply refuses invalid specs and group-owned units', () => {
    const { resources } = parseSuperEdgeYaml(
      'apiVersion: site.superedge.io/v1alpha2\nkind: NodeUnit\nmetadata: {name: u}\nspec: {nodes: ["Bad Node"]}\n',
    );
    expect(() => planApply(resources, { units: new Map(), groups: new Map() })).toThrow(
      /documents\[0\]\.spec\.nodes/,
    );
    const auto = parseSuperEdgeYaml(
      'apiVersion: site.superedge.io/v1alpha2\nkind: NodeUnit\nmetadata: {name: site-bj}\n',
    ).resources;
    expect(() =>
      planApply(auto, {
        units: new Map([['site-bj', { spec: unitSpec(), managedBy: 'site' }]]),
        groups: new Map(),
      }),
    ).toThrow(/NodeGroup "site"/);
  });
});

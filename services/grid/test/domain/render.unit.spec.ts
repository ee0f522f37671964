import { describe, expect, it } from 'vitest';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Service } from 'kubernetes-models/v1';
import {
  childName,
  fanOut,
  pruneUnusedTemplates,
  render,
  unusedTemplates,
  renderGrid,
  CHILD_NAME_LIMIT,
  GRID_SELECTOR_LABEL,
  TEMPLATE_HASH_LABEL,
  UNIT_LABEL,
  type K8sObject,
} from '../../src/domain/index.js';
import { DEPLOYMENT_GRID, grid, workload } from './fixtures.js';

const units = [
  { name: 'guangzhou', labels: { size: 'big', region: 'south' } },
  { name: 'beijing', labels: { size: 'small', region: 'north' } },
];

type DeploymentJson = K8sObject & {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        nodeSelector: Record<string, string>;
        containers: {
          name: string;
          image: string;
          env?: { name: string; value: string }[];
          resources?: unknown;
        }[];
      };
    };
  };
};
const byName = (objects: K8sObject[], name: string) =>
  objects.find((o) => o.metadata.name === name) as DeploymentJson;

describe('fan-out: one child <grid>-<unit> per unit of the group', () => {
  it('renders one Deployment per unit, pinned to its unit, with SuperEdge labels', () => {
    const objects = render(workload(), units);
    expect(objects.map((o) => o.metadata.name)).toEqual(['echo-beijing', 'echo-guangzhou']);
    for (const o of objects) {
      expect(o.apiVersion).toBe('apps/v1');
      expect(o.kind).toBe('Deployment');
      // standard objects: valid against the Kubernetes schema
      expect(() => new Deployment(o as never).validate()).not.toThrow();
    }
    const bj = byName(objects, 'echo-beijing');
    expect(bj.metadata.labels).toMatchObject({
      app: 'echo',
      [GRID_SELECTOR_LABEL]: 'echo',
      'superedge.io/grid-uniq-key': 'location',
      [UNIT_LABEL]: 'beijing',
    });
    expect(bj.spec.template.spec.nodeSelector).toEqual({ beijing: 'nodeunits.superedge.io' });
    // siblings never share a selector
    expect(bj.spec.selector.matchLabels).toMatchObject({ app: 'echo', [UNIT_LABEL]: 'beijing' });
    expect(bj.spec.template.metadata.labels[TEMPLATE_HASH_LABEL]).toMatch(/^[0-9a-f]{10}$/);
    expect(bj.spec.replicas).toBe(3);
  });

  it('a unit joining gets its child, a unit leaving loses it', () => {
    const g = workload();
    expect(fanOut(g, units).map((c) => c.name)).toEqual(['echo-beijing', 'echo-guangzhou']);
    const joined = [...units, { name: 'shanghai', labels: {} }];
    expect(fanOut(g, joined).map((c) => c.name)).toEqual(['echo-beijing', 'echo-guangzhou', 'echo-shanghai']);
    expect(fanOut(g, units.slice(1)).map((c) => c.name)).toEqual(['echo-beijing']);
    expect(fanOut(g, [])).toEqual([]);
  });

  it('hash-shortens names past the limit: deterministic, distinct, within 63 (Deployment) / 52 (StatefulSet)', () => {
    const gridName = 'a'.repeat(40);
    const u1 = `unit-${'x'.repeat(30)}-one`;
    const u2 = `unit-${'x'.repeat(30)}-two`;
    const d1 = childName(gridName, u1, 'Deployment');
    const d2 = childName(gridName, u2, 'Deployment');
    expect(d1.length).toBeLessThanOrEqual(CHILD_NAME_LIMIT.Deployment);
    expect(d1).not.toBe(d2);
    expect(childName(gridName, u1, 'Deployment')).toBe(d1);
    expect(d1).toMatch(/^a{40}-unit-x+-[0-9a-f]{8}$/);
    expect(childName(gridName, u1, 'StatefulSet').length).toBeLessThanOrEqual(52);
    // short names are untouched
    expect(childName('echo', 'beijing', 'StatefulSet')).toBe('echo-beijing');
  });

  it('StatefulSet children: stable ordinal pod names and per-unit DNS names', () => {
    const text = DEPLOYMENT_GRID.replace('kind: DeploymentGrid', 'kind: StatefulSetGrid').replace(
      'replicas: 3',
      'replicas: 2\n    serviceName: echo-svc',
    );
    const result = renderGrid(grid(text), units);
    const bj = result.children.find((c) => c.unit === 'beijing');
    expect(bj?.object.kind).toBe('StatefulSet');
    expect(() => new StatefulSet(bj?.object as never).validate()).not.toThrow();
    expect(bj?.pods.map((p) => p.name)).toEqual(['echo-beijing-0', 'echo-beijing-1']);
    expect(bj?.pods[1]?.dns).toEqual({
      fqdn: 'echo-beijing-1.echo-svc.default.svc.cluster.local',
      unitAlias: 'echo-1.echo-svc.default.svc.cluster.local',
    });
    // the same ordinal in another unit: its own pod, the same unit-agnostic alias
    const gz = result.children.find((c) => c.unit === 'guangzhou');
    expect(gz?.pods[1]?.name).toBe('echo-guangzhou-1');
    expect(gz?.pods[1]?.dns?.unitAlias).toBe(bj?.pods[1]?.dns?.unitAlias);
    // rendering again gives the same names
    expect(renderGrid(grid(text), units).children.flatMap((c) => c.pods.map((p) => p.name))).toEqual(
      result.children.flatMap((c) => c.pods.map((p) => p.name)),
    );
  });

  it('ServiceGrid: one Service <grid>-svc with topologyKeys, valid v1', () => {
    const sg = grid(`
apiVersion: superedge.io/v1
kind: ServiceGrid
metadata: { name: echo }
spec:
  gridUniqKey: location
  template:
    selector: { app: echo }
    ports: [{ port: 80, targetPort: 8080 }]
`);
    const [svc] = render(sg, units);
    expect(svc?.kind).toBe('Service');
    expect(svc?.metadata.name).toBe('echo-svc');
    expect(svc?.metadata.annotations?.topologyKeys).toBe('["location"]');
    expect(() => new Service(svc as never).validate()).not.toThrow();
  });
});

describe('per-unit differences', () => {
  const pooled = DEPLOYMENT_GRID.replace(
    'gridUniqKey: location',
    `gridUniqKey: location
  templatePool:
    canary:
      replicas: 1
      selector: { matchLabels: { app: echo } }
      template:
        metadata: { labels: { app: echo } }
        spec: { containers: [{ name: echo, image: "edgeplane/echo:2" }] }
  templates: { beijing: canary }`,
  );

  it('SuperEdge templatePool + templates: the listed unit gets its pool template, others spec.template', () => {
    const objects = render(workload(pooled), units);
    const bj = byName(objects, 'echo-beijing');
    const gz = byName(objects, 'echo-guangzhou');
    expect(bj.spec.template.spec.containers[0]?.image).toBe('edgeplane/echo:2');
    expect(bj.spec.replicas).toBe(1);
    expect(bj.metadata.annotations?.['edgeplane.io/template']).toBe('canary');
    expect(gz.spec.template.spec.containers[0]?.image).toBe('edgeplane/echo:1');
    expect(gz.spec.replicas).toBe(3);
    // different templates → different template hashes
    expect(bj.spec.template.metadata.labels[TEMPLATE_HASH_LABEL]).not.toBe(
      gz.spec.template.metadata.labels[TEMPLATE_HASH_LABEL],
    );
  });

  it('defaultTemplateName names the pool entry every unlisted unit gets', () => {
    const text = pooled.replace(
      'templates: { beijing: canary }',
      'templates: { beijing: default }\n  defaultTemplateName: canary',
    );
    const objects = render(workload(text), units);
    expect(byName(objects, 'echo-beijing').spec.template.spec.containers[0]?.image).toBe('edgeplane/echo:1');
    expect(byName(objects, 'echo-guangzhou').spec.template.spec.containers[0]?.image).toBe(
      'edgeplane/echo:2',
    );
  });

  const overridden = `${DEPLOYMENT_GRID}  overriders:
    - name: big
      unitSelector: { matchLabels: { size: big } }
      replicas: 5
      images: [{ container: echo, image: "edgeplane/echo:big" }]
      env: [{ name: MODE, value: big }, { name: TIER, value: gold }]
      resources: [{ container: echo, requests: { cpu: 500m }, limits: { memory: 1Gi } }]
    - name: south
      unitSelector: { matchExpressions: [{ key: region, operator: In, values: [south] }] }
      replicas: 4
      env: [{ name: TIER, remove: true }]
    - name: by-name
      units: [beijing]
      replicas: 2
`;

  it('overriders by unit label selector: replicas, image, env, resources', () => {
    const objects = render(workload(overridden), units);
    const gz = byName(objects, 'echo-guangzhou');
    const c = gz.spec.template.spec.containers[0];
    expect(c?.image).toBe('edgeplane/echo:big');
    expect(c?.env).toEqual([{ name: 'MODE', value: 'big' }]);
    expect(c?.resources).toEqual({ requests: { cpu: '500m', memory: '64Mi' }, limits: { memory: '1Gi' } });
    expect(gz.metadata.annotations?.['edgeplane.io/overriders']).toBe('big,south');
    const bj = byName(objects, 'echo-beijing');
    expect(bj.spec.template.spec.containers[0]?.image).toBe('edgeplane/echo:1');
    expect(bj.spec.replicas).toBe(2);
    expect(bj.spec.template.spec.containers[0]?.env).toBeUndefined();
  });

  it('precedence: pool template < overriders in declaration order (later wins)', () => {
    // guangzhou matches big (5) then south (4): the later one wins
    expect(byName(render(workload(overridden), units), 'echo-guangzhou').spec.replicas).toBe(4);
    // and overriders apply on top of the pool template chosen by templates
    const both = `${pooled}  overriders:
    - units: [beijing]
      images: [{ container: '*', image: "edgeplane/echo:3" }]
`;
    const bj = byName(render(workload(both), units), 'echo-beijing');
    expect(bj.spec.template.spec.containers[0]?.image).toBe('edgeplane/echo:3');
    expect(bj.spec.replicas).toBe(1); // from the canary pool template
    // nodeSelector is the platform's, never the template's to remove
    expect(bj.spec.template.spec.nodeSelector).toEqual({ beijing: 'nodeunits.superedge.io' });
  });

  it('scaling a unit does not change its template hash; changing its image does', () => {
    const base = fanOut(workload(), units);
    const scaled = fanOut(workload(DEPLOYMENT_GRID.replace('replicas: 3', 'replicas: 7')), units);
    const image = fanOut(workload(DEPLOYMENT_GRID.replace('echo:1', 'echo:9')), units);
    expect(scaled.map((c) => c.templateHash)).toEqual(base.map((c) => c.templateHash));
    expect(scaled[0]?.replicas).toBe(7);
    expect(image[0]?.templateHash).not.toBe(base[0]?.templateHash);
  });

  it('autoDeleteUnusedTemplate drops pool entries no unit and no default uses (SuperEdge)', () => {
    const withSpare = pooled.replace(
      '  templates: { beijing: canary }',
      `    spare:
      selector: { matchLabels: { app: echo } }
      template:
        metadata: { labels: { app: echo } }
        spec: { containers: [{ name: echo, image: "edgeplane/echo:0" }] }
  templates: { beijing: canary }`,
    );
    const kept = workload(withSpare);
    expect(unusedTemplates(kept)).toEqual(['spare']);
    expect(pruneUnusedTemplates(kept)).toBe(kept); // flag off: nothing removed
    const pruned = pruneUnusedTemplates(workload(`${withSpare}  autoDeleteUnusedTemplate: true\n`));
    expect(Object.keys(pruned.spec.templatePool)).toEqual(['canary']);
  });
});

import { describe, expect, it } from 'vitest';
import { ValidationError } from '@edgeplane/es-kit';
import { parseGrid, parseGridYaml, GRID_LIMITS } from '../../src/domain/index.js';
import { DEPLOYMENT_GRID, SUPEREDGE_EXAMPLES, workload } from './fixtures.js';

function violations(text: string): { field: string; description: string }[] {
  try {
    parseGridYaml(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).violations;
  }
  throw new Error('expected a ValidationError');
}

describe('parseGridYaml: superedge.io/v1 grids as SuperEdge accepts them', () => {
  it('reads a DeploymentGrid with defaults (namespace, defaultTemplateName, rollout strategy)', () => {
    const g = workload();
    expect(g.kind).toBe('DeploymentGrid');
    expect(g.metadata).toMatchObject({ name: 'echo', namespace: 'default', labels: { app: 'echo' } });
    expect(g.spec.gridUniqKey).toBe('location');
    expect(g.spec.defaultTemplateName).toBe('default');
    expect(g.spec.templatePool).toEqual({});
    expect(g.spec.rolloutStrategy).toMatchObject({ waves: [], waveSize: '25%', soakSeconds: 30 });
  });

  it("accepts SuperEdge's documented DeploymentGrid, ServiceGrid and StatefulSetGrid as they are", () => {
    const parsed = parseGridYaml(SUPEREDGE_EXAMPLES);
    expect(parsed.grids.map((g) => `${g.grid.kind}/${g.grid.metadata.name}`)).toEqual([
      'DeploymentGrid/deploymentgrid-demo',
      'ServiceGrid/servicegrid-demo',
      'StatefulSetGrid/statefulsetgrid-demo',
    ]);
    expect(parsed.warnings).toEqual([expect.stringMatching(/status is ignored/)]);
  });

  it('reads templatePool, templates, defaultTemplateName and a StatefulSetGrid + ServiceGrid in one file', () => {
    const text = `
apiVersion: superedge.io/v1
kind: StatefulSetGrid
metadata: { name: db }
spec:
  gridUniqKey: location
  defaultTemplateName: small
  templatePool:
    small:
      replicas: 1
      selector: { matchLabels: { app: db } }
      template:
        metadata: { labels: { app: db } }
        spec: { containers: [{ name: db, image: "db:1" }] }
    big:
      replicas: 3
      selector: { matchLabels: { app: db } }
      template:
        metadata: { labels: { app: db } }
        spec: { containers: [{ name: db, image: "db:1" }] }
  templates: { beijing: big }
---
apiVersion: superedge.io/v1
kind: ServiceGrid
metadata: { name: db }
spec:
  gridUniqKey: location
  template:
    selector: { app: db }
    ports: [{ port: 5432 }]
`;
    const parsed = parseGridYaml(text);
    expect(parsed.grids.map((g) => g.grid.kind)).toEqual(['StatefulSetGrid', 'ServiceGrid']);
    const ssg = parsed.grids[0]?.grid;
    if (ssg?.kind !== 'StatefulSetGrid') throw new Error('kind');
    expect(Object.keys(ssg.spec.templatePool)).toEqual(['big', 'small']);
    expect(ssg.spec.templates).toEqual({ beijing: 'big' });
    // no serviceName in the template: governed by the ServiceGrid of the same name
    expect(ssg.spec.templatePool.small?.serviceName).toBe('db-svc');
    expect(parsed.warnings.join()).toMatch(/serviceName/);
  });

  it('refuses what SuperEdge refuses, naming the field path', () => {
    expect(violations(DEPLOYMENT_GRID.replace('superedge.io/v1', 'superedge.io/v2'))).toEqual([
      expect.objectContaining({ field: 'documents[0].apiVersion' }),
    ]);
    expect(violations(DEPLOYMENT_GRID.replace('kind: DeploymentGrid', 'kind: DaemonSetGrid'))[0]?.field).toBe(
      'documents[0].kind',
    );
    expect(violations(DEPLOYMENT_GRID.replace('gridUniqKey: location', 'gridUniqKey: ""'))[0]?.field).toBe(
      'documents[0].spec.gridUniqKey',
    );
    // a typo in a spec field is not dropped silently
    expect(
      violations(
        DEPLOYMENT_GRID.replace('gridUniqKey: location', 'gridUniqKey: location\n  templatepool: {}'),
      )[0]?.field,
    ).toBe('documents[0].spec.templatepool');
    // templates naming a pool entry that does not exist (SuperEdge: error)
    expect(
      violations(
        DEPLOYMENT_GRID.replace(
          'gridUniqKey: location',
          'gridUniqKey: location\n  templates: { beijing: canary }',
        ),
      ),
    ).toEqual([
      expect.objectContaining({
        field: 'documents[0].spec.templates.beijing',
        description: expect.stringMatching(/canary/),
      }),
    ]);
  });

  it('validates the embedded Deployment spec against the Kubernetes schema (kubernetes-models)', () => {
    const noImageName = DEPLOYMENT_GRID.replace('- name: echo\n', '- image2: x\n');
    const v = violations(noImageName);
    expect(v.some((x) => x.field.startsWith('documents[0].spec.template.template.spec.containers[0]'))).toBe(
      true,
    );
    const badReplicas = violations(DEPLOYMENT_GRID.replace('replicas: 3', 'replicas: three'));
    expect(badReplicas[0]?.field).toBe('documents[0].spec.template.replicas');
  });

  it('names and labels within Kubernetes limits', () => {
    const long = 'a'.repeat(64);
    expect(
      violations(DEPLOYMENT_GRID.replace('name: echo\n  namespace', `name: ${long}\n  namespace`))[0]?.field,
    ).toBe('documents[0].metadata.name');
    expect(
      violations(DEPLOYMENT_GRID.replace('labels: { app: echo }\nspec', 'labels: { "bad key!": x }\nspec'))[0]
        ?.field,
    ).toBe('documents[0].metadata.labels');
    expect(
      violations(DEPLOYMENT_GRID.replace('name: echo\n  namespace', 'name: Echo\n  namespace'))[0]?.field,
    ).toBe('documents[0].metadata.name');
  });

  it('reads overriders and the rollout strategy, refusing unknown containers and bad quantities', () => {
    const ok = `${DEPLOYMENT_GRID}  overriders:
    - name: big-sites
      unitSelector: { matchLabels: { size: big } }
      replicas: 5
      images: [{ container: echo, image: "edgeplane/echo:2" }]
      env: [{ name: MODE, value: big }]
      resources: [{ requests: { cpu: 500m } }]
  rolloutStrategy:
    waves: [{ name: canary, units: [beijing] }]
    maxUnavailable: 1
    soakSeconds: 60
`;
    const g = workload(ok);
    expect(g.spec.overriders[0]).toMatchObject({ name: 'big-sites', replicas: 5 });
    expect(g.spec.rolloutStrategy).toMatchObject({
      waves: [{ name: 'canary', units: ['beijing'] }],
      maxUnavailable: 1,
      soakSeconds: 60,
    });
    expect(violations(ok.replace('container: echo, image', 'container: web, image'))[0]?.field).toBe(
      'documents[0].spec.overriders[0].images[0].container',
    );
    expect(violations(ok.replace('cpu: 500m } }]', 'cpu: lots } }]'))[0]?.field).toBe(
      'documents[0].spec.overriders[0].resources[0].requests.cpu',
    );
    // a matcher that selects nothing by accident is refused
    expect(violations(ok.replace('      unitSelector: { matchLabels: { size: big } }\n', ''))[0]?.field).toBe(
      'documents[0].spec.overriders[0]',
    );
    expect(violations(ok.replace('maxUnavailable: 1', 'maxUnavailable: 0'))[0]?.field).toBe(
      'documents[0].spec.rolloutStrategy.maxUnavailable',
    );
  });

  it('is bounded: size, alias bombs, documents, duplicates', () => {
    expect(violations('x'.repeat(GRID_LIMITS.yamlChars + 1))[0]?.field).toBe('yaml');
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      );
    const started = Date.now();
    expect(violations(bomb.join('\n'))[0]?.description).toMatch(/could not be read|alias/i);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(violations(`${DEPLOYMENT_GRID}---${DEPLOYMENT_GRID}`)).toEqual([
      expect.objectContaining({
        field: 'documents[1].metadata.name',
        description: expect.stringMatching(/also defined in documents\[0\]/),
      }),
    ]);
    expect(violations('a: "\\0"')[0]?.description).toMatch(/NUL/);
  });

  it('parseGrid reads a decoded object (a stored manifest) the same way, paths prefixed by `at`', () => {
    const g = workload();
    expect(parseGrid(JSON.parse(JSON.stringify(g)))).toEqual(g);
    const broken = { ...g, spec: { ...g.spec, gridUniqKey: 'Not A Group' } };
    try {
      parseGrid(broken, 'manifest');
      throw new Error('expected a ValidationError');
    } catch (error) {
      expect((error as ValidationError).violations[0]?.field).toBe('manifest.spec.gridUniqKey');
    }
  });
});

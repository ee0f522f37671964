import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/discovery/discovery.js';
import { ApiError } from '../src/http/status.js';
import { fieldsMatch, parseFieldSelector } from '../src/resources/field-selector.js';
import { deploymentGridsResource, invalid, serviceGridsResource } from '../src/resources/grids.js';
import { podObject, podsResource } from '../src/resources/pods.js';
import type { KubeObject, RequestContext } from '../src/resources/resource.js';
import { UpstreamError } from '../src/upstream/upstream.js';
import { RESOURCES } from '../src/resources/routing-table.js';

const ctx = {
  clusterId: 'cls-1',
  kubernetesVersion: '1.22.5',
  runtime: 'containerd',
  resourceVersion: '42',
  now: new Date('2026-01-01T00:10:00Z'),
} as RequestContext;

describe('field selectors', () => {
  it('=, == and != terms on supported fields; an unsupported field is 400 naming it', () => {
    const terms = parseFieldSelector('spec.nodeName=bj-1,status.phase!=Failed', [
      'spec.nodeName',
      'status.phase',
    ]);
    expect(terms).toEqual([
      { field: 'spec.nodeName', value: 'bj-1', equal: true },
      { field: 'status.phase', value: 'Failed', equal: false },
    ]);
    expect(fieldsMatch(terms, { 'spec.nodeName': 'bj-1', 'status.phase': 'Running' })).toBe(true);
    expect(fieldsMatch(terms, { 'spec.nodeName': 'bj-2', 'status.phase': 'Running' })).toBe(false);
    expect(fieldsMatch(terms, { 'spec.nodeName': 'bj-1', 'status.phase': 'Failed' })).toBe(false);
    expect(parseFieldSelector('metadata.name==x', ['metadata.name'])).toEqual([
      { field: 'metadata.name', value: 'x', equal: true },
    ]);
    expect(parseFieldSelector('', ['metadata.name'])).toEqual([]);
    let error: unknown;
    try {
      parseFieldSelector('spec.bogus=1', ['metadata.name']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(400);
    expect((error as ApiError).message).toBe('field label not supported: spec.bogus');
    expect(() => parseFieldSelector('novalue', ['metadata.name'])).toThrow(/invalid field selector term/);
    expect(() => parseFieldSelector(Array(17).fill('metadata.name=a').join(','), ['metadata.name'])).toThrow(
      /at most 16/,
    );
  });
});

describe('grids (superedge.io/v1)', () => {
  it('watch follows only its own kind’s grid events; GridApplied at generation 1 is ADDED', () => {
    const ev = deploymentGridsResource.watchEvent!;
    expect(
      ev('GridApplied', { clusterId: 'c', name: 'hello', kind: 'DeploymentGrid', generation: 1 }),
    ).toEqual({
      name: 'hello',
      added: true,
    });
    expect(ev('GridApplied', { name: 'hello', kind: 'DeploymentGrid', generation: 2 })).toEqual({
      name: 'hello',
      added: false,
    });
    expect(ev('GridDeleted', { name: 'hello', kind: 'ServiceGrid' })).toBeUndefined();
    expect(serviceGridsResource.watchEvent!('GridDeleted', { name: 'hello', kind: 'ServiceGrid' })).toEqual({
      name: 'hello',
      added: false,
    });
  });

  it('unknown top-level and spec fields are listed for fieldValidation; a ServiceGrid has only gridUniqKey and template', () => {
    const dg = {
      apiVersion: 'superedge.io/v1',
      kind: 'DeploymentGrid',
      metadata: { name: 'x' },
      spec: { gridUniqKey: 'location', template: {}, rolloutStrategy: {}, gridUniqkey: 'typo' },
      extra: true,
    } as unknown as KubeObject;
    expect(deploymentGridsResource.fromVersion!(dg, 'v1').unknownFields).toEqual([
      'extra',
      'spec.gridUniqkey',
    ]);
    const sg = {
      apiVersion: 'superedge.io/v1',
      kind: 'ServiceGrid',
      metadata: { name: 'x' },
      spec: { gridUniqKey: 'location', template: {}, overriders: [] },
    } as unknown as KubeObject;
    expect(serviceGridsResource.fromVersion!(sg, 'v1').unknownFields).toEqual(['spec.overriders']);
    expect(() =>
      deploymentGridsResource.fromVersion!({ ...dg, spec: [] } as unknown as KubeObject, 'v1'),
    ).toThrow(/spec: must be an object/);
  });

  it("the grid service's INVALID_ARGUMENT is kube-apiserver's Invalid naming the kind, one cause per field", () => {
    const e = invalid(
      'DeploymentGrid',
      'hello',
      new UpstreamError(3, 'bad grid', [
        { field: 'spec.template.template.spec.containers[0].image', description: 'must be string' },
      ]),
    ) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.code).toBe(422);
    expect(e.message).toBe(
      'DeploymentGrid.superedge.io "hello" is invalid: spec.template.template.spec.containers[0].image: must be string',
    );
    expect(e.details).toEqual({
      name: 'hello',
      group: 'superedge.io',
      kind: 'DeploymentGrid',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'must be string',
          field: 'spec.template.template.spec.containers[0].image',
        },
      ],
    });
    const notFound = new UpstreamError(5, 'no such cluster', []);
    expect(invalid('DeploymentGrid', 'hello', notFound)).toBe(notFound);
  });

  it('Table cells: grid key, units, scheduled/desired over every child, rollout, age, children (wide)', () => {
    const obj = {
      apiVersion: 'superedge.io/v1',
      kind: 'DeploymentGrid',
      metadata: { name: 'hello', creationTimestamp: '2026-01-01T00:05:00Z' },
      spec: { gridUniqKey: 'location' },
      status: {
        states: {
          beijing: { name: 'hello-beijing', replicas: 2, scheduledReplicas: 2, pendingReplicas: 0 },
          guangzhou: { name: 'hello-guangzhou', replicas: 2, scheduledReplicas: 1, pendingReplicas: 1 },
        },
        rollout: { state: 'Complete' },
      },
    } as unknown as KubeObject;
    expect(deploymentGridsResource.cells(obj, ctx.now)).toEqual([
      'hello',
      'location',
      2,
      '3/4',
      'Complete',
      '5m',
      'hello-beijing,hello-guangzhou',
    ]);
    expect(deploymentGridsResource.columns.map((c) => c.name)).toEqual([
      'Name',
      'Grid-Key',
      'Units',
      'Scheduled',
      'Rollout',
      'Age',
      'Children',
    ]);
  });

  it('OpenAPI: namespaced paths whose patch declares fieldValidation, and a schema explain can walk into the pod template', () => {
    const doc = openApiDocument(RESOURCES, 'apis/superedge.io/v1') as any;
    const patch = doc.paths['/apis/superedge.io/v1/namespaces/{namespace}/deploymentgrids/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'superedge.io',
      version: 'v1',
      kind: 'DeploymentGrid',
    });
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
    const spec = doc.components.schemas['io.superedge.v1.DeploymentGrid'].properties.spec;
    expect(Object.keys(spec.properties)).toEqual([
      'gridUniqKey',
      'template',
      'templatePool',
      'templates',
      'defaultTemplateName',
      'autoDeleteUnusedTemplate',
      'overriders',
      'rolloutStrategy',
    ]);
    expect(
      spec.properties.template.properties.template.properties.spec.properties.containers.items.properties
        .image,
    ).toBeDefined();
    const ss = doc.components.schemas['io.superedge.v1.StatefulSetGrid'].properties.spec;
    expect(ss.properties.template.properties.serviceName).toBeDefined();
    const sg = doc.components.schemas['io.superedge.v1.ServiceGrid'].properties.spec;
    expect(Object.keys(sg.properties)).toEqual(['gridUniqKey', 'template']);
  });
});

describe('pods (v1)', () => {
  const pod = {
    clusterId: 'cls-1',
    name: 'hello-beijing-0',
    grid: 'hello',
    child: 'hello-beijing',
    unit: 'beijing',
    node: 'bj-1',
    phase: 'Scheduled',
    reason: '',
    revision: 'r1',
    specYaml: 'containers:\n  - name: web\n    image: busybox\n',
    updatedAt: '2026-01-01T00:09:00Z',
    reported: false,
    ready: false,
    failed: false,
    statusReason: '',
    ip: '',
  };
  const facts = { namespace: 'apps', labelsOf: () => ({ app: 'hello' }) };

  it('a placed pod: nodeName, labels of its template plus grid and unit, the grid’s namespace, Scheduled until its agent reports', () => {
    const o = podObject(ctx, pod as never, facts);
    expect(o).toMatchObject({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'hello-beijing-0',
        namespace: 'apps',
        labels: { app: 'hello', 'superedge.io/grid-selector': 'hello', 'edgeplane.io/unit': 'beijing' },
      },
      spec: { nodeName: 'bj-1', containers: [{ name: 'web', image: 'busybox' }] },
      status: {
        phase: 'Pending',
        conditions: [
          { type: 'PodScheduled', status: 'True' },
          { type: 'Ready', status: 'False' },
        ],
      },
    });
    expect(podsResource.cells(o, ctx.now)).toEqual([
      'hello-beijing-0',
      '0/1',
      'Scheduled',
      '0',
      '60s',
      '<none>',
      'bj-1',
      'beijing',
    ]);
  });

  it('a Pending pod carries the placement reason; a reported ready pod is Running with its IP', () => {
    const pending = podObject(
      ctx,
      { ...pod, node: '', reason: '0/2 nodes are available: 2 Insufficient cpu' } as never,
      facts,
    );
    expect(pending.spec).toEqual({ containers: [{ name: 'web', image: 'busybox' }] });
    expect((pending.status as any).conditions).toEqual([
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message: '0/2 nodes are available: 2 Insufficient cpu',
      },
    ]);
    expect(podsResource.cells(pending, ctx.now)[2]).toBe('Pending');
    const running = podObject(
      ctx,
      { ...pod, reported: true, ready: true, failed: false, statusReason: '', ip: '10.0.0.7' } as never,
      facts,
    );
    expect(running.status).toMatchObject({ phase: 'Running', podIP: '10.0.0.7' });
    expect(podsResource.cells(running, ctx.now).slice(0, 3)).toEqual(['hello-beijing-0', '1/1', 'Running']);
    const failed = podObject(
      ctx,
      { ...pod, reported: true, failed: true, statusReason: 'ErrImagePull', ip: '' } as never,
      facts,
    );
    expect(podsResource.cells(failed, ctx.now)[2]).toBe('ErrImagePull');
    const starting = podObject(ctx, { ...pod, reported: true } as never, facts);
    expect(starting.status).toMatchObject({ phase: 'Pending' });
    expect(podsResource.cells(starting, ctx.now).slice(1, 3)).toEqual(['0/1', 'ContainerCreating']);
  });

  it('field selectors the kubelet and kubectl use: spec.nodeName, status.phase, metadata.namespace', () => {
    const o = podObject(ctx, pod as never, facts);
    expect(podsResource.fieldMatches!(o, 'spec.nodeName=bj-1')).toBe(true);
    expect(podsResource.fieldMatches!(o, 'spec.nodeName=bj-2')).toBe(false);
    expect(podsResource.fieldMatches!(o, 'metadata.namespace=apps,status.phase!=Running')).toBe(true);
    expect(() => podsResource.fieldMatches!(o, 'spec.hostname=x')).toThrow(/field label not supported/);
    expect(podsResource.watchEvent!('PodScheduled', { pod: 'p', previousNode: null })).toEqual({
      name: 'p',
      added: true,
    });
    expect(podsResource.watchEvent!('PodUnscheduled', { pod: 'p' })).toEqual({ name: 'p', added: false });
    expect(podsResource.watchEvent!('GridApplied', { name: 'g' })).toBeUndefined();
  });
});

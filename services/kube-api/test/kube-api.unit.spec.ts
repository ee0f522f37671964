import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { Authenticator } from '../src/auth/authenticate.js';
import { authorize } from '../src/auth/authorize.js';
import { aggregatedDiscovery, openApiDocument, openApiPaths } from '../src/discovery/discovery.js';
import { mergePatch, strategicMergePatch } from '../src/http/patch.js';
import { ApiError } from '../src/http/status.js';
import { humanAge, type KubeObject } from '../src/resources/resource.js';
import { RESOURCES } from '../src/resources/routing-table.js';
import { nodeGroupsResource, nodeUnitsResource } from '../src/resources/site-superedge.js';
import type { Upstream } from '../src/upstream/upstream.js';

describe('patches', () => {
  it('merge patch follows RFC 7386 (null removes, objects merge, arrays replace)', () => {
    const target = { metadata: { labels: { a: '1', b: '2' } }, spec: { taints: [{ key: 'x' }] } };
    expect(mergePatch(target, { metadata: { labels: { b: null, c: '3' } }, spec: { taints: [] } })).toEqual({
      metadata: { labels: { a: '1', c: '3' } },
      spec: { taints: [] },
    });
    expect(mergePatch({ a: 'b' }, { a: 'c' })).toEqual({ a: 'c' });
    expect(mergePatch({ a: [{ b: 'c' }] }, { a: [1] })).toEqual({ a: [1] });
    expect(mergePatch(['a', 'b'], ['c', 'd'])).toEqual(['c', 'd']);
  });

  it('strategic merge patch: kubectl cordon/uncordon bodies, ordering hints ignored, $patch honoured, unknown directives refused', () => {
    const node = { spec: { taints: [{ key: 't', effect: 'NoSchedule' }] }, metadata: { name: 'n' } };
    expect(strategicMergePatch(node, { spec: { unschedulable: true } })).toEqual({
      spec: { taints: [{ key: 't', effect: 'NoSchedule' }], unschedulable: true },
      metadata: { name: 'n' },
    });
    expect(strategicMergePatch({ spec: { unschedulable: true } }, { spec: { unschedulable: null } })).toEqual(
      { spec: {} },
    );
    expect(
      strategicMergePatch(node, {
        spec: { '$setElementOrder/taints': [{ key: 't' }], taints: [{ key: 'u', effect: 'NoExecute' }] },
      }),
    ).toEqual({ spec: { taints: [{ key: 'u', effect: 'NoExecute' }] }, metadata: { name: 'n' } });
    expect(
      strategicMergePatch(
        { metadata: { labels: { a: '1' } } },
        { metadata: { labels: { $patch: 'replace', b: '2' } } },
      ),
    ).toEqual({
      metadata: { labels: { b: '2' } },
    });
    expect(() => strategicMergePatch(node, { spec: { '$deleteFromPrimitiveList/x': ['a'] } })).toThrow(
      ApiError,
    );
  });
});

describe('server-rendered ages (as kube-apiserver prints them)', () => {
  const now = new Date('2026-01-10T00:00:00Z');
  const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();
  it.each([
    [5, '5s'],
    [119, '119s'],
    [150, '2m30s'],
    [600, '10m'],
    [3 * 3600 + 60, '3h1m'],
    [10 * 3600, '10h'],
    [3 * 86400 + 3600, '3d1h'],
    [30 * 86400, '30d'],
    [800 * 86400, '2y'],
  ])('%i s → %s', (s, text) => expect(humanAge(ago(s), now)).toBe(text));
  it('no timestamp → <unknown>', () => expect(humanAge(undefined, now)).toBe('<unknown>'));
});

describe('site.superedge.io conversion (v1alpha2 storage ⇄ v1alpha1)', () => {
  const v1alpha1Unit: KubeObject = {
    apiVersion: 'site.superedge.io/v1alpha1',
    kind: 'NodeUnit',
    metadata: { name: 'gz' },
    spec: { type: 'edge', nodes: ['a'], setnode: { labels: { site: 'gz' } } },
  };
  it('v1alpha1 setnode comes in as v1alpha2 setNode and goes back out', () => {
    const { object, unknownFields } = nodeUnitsResource.fromVersion!(v1alpha1Unit, 'v1alpha1');
    expect(unknownFields).toEqual([]);
    expect(object).toMatchObject({
      apiVersion: 'site.superedge.io/v1alpha2',
      spec: { setNode: { labels: { site: 'gz' } } },
    });
    expect((object.spec as Record<string, unknown>).setnode).toBeUndefined();
    expect(nodeUnitsResource.toVersion!(object, 'v1alpha1')).toEqual(v1alpha1Unit);
  });
  it('NodeGroup nodeunits / autofindnodekeys', () => {
    const { object } = nodeGroupsResource.fromVersion!(
      {
        apiVersion: 'site.superedge.io/v1alpha1',
        kind: 'NodeGroup',
        metadata: { name: 'g' },
        spec: { nodeunits: ['a'], autofindnodekeys: ['k'] },
      },
      'v1alpha1',
    );
    expect(object.spec).toEqual({ nodeUnits: ['a'], autoFindNodeKeys: ['k'] });
  });
  it('unknown fields are listed per version (the v2 spelling is unknown in v1alpha1 and the reverse)', () => {
    expect(
      nodeUnitsResource.fromVersion!({ ...v1alpha1Unit, spec: { setNode: {}, nodez: [] } }, 'v1alpha1')
        .unknownFields,
    ).toEqual(['spec.setNode', 'spec.nodez']);
    expect(
      nodeUnitsResource.fromVersion!({ ...v1alpha1Unit, extra: 1 } as KubeObject, 'v1alpha2').unknownFields,
    ).toEqual(['extra', 'spec.setnode']);
  });
});

describe('discovery and OpenAPI from the routing table', () => {
  it('aggregated discovery lists nodes under the legacy group and both site versions under /apis', () => {
    const core = aggregatedDiscovery(RESOURCES, true, 'apidiscovery.k8s.io/v2');
    expect(core.items[0]?.versions[0]?.resources.map((r) => r.resource)).toEqual([
      'nodes',
      'namespaces',
      'events',
      'pods',
    ]);
    const apis = aggregatedDiscovery(RESOURCES, false, 'apidiscovery.k8s.io/v2');
    expect(apis.items.map((i) => [i.metadata.name, i.versions.map((v) => v.version)])).toEqual([
      ['site.superedge.io', ['v1alpha2', 'v1alpha1']],
      ['superedge.io', ['v1']],
      ['events.k8s.io', ['v1']],
      ['health.edgeplane.io', ['v1']],
      ['authorization.k8s.io', ['v1']],
    ]);
  });
  it('every group-version has a document whose patch declares fieldValidation and names its kind', () => {
    expect(openApiPaths(RESOURCES)).toEqual([
      'api/v1',
      'apis/site.superedge.io/v1alpha2',
      'apis/site.superedge.io/v1alpha1',
      'apis/superedge.io/v1',
      'apis/events.k8s.io/v1',
      'apis/health.edgeplane.io/v1',
      'apis/authorization.k8s.io/v1',
    ]);
    const doc = openApiDocument(RESOURCES, 'apis/site.superedge.io/v1alpha1') as any;
    const patch = doc.paths['/apis/site.superedge.io/v1alpha1/nodeunits/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'site.superedge.io',
      version: 'v1alpha1',
      kind: 'NodeUnit',
    });
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
    expect(
      doc.components.schemas['io.superedge.site.v1alpha1.NodeUnit'].properties.spec.properties.setnode,
    ).toBeDefined();
    expect(openApiDocument(RESOURCES, 'apis/nothing/v1')).toBeUndefined();
  });
});

describe('authentication and authorization', () => {
  async function certificate(notBefore: Date, notAfter: Date): Promise<Buffer> {
    const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: 'CN=edgeplane:admin:c1, O=system:masters',
      notBefore,
      notAfter,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      keys,
    });
    return Buffer.from(cert.rawData);
  }
  const socketWith = (raw?: Buffer) =>
    ({ getPeerCertificate: () => (raw ? { raw } : {}) }) as unknown as TLSSocket;
  const calls: unknown[] = [];
  const upstream = {
    verifyCredential: async (req: unknown) => {
      calls.push(req);
      return { valid: true, kind: 'admin', nodeName: '', authorized: true, reason: '', serial: '01' };
    },
  } as unknown as Upstream;

  it('no certificate, an expired one or one not yet valid → 401 before the cluster service is asked', async () => {
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    const auth = new Authenticator(upstream, 30_000);
    const day = 86_400_000;
    await expect(auth.authenticate(socketWith(), 'c1')).rejects.toMatchObject({ code: 401 });
    const expired = await certificate(new Date(Date.now() - 10 * day), new Date(Date.now() - day));
    await expect(auth.authenticate(socketWith(expired), 'c1')).rejects.toMatchObject({
      code: 401,
      message: /expired/,
    });
    const future = await certificate(new Date(Date.now() + day), new Date(Date.now() + 10 * day));
    await expect(auth.authenticate(socketWith(future), 'c1')).rejects.toMatchObject({ code: 401 });
    expect(calls).toHaveLength(0);
    const valid = await certificate(new Date(Date.now() - day), new Date(Date.now() + day));
    await expect(auth.authenticate(socketWith(valid), 'c1')).resolves.toMatchObject({
      user: 'edgeplane:admin:c1',
      groups: ['system:masters'],
      kind: 'admin',
    });
    await auth.authenticate(socketWith(valid), 'c1'); // cached
    expect(calls).toHaveLength(1);
  });

  it('system:masters may do everything; a node reads its own Node only', () => {
    expect(
      authorize(
        { user: 'admin', groups: ['system:masters'], kind: 'admin' },
        { verb: 'delete', group: 'site.superedge.io', resource: 'nodeunits', name: 'x' },
      ),
    ).toBeUndefined();
    const node = {
      user: 'system:node:gz-1',
      groups: ['system:nodes'],
      kind: 'node' as const,
      nodeName: 'gz-1',
    };
    expect(authorize(node, { verb: 'get', group: '', resource: 'nodes', name: 'gz-1' })).toBeUndefined();
    const denied = authorize(node, { verb: 'get', group: '', resource: 'nodes', name: 'gz-2' });
    expect(denied).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(denied?.message).toBe(
      `nodes "gz-2" is forbidden: User "system:node:gz-1" cannot get resource "nodes" in API group "" at the cluster scope: no relationship found between node 'gz-1' and this object`,
    );
    expect(authorize(node, { verb: 'patch', group: '', resource: 'nodes', name: 'gz-1' })).toMatchObject({
      code: 403,
    });
  });
});

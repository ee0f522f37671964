import type { EdgeplaneNodepoolV1 } from '@edgeplane/proto';
import { describe, expect, it } from 'vitest';
import { authorize } from '../src/auth/authorize.js';
import type { Identity } from '../src/auth/identity.js';
import { ApiError } from '../src/http/status.js';
import type { RequestContext } from '../src/resources/resource.js';
import { nodeGroupsResource, nodeUnitsResource } from '../src/resources/site-superedge.js';
import type { Upstream } from '../src/upstream/upstream.js';

const who = (groups: string[], user = 'bob'): Identity => ({ user, groups, kind: 'user' });

const promoting: EdgeplaneNodepoolV1.Kins__Output = {
  clusterId: 'c1',
  unit: 'beijing',
  phase: 'promoting',
  generation: 3,
  mode: 'single',
  nodes: [
    { name: 'bj-1', role: 'server' },
    { name: 'bj-2', role: 'agent' },
  ],
  serviceCidr: '26.0.0.0/16',
  clusterDns: '26.0.0.10',
  nodePortRange: { from: 30000, to: 30999 },
  internalKubeconfigRef: 'ref',
  publicKubeconfigRef: '',
  publicAccess: false,
  failureReason: '',
  apiServerEndpoint: '',
  k3sVersion: '',
};

/** The requests the subresource hands to nodepool (what the owner would get), and its answer. */
function context() {
  const calls: { method: string; req: unknown }[] = [];
  const upstream = {
    promote: async (req: unknown) => (calls.push({ method: 'Promote', req }), promoting),
    demote: async (req: unknown) => (
      calls.push({ method: 'Demote', req }),
      { ...promoting, phase: 'demoting' }
    ),
    getKins: async (req: unknown) => (calls.push({ method: 'GetKins', req }), promoting),
  } as unknown as Upstream;
  const ctx = { clusterId: 'c1', resourceVersion: '42', upstream, identity: who(['system:masters']) };
  return { calls, ctx: ctx as unknown as RequestContext };
}
const kins = nodeUnitsResource.subresources!.kins!;
const refused = async (body: unknown) => {
  const { calls, ctx } = context();
  const e = await kins.post!(ctx, 'beijing', body).then(
    () => undefined,
    (err: unknown) => err as ApiError,
  );
  expect(calls, 'nothing reaches nodepool').toEqual([]);
  return e;
};

describe('nodeunits/{name}/kins', () => {
  it('GET is GetKins as a NodeUnitKins object', async () => {
    const { calls, ctx } = context();
    const got = (await kins.get!(ctx, 'beijing')) as any;
    expect(calls).toEqual([{ method: 'GetKins', req: { cluster: 'c1', unit: 'beijing' } }]);
    expect(got).toMatchObject({
      kind: 'NodeUnitKins',
      metadata: { name: 'beijing', resourceVersion: '42' },
      status: {
        phase: 'promoting',
        generation: 3,
        mode: 'single',
        nodes: [
          { name: 'bj-1', role: 'server' },
          { name: 'bj-2', role: 'agent' },
        ],
        serviceCIDR: '26.0.0.0/16',
        nodePortRange: { from: 30000, to: 30999 },
        publicAccess: false,
      },
    });
    expect(got.status.failureReason).toBeUndefined();
  });

  it('POST promote/demote become Promote/Demote with the given options', async () => {
    const { calls, ctx } = context();
    await kins.post!(ctx, 'beijing', { action: 'promote' });
    await kins.post!(ctx, 'beijing', {
      action: 'promote',
      mode: 'ha',
      servers: ['bj-1', 'bj-2', 'bj-3'],
      serviceCIDR: '10.96.0.0/16',
      nodePortRange: { from: 31000, to: 31999 },
    });
    const demoted = (await kins.post!(ctx, 'beijing', { action: 'demote' })) as any;
    expect(demoted.status.phase).toBe('demoting');
    expect(calls).toEqual([
      {
        method: 'Promote',
        req: { cluster: 'c1', unit: 'beijing', mode: 'single', servers: [], serviceCidr: '' },
      },
      {
        method: 'Promote',
        req: {
          cluster: 'c1',
          unit: 'beijing',
          mode: 'ha',
          servers: ['bj-1', 'bj-2', 'bj-3'],
          serviceCidr: '10.96.0.0/16',
          nodePortRange: { from: 31000, to: 31999 },
        },
      },
      { method: 'Demote', req: { cluster: 'c1', unit: 'beijing' } },
    ]);
  });

  it('bad bodies are refused naming the field, before nodepool', async () => {
    expect((await refused([]))?.code).toBe(400);
    expect((await refused({ action: 'promote', colour: 'blue' }))?.message).toMatch(/unknown field "colour"/);
    const action = await refused({ action: 'upgrade' });
    expect(action).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(action?.details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'action',
        message: 'Unsupported value: must be "promote" or "demote"',
      },
    ]);
    expect((await refused({ action: 'promote', mode: 'triple' }))?.message).toMatch(/^mode: /);
    expect((await refused({ action: 'promote', servers: ['a', 'b', 'c', 'd'] }))?.message).toMatch(
      /servers: must be a list of at most 3/,
    );
    expect((await refused({ action: 'promote', servers: ['Not A Node'] }))?.message).toMatch(
      /^servers\[0\]: /,
    );
    expect((await refused({ action: 'promote', serviceCIDR: 'x'.repeat(50) }))?.message).toMatch(
      /^serviceCIDR: /,
    );
    expect((await refused({ action: 'promote', nodePortRange: { from: 0, to: 70000 } }))?.message).toMatch(
      /^nodePortRange: /,
    );
    expect((await refused({ action: 'demote', mode: 'ha' }))?.message).toMatch(/^mode: not used by demote/);
  });

  it('view reads the Kins state but cannot promote; edit can', () => {
    const at = (verb: 'get' | 'create') => ({
      verb,
      group: 'site.superedge.io',
      resource: 'nodeunits',
      subresource: 'kins',
      name: 'beijing',
    });
    expect(authorize(who(['edgeplane:view']), at('get'))).toBeUndefined();
    expect(authorize(who(['edgeplane:view']), at('create'))?.message).toMatch(
      /cannot create resource "nodeunits\/kins"/,
    );
    expect(authorize(who(['edgeplane:edit']), at('create'))).toBeUndefined();
  });
});

describe('NodeUnit and NodeGroup watches (EDGEPLANE_NODEPOOL)', () => {
  it("a unit's events, Kins phases included, name the unit; a group's name the group", () => {
    expect(nodeUnitsResource.watchSubject).toBe('edgeplane.nodepool.node-unit.>');
    expect(nodeUnitsResource.watchEvent!('NodeUnitCreated', { clusterId: 'c1', name: 'beijing' })).toEqual({
      name: 'beijing',
      added: true,
    });
    expect(nodeUnitsResource.watchEvent!('NodeUnitMembersChanged', { name: 'beijing' })).toEqual({
      name: 'beijing',
      added: false,
    });
    expect(
      nodeUnitsResource.watchEvent!('KinsPromotionRequested', { unit: 'beijing', generation: 1 }),
    ).toEqual({
      name: 'beijing',
      added: false,
    });
    expect(nodeUnitsResource.watchEvent!('Whatever', { other: 1 })).toBeUndefined();
    expect(nodeGroupsResource.watchSubject).toBe('edgeplane.nodepool.node-group.>');
    expect(nodeGroupsResource.watchEvent!('NodeGroupCreated', { name: 'location' })).toEqual({
      name: 'location',
      added: true,
    });
  });
});

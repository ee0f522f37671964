import type { EdgeplaneGridV1 } from '@edgeplane/proto';
import { describe, expect, it } from 'vitest';
import { authorize } from '../src/auth/authorize.js';
import type { Identity } from '../src/auth/authenticate.js';
import { ApiError } from '../src/http/status.js';
import {
  deploymentGridsResource,
  rolloutAction,
  rolloutStatus,
  serviceGridsResource,
  statefulSetGridsResource,
} from '../src/resources/grids.js';
import { podsResource } from '../src/resources/pods.js';
import type { KubeObject } from '../src/resources/resource.js';

const who = (groups: string[], user = 'bob'): Identity => ({ user, groups, kind: 'user' });

const halted: EdgeplaneGridV1.Rollout__Output = {
  generation: 2,
  state: 'Failed',
  waves: [
    { index: 0, name: 'canary', units: ['beijing'], state: 'completed', updatedUnits: 1, totalUnits: 1 },
    {
      index: 1,
      name: 'rest',
      units: ['guangzhou', 'shanghai'],
      state: 'halted',
      updatedUnits: 1,
      totalUnits: 2,
    },
  ],
  currentWave: 1,
  updatedUnits: 2,
  totalUnits: 3,
  message: '[#############-------] 2/3 units halted at wave 2/2 "rest": unit shanghai: ErrImagePull',
  units: [
    { unit: 'beijing', state: 'Done' },
    { unit: 'guangzhou', state: 'Done' },
    { unit: 'shanghai', state: 'Failed' },
  ],
  undo: false,
  fromGeneration: 1,
  haltedUnit: 'shanghai',
  haltedPod: 'web-shanghai-0',
  haltedReason: 'ErrImagePull: image not found',
};

describe('rollout status (status.rollout and the rollout subresource)', () => {
  it('carries the wave in progress, each wave units updated/total, each unit state and why it halted', () => {
    expect(rolloutStatus(halted)).toEqual({
      generation: 2,
      fromGeneration: 1,
      state: 'Failed',
      updatedUnits: 2,
      totalUnits: 3,
      currentWave: 1,
      waves: [
        { index: 0, name: 'canary', state: 'completed', units: ['beijing'], updatedUnits: 1, totalUnits: 1 },
        {
          index: 1,
          name: 'rest',
          state: 'halted',
          units: ['guangzhou', 'shanghai'],
          updatedUnits: 1,
          totalUnits: 2,
        },
      ],
      unitStates: { beijing: 'Done', guangzhou: 'Done', shanghai: 'Failed' },
      halted: { unit: 'shanghai', pod: 'web-shanghai-0', reason: 'ErrImagePull: image not found' },
      message: halted.message,
    });
  });

  it('a rollout without a halt or a previous revision names neither; undo is said', () => {
    const r = rolloutStatus({
      ...halted,
      state: 'Progressing',
      haltedUnit: '',
      haltedPod: '',
      haltedReason: '',
      fromGeneration: 0,
      undo: true,
    });
    expect(r.halted).toBeUndefined();
    expect(r.fromGeneration).toBeUndefined();
    expect(r.undo).toBe(true);
  });
});

describe('rollout actions (POST <grids>/<name>/rollout)', () => {
  it('takes {"action": "pause" | "resume" | "undo"}', () => {
    expect(rolloutAction({ action: 'pause' })).toBe('pause');
    expect(rolloutAction({ apiVersion: 'superedge.io/v1', kind: 'Rollout', action: 'undo' })).toBe('undo');
  });

  it('anything else is 400 naming the field and why', () => {
    const reason = (body: unknown) => {
      try {
        rolloutAction(body);
      } catch (e) {
        expect(e).toBeInstanceOf(ApiError);
        expect((e as ApiError).code).toBe(400);
        return (e as ApiError).message;
      }
      throw new Error('accepted');
    };
    expect(reason({})).toBe('action: required (one of pause, resume, undo)');
    expect(reason({ action: 'restart' })).toBe('action: "restart" is not one of pause, resume, undo');
    expect(reason({ action: 3 })).toMatch(/^action: "3" is not one of/);
    expect(reason({ action: 'pause', force: true })).toBe(
      'unknown field "force": the body takes only "action"',
    );
    expect(reason(['pause'])).toMatch(/must be a JSON object/);
    expect(reason({ action: 'x'.repeat(10_000) }).length).toBeLessThan(200);
  });

  it('is served on DeploymentGrid and StatefulSetGrid, not on ServiceGrid (no rollout there)', () => {
    expect(deploymentGridsResource.subresources?.rollout?.post).toBeTypeOf('function');
    expect(statefulSetGridsResource.subresources?.rollout?.get).toBeTypeOf('function');
    expect(serviceGridsResource.subresources).toBeUndefined();
  });

  it('view reads the rollout and may not act; edit acts', () => {
    const at = {
      group: 'superedge.io',
      resource: 'deploymentgrids',
      subresource: 'rollout',
      name: 'web',
      namespace: 'default',
    };
    expect(authorize(who(['edgeplane:view']), { ...at, verb: 'get' })).toBeUndefined();
    const refused = authorize(who(['edgeplane:view'], 'vera'), { ...at, verb: 'create' });
    expect(refused?.code).toBe(403);
    expect(refused?.message).toBe(
      'deploymentgrids.superedge.io "web" is forbidden: User "vera" cannot create resource "deploymentgrids/rollout" in API group "superedge.io" in the namespace "default"',
    );
    expect(authorize(who(['edgeplane:edit']), { ...at, verb: 'create' })).toBeUndefined();
  });
});

describe('grid watch: rollout and endpoint events change the object', () => {
  it('rollout events name a workload grid (maybe: they do not say the kind); endpoint events a ServiceGrid', () => {
    const data = { clusterId: 'c', name: 'web', generation: 2 };
    expect(deploymentGridsResource.watchEvent?.('RolloutWaveStarted', data)).toEqual({
      name: 'web',
      added: false,
      maybe: true,
    });
    expect(statefulSetGridsResource.watchEvent?.('RolloutPaused', data)?.maybe).toBe(true);
    expect(serviceGridsResource.watchEvent?.('RolloutPaused', data)).toBeUndefined();
    expect(serviceGridsResource.watchEvent?.('ServiceEndpointsChanged', { ...data, unit: 'bj' })).toEqual({
      name: 'web',
      added: false,
      maybe: true,
    });
    expect(deploymentGridsResource.watchEvent?.('ServiceEndpointsChanged', data)).toBeUndefined();
    // the grid's own events still say their kind
    expect(
      deploymentGridsResource.watchEvent?.('GridApplied', { ...data, kind: 'DeploymentGrid', generation: 1 }),
    ).toEqual({ name: 'web', added: true });
    expect(
      deploymentGridsResource.watchEvent?.('GridApplied', { ...data, kind: 'StatefulSetGrid' }),
    ).toBeUndefined();
    // pod events on the same stream are not a grid's
    expect(deploymentGridsResource.watchEvent?.('PodScheduled', { clusterId: 'c', pod: 'web-bj-0' })).toBe(
      undefined,
    );
  });
});

describe('pod watch: the agents reports (tunnel stream) change pods', () => {
  const report = (ready: boolean, reason?: string) => ({
    clusterId: 'c',
    node: 'bj-1',
    pods: [
      {
        name: 'web-bj-0',
        ready,
        phase: ready ? 'Running' : 'Pending',
        ...(reason ? { reason } : {}),
        podIP: '10.0.0.5',
      },
    ],
  });
  const pod = (ready: boolean): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-bj-0' },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });

  it('each reported pod is a hit, settled once the grid shows its readiness, keyed by its status', () => {
    const side = podsResource.statusWatch!;
    expect(side.stream).toBe('EDGEPLANE_TUNNEL');
    const [hit] = side.hits('NodePodsStatusReported', report(true));
    expect(hit?.name).toBe('web-bj-0');
    expect(hit?.settled?.(pod(true))).toBe(true);
    expect(hit?.settled?.(pod(false))).toBe(false);
    const [notReady] = side.hits('NodePodsStatusReported', report(false, 'CrashLoopBackOff'));
    expect(notReady?.key).not.toBe(hit?.key);
    expect(side.hits('NodePodsStatusReported', report(true))[0]?.key).toBe(hit?.key);
    expect(side.hits('NodeConnected', report(true))).toEqual([]);
    expect(side.hits('NodePodsStatusReported', { clusterId: 'c', pods: 'nope' })).toEqual([]);
  });
});

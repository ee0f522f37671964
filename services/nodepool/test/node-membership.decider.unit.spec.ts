import { describe, expect, it } from 'vitest';
import { DeciderSpecification, fold } from '@edgeplane/es-kit';
import {
  computeMembership,
  EMPTY_LAYER,
  nodeMembershipDecider,
  withUnit,
  type NodeLayer,
  type NodeMembershipEvent,
} from '../src/index.js';
import { CLUSTER, guideWorld, LATER, NOW, unit } from './fixtures.js';

const spec = DeciderSpecification(nodeMembershipDecider);
const desired = (w = guideWorld(), n = 'gz-2') => computeMembership(w).nodes.get(n) as NodeLayer;
const reconcile = (layer: NodeLayer, now = NOW) => ({
  type: 'ReconcileNodeMembership' as const,
  clusterId: CLUSTER,
  node: 'gz-2',
  desired: layer,
  now,
});

describe('node-membership — ReconcileNodeMembership', () => {
  const first: NodeMembershipEvent = {
    type: 'NodeMembershipChanged',
    data: {
      clusterId: CLUSTER,
      node: 'gz-2',
      units: ['guangzhou'],
      groups: { location: 'guangzhou' },
      labels: { guangzhou: 'nodeunits.superedge.io', location: 'guangzhou' },
      annotations: {},
      taints: [],
      labelsSet: { guangzhou: 'nodeunits.superedge.io', location: 'guangzhou' },
      labelsRemoved: [],
      annotationsSet: {},
      annotationsRemoved: [],
      taintsAdded: [],
      taintsRemoved: [],
      at: NOW,
      streamVersion: 1,
    },
  };

  it('publishes the guide node gz-2 layer (location=guangzhou + unit label) with its diff', () => {
    spec.given([]).when(reconcile(desired())).then([first]);
  });

  it('is idempotent when the desired layer is already applied', () => {
    spec.given([first]).when(reconcile(desired())).thenNothingHappens();
  });

  it('moving gz-2 to beijing sets the new labels and removes the old one', () => {
    const w = withUnit(
      withUnit(guideWorld(), unit('beijing', { nodes: ['bj-1', 'bj-2', 'gz-2'] })),
      unit('guangzhou', { nodes: ['gz-1', 'gz-3'] }),
    );
    const [event] = spec
      .given([first])
      .when(reconcile(desired(w), LATER))
      .events();
    expect(event?.data).toMatchObject({
      units: ['beijing'],
      groups: { location: 'beijing' },
      labels: { beijing: 'nodeunits.superedge.io', location: 'beijing' },
      labelsSet: { beijing: 'nodeunits.superedge.io', location: 'beijing' },
      labelsRemoved: ['guangzhou'],
      // the stream's second event: consumers keep the highest version they applied
      streamVersion: 2,
    });
  });

  it('clears everything when the node leaves every unit (or the cluster)', () => {
    const [event] = spec.given([first]).when(reconcile(EMPTY_LAYER)).events();
    expect(event?.data).toMatchObject({
      units: [],
      labels: {},
      labelsSet: {},
      labelsRemoved: ['guangzhou', 'location'],
    });
    const state = fold(nodeMembershipDecider, [first, event as NodeMembershipEvent]);
    expect(state).toMatchObject({ status: 'applied', layer: { labels: {} } });
    spec
      .given([first, event as NodeMembershipEvent])
      .when(reconcile(EMPTY_LAYER))
      .thenNothingHappens();
    spec.given([]).when(reconcile(EMPTY_LAYER)).thenNothingHappens();
  });
});

import { describe, expect, it } from 'vitest';
import {
  ClusterDeleted,
  HealthSettingsChanged,
  NodeMembershipChanged,
  NodeRemoved,
  NodeVerdictChanged,
  STREAMS,
  UnitHealthCheckSwitched,
  isEvent,
  subscriptionOf,
  type Envelope,
} from '../src/index.js';

describe('subscriptionOf: stream and filter subject from catalogue entries', () => {
  it('one event: its own subject in its own stream', () => {
    expect(subscriptionOf([NodeMembershipChanged])).toEqual({
      stream: STREAMS.NODEPOOL,
      filterSubject: 'edgeplane.nodepool.node-membership.changed',
    });
  });

  it('several events: the longest common subject prefix', () => {
    expect(subscriptionOf([NodeRemoved, ClusterDeleted]).filterSubject).toBe('edgeplane.cluster.>');
    expect(subscriptionOf([HealthSettingsChanged, UnitHealthCheckSwitched]).filterSubject).toBe(
      'edgeplane.health.settings.>',
    );
  });

  it('refuses events of two streams (NATS 2.9 has one filter per consumer)', () => {
    expect(() => subscriptionOf([NodeRemoved, NodeVerdictChanged])).toThrow(/different streams/);
    expect(() => subscriptionOf([])).toThrow(/at least one/);
  });
});

describe('isEvent', () => {
  const envelope = (type: string, version = 1): Envelope => ({
    id: '0190a8f0-0000-7000-8000-000000000001',
    type,
    version,
    streamId: 's',
    streamPosition: 1,
    globalPosition: 1,
    occurredAt: new Date(0).toISOString(),
    data: {},
    metadata: {},
  });

  it('matches type and schema version', () => {
    expect(isEvent(envelope('NodeRemoved'), NodeRemoved, ClusterDeleted)).toBe(true);
    expect(isEvent(envelope('NodeRemoved', 2), NodeRemoved)).toBe(false);
    expect(isEvent(envelope('NodeJoined'), NodeRemoved, ClusterDeleted)).toBe(false);
  });
});

import { validateEventData } from '@edgeplane/contracts';
import { DeciderSpecification, IllegalStateError } from '@edgeplane/es-kit';
import { describe, expect, it } from 'vitest';
import { connectionDecider, type ConnectionEvent } from '../src/connection/connection.decider.js';
import { gatewayCaDecider, type GatewayCaEvent } from '../src/gateway-ca/gateway-ca.decider.js';

const T0 = '2026-11-28T10:00:00.000Z';
const T1 = '2026-11-28T10:05:30.500Z';
const node = { clusterId: 'cls-1', nodeName: 'edge-a' };
const connect = (sessionId: string, at = T0) => ({
  type: 'RecordConnected' as const,
  ...node,
  sessionId,
  replica: 'r1',
  agentVersion: '0.1.0',
  ips: ['10.0.0.1'],
  probePort: 51005,
  at,
});
const disconnect = (sessionId: string, reason: 'agent-gone' | 'revoked' = 'agent-gone', at = T1) => ({
  type: 'RecordDisconnected' as const,
  ...node,
  sessionId,
  reason,
  at,
});
const connected = (sessionId: string, replacesSessionId: string | null = null): ConnectionEvent => ({
  type: 'NodeConnected',
  data: {
    ...node,
    sessionId,
    replica: 'r1',
    agentVersion: '0.1.0',
    ips: ['10.0.0.1'],
    probePort: 51005,
    replacesSessionId,
    connectedAt: T0,
  },
});

describe('node connection decider', () => {
  const spec = DeciderSpecification(connectionDecider);

  it('records a first connection', () => {
    spec
      .given([])
      .when(connect('s1'))
      .then([connected('s1')]);
  });

  it('records the same session only once', () => {
    spec
      .given([connected('s1')])
      .when(connect('s1'))
      .thenNothingHappens();
  });

  it('a newer session replaces the current one and names it', () => {
    spec
      .given([connected('s1')])
      .when(connect('s2'))
      .then([connected('s2', 's1')]);
  });

  it('records the end of the current session with how long it lasted', () => {
    spec
      .given([connected('s1')])
      .when(disconnect('s1', 'revoked'))
      .then([
        {
          type: 'NodeDisconnected',
          data: {
            ...node,
            sessionId: 's1',
            replica: 'r1',
            reason: 'revoked',
            connectedSeconds: 330.5,
            disconnectedAt: T1,
          },
        },
      ]);
  });

  it('ignores the late close of a superseded session', () => {
    spec
      .given([connected('s1'), connected('s2', 's1')])
      .when(disconnect('s1'))
      .thenNothingHappens();
  });

  it('ignores a close when nothing is connected', () => {
    spec.given([]).when(disconnect('s1')).thenNothingHappens();
  });

  it('produces events the catalogue accepts', () => {
    for (const e of [
      ...connectionDecider.decide(connect('s1'), connectionDecider.initialState),
      ...spec
        .given([connected('s1')])
        .when(disconnect('s1'))
        .events(),
    ])
      expect(() => validateEventData(e.type, 1, e.data)).not.toThrow();
  });
});

describe('gateway CA decider', () => {
  const spec = DeciderSpecification(gatewayCaDecider);
  const publish = (caHash: string) => ({
    type: 'PublishGatewayCa' as const,
    caCertPem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n',
    caHash,
    servingKeyPin: `sha256//${'A'.repeat(43)}=`,
    notAfter: T1,
    at: T0,
  });
  const published = (caHash: string): GatewayCaEvent => ({
    type: 'GatewayCaPublished',
    data: {
      caCertPem: publish(caHash).caCertPem,
      caHash,
      servingKeyPin: publish(caHash).servingKeyPin,
      notAfter: T1,
      publishedAt: T0,
    },
  });
  const hash = (c: string) => `sha256:${c.repeat(64)}`;

  it('publishes the CA made at first start', () => {
    spec
      .given([])
      .when(publish(hash('a')))
      .then([published(hash('a'))]);
    expect(() => validateEventData('GatewayCaPublished', 1, published(hash('a')).data)).not.toThrow();
  });

  it('publishing the same CA again is a no-op', () => {
    spec
      .given([published(hash('a'))])
      .when(publish(hash('a')))
      .thenNothingHappens();
  });

  it('never replaces a published CA (nodes pinned it)', () => {
    spec
      .given([published(hash('a'))])
      .when(publish(hash('b')))
      .thenThrows(IllegalStateError, (e) => /never replaced/.test(e.message));
  });
});

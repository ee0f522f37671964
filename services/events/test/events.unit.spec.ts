import { catalogue, isPublicEvent, PUBLIC_EVENTS, publicEventScope, STREAMS } from '@edgeplane/contracts';
import { describe, expect, it } from 'vitest';
import { acceptPreEncodedResponses, loadPackage, protoFilesOf } from '@edgeplane/proto';
import { asyncApiDocument } from '../src/catalogue/asyncapi.js';
import { encodeSubscribeResponse } from '../src/stream/encode.js';
import type { SubscribeMessage } from '../src/subscribe/subscriptions.js';
import { BadCursorError, decodeCursor, encodeCursor } from '../src/stream/cursor.js';
import { matches, publicSources, sourcePlan } from '../src/stream/sources.js';
import { signatureHeader, verifySignature } from '../src/webhooks/cloudevent.js';

const all = { types: [], cluster: '', node: '', unit: '' };

describe('public events', () => {
  it('every public type is in the catalogue and names its cluster; secret-bearing ones are internal', () => {
    for (const type of [
      'NodeJoined',
      'NodeRemoved',
      'NodeVerdictChanged',
      'NodeUnitUpgradedToK3s',
      'RolloutWaveStarted',
    ])
      expect(isPublicEvent(type)).toBe(true);
    for (const type of [
      'JoinTokenCreated',
      'NodeCredentialIssued',
      'ClusterAdminCredentialIssued',
      'NodeMembershipChanged',
    ])
      expect(isPublicEvent(type)).toBe(false);
    const types = new Set(catalogue.all().map((d) => d.type));
    for (const type of Object.keys(PUBLIC_EVENTS)) expect(types.has(type), type).toBe(true);
  });

  it('scope: nodes and units per event; no cluster → not public; own keys only', () => {
    expect(publicEventScope('NodeJoined', { clusterId: 'c1', nodeName: 'gz-1' })).toEqual({
      clusterId: 'c1',
      nodes: ['gz-1'],
      units: [],
    });
    expect(
      publicEventScope('NodeUnitMembersChanged', {
        clusterId: 'c1',
        name: 'gz',
        added: ['a'],
        removed: ['b'],
      }),
    ).toEqual({
      clusterId: 'c1',
      nodes: ['a', 'b'],
      units: ['gz'],
    });
    expect(publicEventScope('NodeJoined', { nodeName: 'x' })).toBeUndefined();
    expect(publicEventScope('JoinTokenCreated', { clusterId: 'c1' })).toBeUndefined();
    expect(publicEventScope('constructor', { clusterId: 'c1' })).toBeUndefined();
  });
});

describe('sources and filters', () => {
  it('reads only the streams holding public events, with the narrowest filter subject', () => {
    expect(publicSources().map((s) => s.name)).toEqual(
      [STREAMS.CLUSTER.name, STREAMS.GRID.name, STREAMS.HEALTH.name, STREAMS.NODEPOOL.name].sort(),
    );
    expect(sourcePlan({ ...all, types: ['NodeJoined'] })).toEqual([
      { source: STREAMS.CLUSTER, filterSubject: 'edgeplane.cluster.node.joined' },
    ]);
    const both = sourcePlan({ ...all, types: ['NodeJoined', 'NodeRemoved', 'NodeUnitUpgradedToK3s'] });
    expect(both.map((p) => [p.source.name, p.filterSubject])).toEqual([
      [STREAMS.CLUSTER.name, 'edgeplane.cluster.>'],
      [STREAMS.NODEPOOL.name, 'edgeplane.nodepool.node-unit.upgraded-to-k3s'],
    ]);
  });

  it('matches by type, cluster, node, unit and the clusters a caller may read', () => {
    const e = { type: 'NodeJoined', data: { clusterId: 'c1', nodeName: 'gz-1' } };
    expect(matches(e, all)).toBe(true);
    expect(matches(e, { ...all, types: ['NodeRemoved'] })).toBe(false);
    expect(matches(e, { ...all, cluster: 'c2' })).toBe(false);
    expect(matches(e, { ...all, node: 'gz-1' })).toBe(true);
    expect(matches(e, { ...all, node: 'gz-2' })).toBe(false);
    expect(matches(e, { ...all, unit: 'gz' })).toBe(false);
    expect(matches(e, all, new Set(['c2']))).toBe(false);
    expect(matches({ type: 'NodeCredentialIssued', data: { clusterId: 'c1', nodeName: 'gz-1' } }, all)).toBe(
      false,
    );
  });
});

describe('cursor', () => {
  it('round-trips; anything else is a BadCursorError', () => {
    const c = {
      positions: { EDGEPLANE_CLUSTER: 12, EDGEPLANE_NODEPOOL: 0 },
      since: '2026-11-28T17:00:00.000Z',
    };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    for (const bad of [
      '',
      'not a cursor!',
      Buffer.from('{"v":2,"p":{}}').toString('base64url'),
      'x'.repeat(3000),
    ])
      expect(() => decodeCursor(bad)).toThrow(BadCursorError);
    const negative = Buffer.from(JSON.stringify({ v: 1, p: { EDGEPLANE_CLUSTER: -1 } })).toString(
      'base64url',
    );
    expect(() => decodeCursor(negative)).toThrow(BadCursorError);
  });
});

describe('webhook signatures', () => {
  it('verifies the HMAC of "<t>.<body>" within the tolerance, nothing else', () => {
    const secret = 'whsec_test';
    const body = '{"id":"1"}';
    const h = signatureHeader(secret, body, 1_000_000);
    expect(verifySignature(secret, body, h, 1_000_100)).toBe(true);
    expect(verifySignature(secret, `${body} `, h, 1_000_100)).toBe(false);
    expect(verifySignature('whsec_other', body, h, 1_000_100)).toBe(false);
    expect(verifySignature(secret, body, h, 1_000_000 + 301)).toBe(false); // replayed too late
    expect(verifySignature(secret, body, 'garbage', 1_000_000)).toBe(false);
  });
});

describe('AsyncAPI document', () => {
  it('has a channel per subject and a message per type and version, public ones marked', () => {
    const doc = asyncApiDocument() as any;
    expect(doc.asyncapi).toBe('3.0.0');
    const subjects = new Set(catalogue.all().map((d) => d.subject));
    expect(Object.keys(doc.channels)).toHaveLength(subjects.size);
    expect(Object.keys(doc.components.messages)).toHaveLength(catalogue.all().length);
    expect(doc.components.messages['JoinTokenCreated.v1']['x-edgeplane-upcast-to']).toBe(2);
    for (const [id, ch] of Object.entries<any>(doc.channels)) {
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
      const visibility = Object.keys(ch.messages).some((m) => isPublicEvent(m.split('.')[0]!))
        ? 'public'
        : 'internal';
      expect(ch['x-edgeplane-visibility']).toBe(visibility);
    }
  });
});

describe('Subscribe responses encoded by hand', () => {
  const def = loadPackage(protoFilesOf('events')).packageDefinition as any;
  const method = def['edgeplane.events.v1.EventService'].Subscribe;
  const event = (i: number) => ({
    id: `0191f2a0-0000-7000-8000-00000000000${i}`,
    type: 'NodeJoined',
    version: 1,
    streamId: `node-c-${i}`,
    streamPosition: String(i),
    occurredAt: '2026-11-28T20:00:00.000Z',
    actor: 'user:é',
    dataJson: JSON.stringify({ clusterId: 'c', nodeName: `n-${i}`, labels: 'x'.repeat(300 * i) }),
    clusterId: 'c',
    source: 'EDGEPLANE_CLUSTER',
    sequence: String(1000 + i),
  });

  it('are the bytes the generic encoder makes, and decode to the same message (single, batch, start)', () => {
    const messages: SubscribeMessage[] = [
      { event: event(1), cursor: 'eyJ2IjoxfQ' },
      { event: null, cursor: 'c0' },
      { event: null, batch: [], cursor: 'c1' },
      { event: null, batch: [event(1), event(2), event(3)], cursor: 'c'.repeat(200) },
    ];
    for (const message of messages) {
      const mine = encodeSubscribeResponse(message);
      expect(mine.equals(method.responseSerialize(message)), JSON.stringify(message).slice(0, 60)).toBe(true);
      const back = method.responseDeserialize(mine);
      expect(back.cursor).toBe(message.cursor);
      expect(back.event?.id ?? null).toBe(message.event?.id ?? null);
      expect((back.batch ?? []).map((e: any) => e.dataJson)).toEqual(
        ('batch' in message ? message.batch : []).map((e) => e!.dataJson),
      );
    }
    // the server's encoder (nestGrpcOptions applies acceptPreEncodedResponses) passes such bytes
    // through as they are, and still encodes objects
    const served = loadPackage(protoFilesOf('events')).packageDefinition as any;
    acceptPreEncodedResponses(served);
    const subscribe = served['edgeplane.events.v1.EventService'].Subscribe;
    const bytes = encodeSubscribeResponse({ event: event(2), cursor: 'x' });
    expect(subscribe.responseSerialize(bytes)).toBe(bytes);
    expect(subscribe.responseSerialize({ event: event(2), cursor: 'x' }).equals(bytes)).toBe(true);
  });
});

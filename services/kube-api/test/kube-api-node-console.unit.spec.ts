import type { IncomingMessage } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { websocketBearer } from '../src/auth/authenticate.js';
import { fromUpstream, type ApiError } from '../src/http/status.js';
import { drainGracePeriod } from '../src/resources/node-drain.js';
import { nodeObject, ownerAnnotations } from '../src/resources/nodes.js';
import { UpstreamError } from '../src/upstream/upstream.js';

type Node = Parameters<typeof ownerAnnotations>[0];
const node = (over: Partial<Node>): Node =>
  ({
    clusterId: 'c',
    name: 'bj-1',
    labels: {},
    operatorLabels: {},
    taints: [],
    systemLabels: [],
    systemTaints: [],
    operatorTaints: [],
    cordons: [],
    draining: false,
    annotations: {},
    systemAnnotations: [],
    schedulable: true,
    ready: 'True',
    joinedAt: '2026-11-28T20:00:00.000Z',
    ...over,
  }) as Node;

const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('no error');
};

describe('Node owner annotations (the console groups labels and taints by owner)', () => {
  it('names the owner of every label and taint, the cordons and a pending drain', () => {
    const n = node({
      labels: { env: 'prod', beijing: 'nodeunits.superedge.io', 'kubernetes.io/hostname': 'bj-1' },
      operatorLabels: { env: 'prod' },
      systemLabels: [
        { owner: 'nodepool', labels: { beijing: 'nodeunits.superedge.io' } },
        { owner: 'cluster', labels: { 'kubernetes.io/hostname': 'bj-1' } },
      ],
      taints: [
        { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
        { key: 'edgeplane.io/unreachable', value: '', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' },
      ],
      operatorTaints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
      systemTaints: [
        {
          owner: 'health-arbiter',
          taints: [{ key: 'edgeplane.io/unreachable', value: '', effect: 'NoSchedule' }],
        },
      ],
      cordons: [{ holder: 'operator', reason: 'drained by operator', since: '2026-11-28T20:01:00Z' }],
      schedulable: false,
      draining: true,
    });
    const a = ownerAnnotations(n);
    expect(JSON.parse(a['edgeplane.io/label-owners']!)).toEqual({
      beijing: 'nodepool',
      env: 'operator',
      'kubernetes.io/hostname': 'cluster',
    });
    expect(JSON.parse(a['edgeplane.io/taint-owners']!)).toEqual({
      'dedicated:NoSchedule': 'operator',
      'edgeplane.io/unreachable:NoSchedule': 'health-arbiter',
      'node.kubernetes.io/unschedulable:NoSchedule': 'cluster',
    });
    expect(JSON.parse(a['edgeplane.io/cordons']!)).toEqual([
      { holder: 'operator', reason: 'drained by operator', since: '2026-11-28T20:01:00Z' },
    ]);
    expect(a['edgeplane.io/draining']).toBe('true');
    const obj = nodeObject(n, {
      clusterId: 'c',
      kubernetesVersion: '1.30.0',
      runtime: '',
      resourceVersion: '1',
    });
    expect(obj.metadata.annotations?.['edgeplane.io/label-owners']).toBe(a['edgeplane.io/label-owners']);
  });

  it('leaves out cordons and draining when there are none', () => {
    const a = ownerAnnotations(node({ labels: { x: '1' } }));
    expect(Object.keys(a).sort()).toEqual(['edgeplane.io/label-owners', 'edgeplane.io/taint-owners']);
    // a label with no layer is the operator's
    expect(JSON.parse(a['edgeplane.io/label-owners']!)).toEqual({ x: 'operator' });
  });
});

describe('nodes/<name>/drain body', () => {
  it('takes nothing, {} or a grace period 0–3600', () => {
    expect(drainGracePeriod(undefined)).toBeUndefined();
    expect(drainGracePeriod({})).toBeUndefined();
    expect(drainGracePeriod({ gracePeriodSeconds: 0 })).toBe(0);
    expect(drainGracePeriod({ gracePeriodSeconds: 3600 })).toBe(3600);
  });
  it('refuses anything else with a 400 naming the field', () => {
    expect(thrown(() => drainGracePeriod({ gracePeriodSeconds: 3601 })).message).toMatch(
      /^gracePeriodSeconds: must be a whole number of seconds 0–3600, got 3601/,
    );
    expect(thrown(() => drainGracePeriod({ gracePeriodSeconds: '5' })).code).toBe(400);
    expect(thrown(() => drainGracePeriod({ force: true })).message).toBe(
      'unknown field(s) in the drain body: force',
    );
    expect(thrown(() => drainGracePeriod([1])).message).toMatch(/must be a JSON object/);
  });
});

describe('bearer token in the WebSocket subprotocol (browsers cannot set Authorization)', () => {
  const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
  const enc = (t: string) => Buffer.from(t).toString('base64url');
  it('reads base64url.bearer.authorization.k8s.io.<token> of an upgrade, as kube-apiserver does', () => {
    expect(
      websocketBearer(
        req({
          upgrade: 'websocket',
          'sec-websocket-protocol': `v5.channel.k8s.io, base64url.bearer.authorization.k8s.io.${enc('ep1.abc.def')}`,
        }),
      ),
    ).toBe('ep1.abc.def');
  });
  it('ignores it on a plain request and when absent', () => {
    expect(
      websocketBearer(req({ 'sec-websocket-protocol': `base64url.bearer.authorization.k8s.io.${enc('t')}` })),
    ).toBeUndefined();
    expect(
      websocketBearer(req({ upgrade: 'websocket', 'sec-websocket-protocol': 'v5.channel.k8s.io' })),
    ).toBeUndefined();
  });
  it('refuses two tokens or one that is not base64url (401)', () => {
    const two = `base64url.bearer.authorization.k8s.io.${enc('a')}, base64url.bearer.authorization.k8s.io.${enc('b')}`;
    expect(
      thrown(() => websocketBearer(req({ upgrade: 'websocket', 'sec-websocket-protocol': two }))).code,
    ).toBe(401);
    expect(
      thrown(() =>
        websocketBearer(
          req({
            upgrade: 'websocket',
            'sec-websocket-protocol': 'base64url.bearer.authorization.k8s.io.a+b=',
          }),
        ),
      ).message,
    ).toMatch(/base64url without padding/);
  });
});

describe("the owner's refusal in words, once", () => {
  it('does not repeat field violations the message already carries', () => {
    const v = [{ field: 'set.gz', description: 'value nodeunits.superedge.io marks NodeUnit membership' }];
    const same = new UpstreamError(
      grpc.status.INVALID_ARGUMENT,
      'set.gz: value nodeunits.superedge.io marks NodeUnit membership',
      v,
    );
    expect(fromUpstream(same, { resource: 'nodes' }).message).toBe(
      'set.gz: value nodeunits.superedge.io marks NodeUnit membership',
    );
    const other = new UpstreamError(grpc.status.INVALID_ARGUMENT, 'invalid labels', v);
    const e = fromUpstream(other, { resource: 'nodes' });
    expect(e.message).toBe('invalid labels: set.gz: value nodeunits.superedge.io marks NodeUnit membership');
    expect(e.code).toBe(422);
  });
});

/**
 * The pod watch's status side on real JetStream: the agents' NodePodsStatusReported envelopes on
 * the tunnel stream (as the tunnel's relay publishes them, in this file's own environment) read by
 * ClusterStream.changes with the pods resource's `statusWatch.hits` — one hit per reported pod of
 * the watched cluster, from the position the watch took (earlier reports are not replayed), each
 * with its status key.
 */
import { randomUUID } from 'node:crypto';
import { busSubject, catalogue, STREAMS, validateEventData } from '@edgeplane/contracts';
import type { Bus } from '@edgeplane/messaging';
import { testBus } from '@edgeplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podsResource } from '../src/resources/pods.js';
import { ClusterStream } from '../src/watch/stream-watch.js';

let bus: Bus;
const CLUSTER = `c-${randomUUID().slice(0, 8)}`;
const OTHER = `c-${randomUUID().slice(0, 8)}`;

const pod = (name: string, ready: boolean) => ({
  uid: randomUUID(),
  name,
  namespace: 'default',
  phase: ready ? 'Running' : 'Pending',
  ready,
  restarts: 0,
  podIP: '10.0.0.7',
  grid: 'web',
  unit: 'beijing',
  revision: 'abc',
  containers: [],
});

async function report(clusterId: string, node: string, pods: ReturnType<typeof pod>[]): Promise<number> {
  const type = 'NodePodsStatusReported';
  const data = { clusterId, node, pods, podsStreamVersion: 1, reportedAt: new Date().toISOString() };
  validateEventData(type, 1, data);
  const envelope = {
    id: randomUUID(),
    type,
    version: 1,
    streamId: `podstatus:${clusterId}:${node}`,
    streamPosition: 1,
    globalPosition: 1,
    occurredAt: new Date().toISOString(),
    data,
    metadata: { actor: 'tester' },
  };
  const ack = await bus.js.publish(busSubject(catalogue.get(type, 1).subject), JSON.stringify(envelope));
  return ack.seq;
}

beforeAll(async () => {
  bus = await testBus();
}, 60_000);

afterAll(async () => {
  await bus?.close();
});

describe('pod status side of a pod watch (tunnel stream)', () => {
  it("yields each reported pod of the cluster once per report, after the watch's position only", async () => {
    const side = podsResource.statusWatch!;
    const stream = new ClusterStream(bus);
    await report(CLUSTER, 'bj-1', [pod('web-beijing-0', false)]); // before the watch: not replayed
    const { last } = await stream.position(side.stream);
    expect(side.stream).toBe(STREAMS.TUNNEL.name);
    const abort = new AbortController();
    const seen: { seq: number; name: string; key?: string }[] = [];
    const reading = (async () => {
      for await (const hit of stream.changes(side.subject, CLUSTER, last, abort.signal, {
        stream: side.stream,
        nameOf: side.hits.bind(side),
      })) {
        seen.push({ seq: hit.seq, name: hit.name, ...(hit.key !== undefined ? { key: hit.key } : {}) });
        if (seen.length === 3) abort.abort();
      }
    })();
    const two = await report(CLUSTER, 'bj-1', [pod('web-beijing-0', true), pod('web-beijing-1', false)]);
    await report(OTHER, 'bj-1', [pod('web-beijing-0', true)]); // another cluster's
    const three = await report(CLUSTER, 'bj-2', [pod('web-beijing-2', true)]);
    await Promise.race([
      reading,
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 15_000)),
    ]);
    expect(seen.map((h) => [h.seq, h.name])).toEqual([
      [two, 'web-beijing-0'],
      [two, 'web-beijing-1'],
      [three, 'web-beijing-2'],
    ]);
    // a pod's key is its status (ready, failed, IP, reason, revision): a repeat is skipped by the server
    expect(seen[0]!.key).toMatch(/^true\|false\|10\.0\.0\.7\|/);
    expect(seen[1]!.key).toMatch(/^false\|false\|/);
  }, 30_000);

  it('with `since` (how a watch starts its status side) a report made just before the watch opened is delivered', async () => {
    // the race a console hit: the page listed the pods, the agent reported Running, then the
    // watch opened — started from the stream's end it never saw that report
    const side = podsResource.statusWatch!;
    const stream = new ClusterStream(bus);
    await new Promise((r) => setTimeout(r, 100)); // the first test's reports are older than `since`
    const since = new Date();
    await new Promise((r) => setTimeout(r, 50));
    const before = await report(CLUSTER, 'gz-1', [pod('web-guangzhou-0', true)]);
    const abort = new AbortController();
    const seen: { seq: number; name: string }[] = [];
    const reading = (async () => {
      for await (const hit of stream.changes(side.subject, CLUSTER, 0, abort.signal, {
        stream: side.stream,
        nameOf: side.hits.bind(side),
        since,
      })) {
        seen.push({ seq: hit.seq, name: hit.name });
        if (hit.name === 'web-guangzhou-0') abort.abort();
      }
    })();
    await Promise.race([
      reading,
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 15_000)),
    ]);
    expect(seen).toContainEqual({ seq: before, name: 'web-guangzhou-0' });
    // and nothing stored before `since` (the first test's reports) comes back
    expect(seen.every((h) => h.seq >= before)).toBe(true);
  }, 30_000);
});

import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PeerIndex } from '../src/gateway/desired-state.js';
import type { ClusterEntry, NodeEntry } from '../src/gateway/directory.js';

const cluster = (multiRegion: boolean, disabled: string[] = []): ClusterEntry => ({
  id: 'cls-1',
  name: 'demo',
  caPem: '',
  ca: undefined as unknown as X509Certificate,
  remoteLogin: false,
  deleted: false,
  multiRegion,
  disabledUnits: new Set(disabled),
});
const node = (name: string, units: string[], extra: Partial<NodeEntry> = {}): NodeEntry => ({
  clusterId: 'cls-1',
  name,
  present: true,
  ips: [`10.0.0.${name.length}`],
  units,
  serial: 'ab',
  probePort: null,
  podsDigest: null,
  podsVersion: 0,
  servicesDigest: null,
  ...extra,
});
const nodes = (...list: NodeEntry[]) => new Map(list.map((n) => [n.name, n]));
const peers = (c: ClusterEntry, all: Map<string, NodeEntry>, me: string) =>
  new PeerIndex(c, all, 51005)
    .peersOf(all.get(me)!)
    .map((n) => n.name)
    .sort();

describe('peer sets (the health-arbiter rule)', () => {
  const all = nodes(
    node('bj-1', ['unit-node-all', 'beijing']),
    node('bj-2', ['unit-node-all', 'beijing']),
    node('gz-1', ['unit-node-all', 'guangzhou']),
    node('gone', ['beijing'], { present: false }),
    node('loner', ['unit-node-all']),
  );

  it('without multi-region: every other present, peer-checked node of the cluster', () => {
    expect(peers(cluster(false), all, 'bj-1')).toEqual(['bj-2', 'gz-1', 'loner']);
  });

  it('without multi-region, a unit switched off takes its nodes out (they probe no one)', () => {
    expect(peers(cluster(false, ['guangzhou']), all, 'bj-1')).toEqual(['bj-2', 'loner']);
    expect(peers(cluster(false, ['guangzhou']), all, 'gz-1')).toEqual([]);
  });

  it('with multi-region: the other members of its units, the default unit excluded', () => {
    expect(peers(cluster(true), all, 'bj-1')).toEqual(['bj-2']);
    expect(peers(cluster(true), all, 'loner')).toEqual([]);
    expect(peers(cluster(true, ['beijing']), all, 'bj-1')).toEqual([]);
  });

  it('a removed node has no peers', () => {
    expect(peers(cluster(false), all, 'gone')).toEqual([]);
  });

  it('versions the desired state by content; peers at their probe port (default when unknown)', () => {
    const settings = { heartbeatPeriodSeconds: 10, probePeriodSeconds: 10, probeTimeoutMs: 2000 };
    const c = cluster(true);
    const withPort = nodes(
      ...[...all.values()].map((n) => (n.name === 'bj-2' ? { ...n, probePort: 7000 } : n)),
    );
    const one = new PeerIndex(c, all, 51005).desiredStateOf(all.get('bj-1')!, settings);
    const again = new PeerIndex(c, all, 51005).desiredStateOf(all.get('bj-1')!, settings);
    const moved = new PeerIndex(c, withPort, 51005).desiredStateOf(withPort.get('bj-1')!, settings);
    const other = new PeerIndex(c, all, 51005).desiredStateOf(all.get('bj-2')!, settings);
    expect(one.peers()).toEqual([{ name: 'bj-2', address: '10.0.0.4:51005' }]);
    expect(again.version).toBe(one.version);
    expect(moved.peers()).toEqual([{ name: 'bj-2', address: '10.0.0.4:7000' }]);
    expect(moved.version).not.toBe(one.version);
    expect(other.version).not.toBe(one.version);
  });

  it('knows who is in whose peer set (probe results about anyone else are dropped)', () => {
    const index = new PeerIndex(cluster(true), all, 51005);
    expect(index.isPeer(all.get('bj-1')!, 'bj-2')).toBe(true);
    expect(index.isPeer(all.get('bj-1')!, 'gz-1')).toBe(false);
    expect(index.isPeer(all.get('bj-1')!, 'bj-1')).toBe(false);
    expect(index.isPeer(all.get('bj-1')!, 'gone')).toBe(false);
    expect(index.isPeer(all.get('bj-1')!, 'nobody')).toBe(false);
    const flat = new PeerIndex(cluster(false, ['guangzhou']), all, 51005);
    expect(flat.isPeer(all.get('bj-1')!, 'loner')).toBe(true);
    expect(flat.isPeer(all.get('bj-1')!, 'gz-1')).toBe(false);
  });
});

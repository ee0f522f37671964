import { describe, expect, it } from 'vitest';
import { NodeVerdictChanged, type NodeVerdictChangedData } from '@edgeplane/contracts';
import { ClusterHealthEngine } from '../src/engine/cluster-health.engine.js';
import type { PersistedVerdict } from '../src/engine/cluster-health.state.js';
import { engine, heartbeat, iso, join, names, probeRound, report, s, settings } from './fixtures.js';

const brief = (c: NodeVerdictChangedData) => `${c.node}:${c.previous ?? '-'}→${c.verdict}`;

describe('emits verdict changes only', () => {
  it('the first tick publishes every node once; later ticks publish nothing while nothing changes', () => {
    const e = engine();
    const all = ['a', 'b', 'c'];
    join(e, all);
    heartbeat(e, all, s(1));
    probeRound(e, all, all, () => true, s(1));
    expect(e.tick(s(1)).map(brief)).toEqual(['a:-→Ready', 'b:-→Ready', 'c:-→Ready']);
    for (let t = 2; t <= 90; t++) {
      if (t % 10 === 0) {
        heartbeat(e, all, s(t));
        probeRound(e, all, all, () => true, s(t));
      }
      expect(e.tick(s(t))).toEqual([]);
    }
  });

  it('every emitted change is valid against the catalogue schema and carries taints, condition and evidence', () => {
    const e = engine();
    const all = ['a', 'b', 'c', 'x'];
    join(e, all);
    heartbeat(e, all, s(1));
    e.tick(s(1));
    probeRound(e, ['a', 'b', 'c'], all, (p) => p !== 'x', s(30));
    heartbeat(e, ['a', 'b', 'c'], s(30));
    const [change] = e.tick(s(41));
    expect(NodeVerdictChanged.schema.parse(change)).toEqual(change);
    expect(change).toMatchObject({
      clusterId: 'c1',
      node: 'x',
      verdict: 'NotReadyNoExecute',
      previous: 'Ready',
      rule: 'peers-confirm-down',
      condition: { type: 'Ready', status: 'Unknown' },
      at: iso(41),
      evidence: { cloudLastSeen: iso(1), cloudLost: true, quorum: { needed: 2, unhealthyVotes: 3 } },
    });
  });

  it('a grace deadline passing produces the change by itself, at the tick after it (no input needed)', () => {
    const e = engine({ graceMs: 1000 });
    join(e, ['a', 'b']);
    heartbeat(e, ['a', 'b'], s(0));
    e.tick(s(0));
    heartbeat(e, ['a'], s(0.5));
    expect(e.tick(s(0.9))).toEqual([]);
    expect(e.tick(s(1.1)).map(brief)).toEqual(['b:Ready→NotReadyNoSchedule']);
  });

  it('expiring votes undo an eviction verdict when the quorum is gone, without new input', () => {
    const e = engine();
    const all = ['a', 'b', 'c', 'x'];
    join(e, all);
    heartbeat(e, all, s(0));
    e.tick(s(0));
    probeRound(e, ['a', 'b', 'c'], all, (p) => p !== 'x', s(10));
    heartbeat(e, ['a', 'b', 'c'], s(30));
    expect(e.tick(s(40)).map(brief)).toEqual(['x:Ready→NotReadyNoExecute']);
    // a, b and c keep their cloud link but stop reporting (e.g. agents restarting): votes age out at t=70.
    for (let t = 41; t < 70; t++) {
      if (t % 10 === 0) heartbeat(e, ['a', 'b', 'c'], s(t));
      expect(e.tick(s(t))).toEqual([]);
    }
    const [undo] = e.tick(s(70.2));
    expect([undo?.node, undo?.verdict, undo?.rule]).toEqual(['x', 'NotReadyNoSchedule', 'no-quorum']);
  });

  it('a rule change that keeps the verdict (vouch → no quorum) is not an event', () => {
    const e = engine();
    const all = ['a', 'b', 'c', 'x'];
    join(e, all);
    heartbeat(e, all, s(0));
    e.tick(s(0));
    probeRound(e, ['a', 'b', 'c'], all, () => true, s(10));
    heartbeat(e, ['a', 'b', 'c'], s(30));
    expect(e.tick(s(40)).map((c) => c.rule)).toEqual(['peers-vouch']);
    heartbeat(e, ['a', 'b', 'c'], s(60));
    expect(e.tick(s(75))).toEqual([]);
    expect(e.explain('x', s(75))!.computed.rule).toBe('no-quorum');
  });
});

describe("the guide's gz-3 case (multi-region, unit gz = gz-1, gz-2, gz-3)", () => {
  it('loses the cloud, peers vouch → NotReady + NoSchedule only; then powered off → NoExecute', () => {
    const e = engine({ multiRegion: true });
    const gz = ['gz-1', 'gz-2', 'gz-3'];
    const bj = ['bj-1', 'bj-2'];
    join(e, [...gz, ...bj], {
      'gz-1': ['gz'],
      'gz-2': ['gz'],
      'gz-3': ['gz'],
      'bj-1': ['bj'],
      'bj-2': ['bj'],
    });
    let cloudSeesGz3 = true;
    let gz3PoweredOn = true;
    const log: string[] = [];
    for (let t = 0; t <= 200; t += 10) {
      if (t === 60) cloudSeesGz3 = false; // iptables -I INPUT -s <apiserver> -j DROP on gz-3
      if (t === 130) gz3PoweredOn = false; // gz-3 shut down
      heartbeat(e, [...bj, 'gz-1', 'gz-2', ...(cloudSeesGz3 ? ['gz-3'] : [])], s(t));
      // gz-3's own reports travel through the tunnel too: lost with the cloud link.
      probeRound(
        e,
        ['gz-1', 'gz-2', ...(cloudSeesGz3 ? ['gz-3'] : [])],
        gz,
        (p) => p !== 'gz-3' || gz3PoweredOn,
        s(t),
      );
      probeRound(e, bj, bj, () => true, s(t));
      for (const c of e.tick(s(t)))
        log.push(`t=${t} ${brief(c)} ${c.rule} [${c.taints.map((x) => x.effect).join(',')}]`);
    }
    expect(log.filter((l) => l.includes('gz-3'))).toEqual([
      't=0 gz-3:-→Ready cloud-contact []',
      't=90 gz-3:Ready→NotReadyNoSchedule peers-vouch [NoSchedule]', // last heartbeat t=50 + 40 s grace,
      't=130 gz-3:NotReadyNoSchedule→NotReadyNoExecute peers-confirm-down [NoSchedule,NoExecute]',
    ]);
    expect(log.filter((l) => !l.startsWith('t=0 '))).toHaveLength(2);
  });
});

describe('explain (F-HE-6)', () => {
  it("shows the cloud's last contact, each peer's latest vote with its age, the quorum, the rule and the history", () => {
    const e = engine();
    const all = ['a', 'b', 'c', 'd', 'x'];
    join(e, all);
    heartbeat(e, all, s(0));
    e.tick(s(0));
    heartbeat(e, ['a', 'b', 'c', 'd'], s(30));
    report(e, 'a', { b: true, x: true }, s(20));
    report(e, 'b', { a: true, x: true }, s(35));
    report(e, 'c', { a: true, x: false }, s(38));
    report(e, 'd', { x: false }, s(39)); // d hears no peer: abstains
    e.tick(s(41));
    const x = e.explain('x', s(41))!;
    expect(x.cloud).toEqual({ lastSeen: iso(0), ageMs: 41_000, lost: true, graceMs: 40_000 });
    expect(x.peers).toEqual([
      { peer: 'd', healthy: false, ageMs: 2000, fresh: true, abstained: true, counted: false },
      { peer: 'c', healthy: false, ageMs: 3000, fresh: true, abstained: false, counted: true },
      { peer: 'b', healthy: true, ageMs: 6000, fresh: true, abstained: false, counted: true },
      { peer: 'a', healthy: true, ageMs: 21_000, fresh: true, abstained: false, counted: true },
    ]);
    expect(x.quorum).toEqual({
      peerSetSize: 4,
      needed: 3,
      fresh: 3,
      healthyVotes: 2,
      unhealthyVotes: 1,
      abstained: 1,
    });
    expect(x.computed.rule).toBe('no-quorum');
    expect(x.explanation).toMatch(/too few fresh peer votes/);
    expect(x.current).toEqual({ verdict: 'NotReadyNoSchedule', rule: 'no-quorum', since: iso(41) });
    expect(x.history).toEqual([
      { at: iso(0), verdict: 'Ready', previous: null, rule: 'cloud-contact' },
      { at: iso(41), verdict: 'NotReadyNoSchedule', previous: 'Ready', rule: 'no-quorum' },
    ]);
    // Stale votes are still shown, flagged, after the TTL.
    expect(e.explain('x', s(81))!.peers.find((p) => p.peer === 'a')).toMatchObject({
      fresh: false,
      counted: false,
      ageMs: 61_000,
    });
  });

  it('keeps a bounded history', () => {
    const e = new ClusterHealthEngine('c1', { settings: settings({ graceMs: 1000 }), historyLimit: 3 });
    join(e, ['a']);
    for (let t = 0; t < 20; t += 2) {
      heartbeat(e, ['a'], s(t));
      e.tick(s(t));
      e.tick(s(t + 1.5));
    }
    const h = e.explain('a', s(21))!.history;
    expect(h).toHaveLength(3);
    expect(h.at(-1)).toMatchObject({ at: iso(19.5), verdict: 'NotReadyNoSchedule' });
  });

  it('lists the published verdicts', () => {
    const e = engine();
    join(e, ['b', 'a']);
    heartbeat(e, ['a'], s(0));
    e.tick(s(0));
    expect(e.listVerdicts()).toEqual([
      { node: 'a', verdict: 'Ready', rule: 'cloud-contact', since: iso(0) },
      { node: 'b', verdict: 'Unknown', rule: 'awaiting-first-heartbeat', since: iso(0) },
    ]);
  });
});

describe('restart without flapping', () => {
  const all = ['a', 'b', 'c', 'x'];
  type Signal = { t: number; hb?: string[]; reports?: [string, Record<string, boolean>][] };
  /** 0…100 s: every 10 s a, b, c heartbeat and vouch for x, which lost the cloud after t=0. */
  const signals: Signal[] = [];
  for (let t = 0; t <= 100; t += 10) {
    signals.push({
      t,
      hb: t === 0 ? all : ['a', 'b', 'c'],
      reports: ['a', 'b', 'c'].map((r) => [
        r,
        Object.fromEntries(all.filter((p) => p !== r).map((p) => [p, true])),
      ]),
    });
  }
  const feed = (e: ClusterHealthEngine, list: Signal[]) => {
    for (const sig of list) {
      heartbeat(e, sig.hb ?? [], s(sig.t));
      for (const [r, v] of sig.reports ?? []) report(e, r, v, s(sig.t));
    }
  };

  function before(): PersistedVerdict[] {
    const e = engine();
    join(e, all);
    for (const sig of signals) {
      feed(e, [sig]);
      e.tick(s(sig.t));
    }
    expect(e.listVerdicts().map((v) => `${v.node}:${v.verdict}`)).toEqual([
      'a:Ready',
      'b:Ready',
      'c:Ready',
      'x:NotReadyNoSchedule',
    ]);
    return e.listVerdicts().map((v) => ({ ...v }));
  }

  it('signal window lost (empty replay): holds every change for max(grace, TTL), then nothing flaps', () => {
    const persisted = before();
    const e = engine();
    join(e, all); // node set from the projections, registered long ago
    e.restore(persisted, { windowStart: s(105) });
    expect(e.holdingUntil(s(106))).toBe(s(165));
    const published: string[] = [];
    for (let t = 106; t <= 240; t++) {
      if (t % 10 === 0) feed(e, [{ t, hb: ['a', 'b', 'c'], reports: signals[1]!.reports! }]);
      published.push(...e.tick(s(t)).map(brief));
    }
    expect(published).toEqual([]);
    expect(e.explain('x', s(240))!.current?.verdict).toBe('NotReadyNoSchedule');
  });

  it('without the hold the same restart would flap every node to NotReady (why the hold exists)', () => {
    const persisted = before();
    const e = engine();
    join(e, all);
    e.restore(persisted, { windowStart: s(106) - 300_000 }); // pretends a full window was replayed
    expect(e.tick(s(106)).map(brief)).toEqual([
      'a:Ready→NotReadyNoSchedule',
      'b:Ready→NotReadyNoSchedule',
      'c:Ready→NotReadyNoSchedule',
    ]);
  });

  it('while holding, explain shows the persisted verdict, the computed one and the end of the hold', () => {
    const persisted = before();
    const e = engine();
    join(e, all);
    e.restore(persisted, { windowStart: s(105) });
    const a = e.explain('a', s(110))!;
    expect(a.current?.verdict).toBe('Ready');
    expect(a.computed.verdict).toBe('NotReadyNoSchedule');
    expect(a.holdingUntil).toBe(iso(165));
  });

  it('replaying a full retained window rebuilds the state: the first tick publishes nothing', () => {
    const persisted = before();
    const e = engine();
    join(e, all);
    e.restore(persisted, { windowStart: s(0) });
    feed(e, signals); // replay with the stream's receipt timestamps
    expect(e.tick(s(101))).toEqual([]);
    expect(e.holdingUntil(s(101))).toBeUndefined();
  });

  it('a real change that happened while the arbiter was down is published at the first tick after replay', () => {
    const persisted = before();
    const e = engine();
    join(e, all);
    e.restore(persisted, { windowStart: s(0) });
    feed(e, signals);
    // Between t=100 and the restart, x died: its peers now report it down.
    feed(e, [
      {
        t: 110,
        hb: ['a', 'b', 'c'],
        reports: [
          ['a', { b: true, x: false }],
          ['b', { a: true, x: false }],
        ],
      },
    ]);
    expect(e.tick(s(111)).map(brief)).toEqual(['x:NotReadyNoSchedule→NotReadyNoExecute']);
  });

  it('seeds for nodes that are registered after restore() wait for them', () => {
    const e = engine();
    e.restore([{ node: 'late', verdict: 'Ready', rule: 'cloud-contact', since: iso(0) }], {
      windowStart: s(0),
    });
    join(e, ['late']);
    heartbeat(e, ['late'], s(50));
    expect(e.tick(s(60))).toEqual([]);
    expect(e.listVerdicts()).toEqual([
      { node: 'late', verdict: 'Ready', rule: 'cloud-contact', since: iso(0) },
    ]);
  });
});

describe('node set, membership and settings changes', () => {
  it('a removed node no longer counts as a peer nor as a voter', () => {
    const e = engine();
    const all = ['a', 'b', 'c', 'x'];
    join(e, all);
    heartbeat(e, all, s(0));
    probeRound(e, ['a', 'b', 'c'], all, (p) => p !== 'x', s(5));
    heartbeat(e, ['a', 'b', 'c'], s(30));
    expect(e.evaluate('x', s(45))!.verdict).toBe('NotReadyNoExecute');
    e.removeNode('a');
    e.removeNode('b');
    const j = e.evaluate('x', s(46))!;
    expect(j.evidence.quorum).toMatchObject({ peerSetSize: 1, fresh: 1, unhealthyVotes: 1 });
    expect(e.evaluate('a', s(46))).toBeUndefined();
  });

  it('membership changes re-scope peers (nodepool NodeMembershipChanged.units)', () => {
    const e = engine({ multiRegion: true });
    join(e, ['a', 'b', 'c'], { a: ['U'], b: ['U'] });
    heartbeat(e, ['a', 'b', 'c'], s(0));
    expect(e.explain('a', s(1))!.peerCheck.peerSetSize).toBe(1);
    e.setNodeUnits('c', ['U']);
    expect(e.explain('a', s(1))!.peerCheck.peerSetSize).toBe(2);
    e.setNodeUnits('c', []);
    expect(e.explain('c', s(1))!.peerCheck.checked).toBe(false);
  });

  it('a shorter grace applied at runtime takes effect at the next tick', () => {
    const e = engine();
    join(e, ['a', 'b']);
    heartbeat(e, ['a', 'b'], s(0));
    e.tick(s(0));
    heartbeat(e, ['a'], s(9));
    expect(e.tick(s(10))).toEqual([]);
    e.applySettings(settings({ graceMs: 5000 }));
    expect(e.tick(s(10.1)).map(brief)).toEqual(['b:Ready→NotReadyNoSchedule']);
  });

  it("a heartbeat that arrives before the node's join event is kept for it", () => {
    const e = engine();
    e.observeHeartbeat('early', s(5));
    join(e, ['early']);
    expect(e.evaluate('early', s(6))!.evidence.cloudLastSeen).toBe(iso(5));
  });

  it('counts what it ingests and ignores', () => {
    const e = engine({ multiRegion: true });
    join(e, names('n', 3), { n1: ['U'], n2: ['U'], n3: ['V'] });
    report(e, 'n1', { n2: true, n3: true, ghost: true }, s(1));
    report(e, 'ghost', { n1: true }, s(1));
    expect(e.stats()).toMatchObject({
      nodes: 3,
      reports: 2,
      reportsUnknownReporter: 1,
      resultsAccepted: 1,
      resultsIgnored: 3,
    });
  });
});

describe('membership not caught up: no standard eviction on a view that may be stale', () => {
  const lagging = (knownAt: number) =>
    new ClusterHealthEngine('c1', {
      settings: settings({ multiRegion: true }),
      timerResolutionMs: 100,
      membershipKnownAt: knownAt,
    });

  it('holds a unit-less lost node NoSchedule until membership is known past its last contact, then evicts it', () => {
    const e = lagging(s(0));
    join(e, ['a', 'b', 'z']);
    heartbeat(e, ['a', 'b', 'z'], s(1));
    expect(e.tick(s(1)).map(brief)).toEqual(['a:-→Ready', 'b:-→Ready', 'z:-→Ready']);
    heartbeat(e, ['a', 'b'], s(30));
    // z lost at 41 s; membership known only up to 0 s (before z was last heard at 1 s)
    const held = e.tick(s(45));
    expect(held.map((c) => [c.node, c.verdict, c.rule])).toEqual([
      ['z', 'NotReadyNoSchedule', 'membership-catching-up'],
    ]);
    expect(e.tick(s(46))).toEqual([]);
    // caught up to a time before z's last contact: still held
    e.setMembershipKnownAt(s(0.5));
    expect(e.tick(s(47))).toEqual([]);
    // caught up past it, and z is still in no unit: the standard rule applies
    e.setMembershipKnownAt(s(2));
    expect(e.tick(s(48)).map((c) => [c.node, c.verdict, c.rule])).toEqual([
      ['z', 'NotReadyNoExecute', 'standard-no-unit'],
    ]);
  });

  it('a node whose membership arrives while held is peer-checked instead and never evicted', () => {
    const e = lagging(s(0));
    join(e, ['a1', 'a2', 'z']);
    e.setNodeUnits('a1', ['A']);
    e.setNodeUnits('a2', ['A']);
    heartbeat(e, ['a1', 'a2', 'z'], s(1));
    e.tick(s(1));
    heartbeat(e, ['a1', 'a2'], s(30));
    expect(e.tick(s(45)).map((c) => c.rule)).toEqual(['membership-catching-up']);
    // the late membership: z is in unit A, its peers vouch
    e.setNodeUnits('z', ['A']);
    probeRound(e, ['a1', 'a2'], ['a1', 'a2', 'z'], () => true, s(46));
    e.setMembershipKnownAt(s(46));
    const after = e.tick(s(47));
    expect(after).toEqual([]); // still NoSchedule (peers-vouch): no change published
    expect(e.evaluate('z', s(47))!.rule).toBe('peers-vouch');
    for (let t = 48; t < 120; t++) {
      probeRound(e, ['a1', 'a2'], ['a1', 'a2', 'z'], () => true, s(t));
      heartbeat(e, ['a1', 'a2'], s(t));
      expect(e.tick(s(t)).filter((c) => c.verdict === 'NotReadyNoExecute')).toEqual([]);
    }
  });

  it('an engine that tracks nothing (the default) applies the standard rule at once', () => {
    const e = engine({ multiRegion: true });
    join(e, ['z']);
    heartbeat(e, ['z'], s(1));
    e.tick(s(1));
    expect(e.tick(s(45)).map((c) => c.rule)).toEqual(['standard-no-unit']);
  });
});

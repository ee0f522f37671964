import { describe, expect, it } from 'vitest';
import { ProbeReport } from '@edgeplane/contracts';
import { engine, heartbeat, join, names, probeRound, report, s } from './fixtures.js';

const UNREACHABLE_NS = { key: 'node.kubernetes.io/unreachable', value: '', effect: 'NoSchedule' };
const UNREACHABLE_NE = { key: 'node.kubernetes.io/unreachable', value: '', effect: 'NoExecute' };

/**
 * Cluster a,b,c,d + x (x's peer set = 4, quorum 3). Everyone heartbeats at t=1; a..d again at
 * t=30 (x too when `cloudSeesX`). At t=5 a..d report each other healthy and x as `peersSayX`.
 * Judged at t=45: x's last heartbeat is 44 s old (> 40 s grace) unless the cloud sees it.
 */
function matrix(peersSayX: boolean, cloudSeesX: boolean) {
  const e = engine();
  const all = ['a', 'b', 'c', 'd', 'x'];
  join(e, all);
  heartbeat(e, all, s(1));
  probeRound(e, ['a', 'b', 'c', 'd'], all, (p) => (p === 'x' ? peersSayX : true), s(5));
  heartbeat(e, cloudSeesX ? all : ['a', 'b', 'c', 'd'], s(30));
  return e.evaluate('x', s(45))!;
}

describe('decision matrix (SPEC F-HE-2)', () => {
  it('peers yes, cloud yes → Ready, no taints', () => {
    const j = matrix(true, true);
    expect([j.verdict, j.rule, j.taints]).toEqual(['Ready', 'cloud-contact', []]);
    expect(j.condition.status).toBe('True');
  });

  it('peers yes, cloud no → NotReady with NoSchedule only (pods and endpoints stay)', () => {
    const j = matrix(true, false);
    expect([j.verdict, j.rule]).toEqual(['NotReadyNoSchedule', 'peers-vouch']);
    expect(j.taints).toEqual([UNREACHABLE_NS]);
    expect(j.condition).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown' });
    expect(j.evidence.quorum).toEqual({
      peerSetSize: 4,
      needed: 3,
      fresh: 4,
      healthyVotes: 4,
      unhealthyVotes: 0,
      abstained: 0,
    });
  });

  it('peers no, cloud yes → Ready (the cloud link proves it alive)', () => {
    const j = matrix(false, true);
    expect([j.verdict, j.rule, j.taints]).toEqual(['Ready', 'cloud-contact', []]);
  });

  it('peers no, cloud no → NotReady with NoExecute (eviction)', () => {
    const j = matrix(false, false);
    expect([j.verdict, j.rule]).toEqual(['NotReadyNoExecute', 'peers-confirm-down']);
    expect(j.taints).toEqual([UNREACHABLE_NS, UNREACHABLE_NE]);
    expect(j.evidence.quorum.unhealthyVotes).toBe(4);
  });
});

describe('grace period before the cloud counts a node lost', () => {
  it('counts a node lost only once the grace has passed without a heartbeat (1 s grace for tests)', () => {
    const e = engine({ graceMs: 1000 });
    join(e, ['a', 'b', 'c']);
    heartbeat(e, ['a', 'b', 'c'], s(10));
    probeRound(e, ['a', 'b'], ['a', 'b', 'c'], (p) => p !== 'c', s(10));
    expect(e.evaluate('c', s(10.999))!.verdict).toBe('Ready');
    const lost = e.evaluate('c', s(11))!;
    expect([lost.verdict, lost.evidence.cloudLost]).toEqual(['NotReadyNoExecute', true]);
  });

  it('with the default 40 s grace a 39 s silence is still Ready', () => {
    const e = engine();
    join(e, ['a', 'b', 'c']);
    heartbeat(e, ['a', 'b', 'c'], s(1));
    probeRound(e, ['a', 'b'], ['a', 'b', 'c'], (p) => p !== 'c', s(5));
    expect(e.evaluate('c', s(40))!.verdict).toBe('Ready');
    expect(e.evaluate('c', s(41))!.verdict).toBe('NotReadyNoExecute');
  });

  it('a node never heard is Unknown (not-ready:NoSchedule) during the grace after joining, then lost', () => {
    const e = engine();
    join(e, ['a', 'b', 'c']);
    heartbeat(e, ['a', 'b'], s(1));
    const early = e.evaluate('c', s(10))!;
    expect([early.verdict, early.rule]).toEqual(['Unknown', 'awaiting-first-heartbeat']);
    expect(early.taints).toEqual([{ key: 'node.kubernetes.io/not-ready', value: '', effect: 'NoSchedule' }]);
    const late = e.evaluate('c', s(40))!;
    expect([late.verdict, late.rule]).toEqual(['NotReadyNoSchedule', 'no-quorum']);
  });

  it('a heartbeat brings a lost node back to Ready at once', () => {
    const e = engine();
    join(e, ['a', 'b', 'c']);
    heartbeat(e, ['a', 'b', 'c'], s(1));
    probeRound(e, ['a', 'b'], ['a', 'b', 'c'], (p) => p !== 'c', s(5));
    expect(e.evaluate('c', s(45))!.verdict).toBe('NotReadyNoExecute');
    heartbeat(e, ['c'], s(46));
    expect(e.evaluate('c', s(46))!.verdict).toBe('Ready');
  });
});

describe('quorum: more than half of the peer set', () => {
  /** x plus k peers; `unhealthy` peers report x down, the next `healthy` ones report it up; the rest are silent. */
  function judge(k: number, unhealthy: number, healthy: number) {
    const e = engine();
    const peers = names('p', k);
    join(e, [...peers, 'x']);
    heartbeat(e, [...peers, 'x'], s(1));
    heartbeat(e, peers, s(30));
    peers.forEach((p, i) => {
      if (i >= unhealthy + healthy) return;
      const views: Record<string, boolean> = { x: i >= unhealthy };
      for (const q of peers) if (q !== p) views[q] = true;
      report(e, p, views, s(5));
    });
    return e.evaluate('x', s(45))!;
  }

  it.each([
    // k, unhealthy, healthy → needed, verdict, rule
    [2, 2, 0, 2, 'NotReadyNoExecute', 'peers-confirm-down'],
    [2, 1, 1, 2, 'NotReadyNoSchedule', 'no-quorum'],
    [2, 1, 0, 2, 'NotReadyNoSchedule', 'no-quorum'],
    [2, 0, 2, 2, 'NotReadyNoSchedule', 'peers-vouch'],
    [3, 2, 0, 2, 'NotReadyNoExecute', 'peers-confirm-down'],
    [3, 1, 1, 2, 'NotReadyNoSchedule', 'no-quorum'],
    [3, 1, 2, 2, 'NotReadyNoSchedule', 'peers-vouch'],
    [4, 3, 0, 3, 'NotReadyNoExecute', 'peers-confirm-down'],
    [4, 2, 2, 3, 'NotReadyNoSchedule', 'no-quorum'],
    [4, 2, 0, 3, 'NotReadyNoSchedule', 'no-quorum'],
    [4, 0, 3, 3, 'NotReadyNoSchedule', 'peers-vouch'],
    [5, 3, 0, 3, 'NotReadyNoExecute', 'peers-confirm-down'],
    [5, 3, 2, 3, 'NotReadyNoExecute', 'peers-confirm-down'],
    [5, 2, 3, 3, 'NotReadyNoSchedule', 'peers-vouch'],
    [5, 2, 2, 3, 'NotReadyNoSchedule', 'no-quorum'],
  ] as const)(
    '%i peers, %i say down, %i say up → needs %i → %s (%s)',
    (k, down, up, needed, verdict, rule) => {
      const j = judge(k, down, up);
      expect(j.evidence.quorum).toMatchObject({
        peerSetSize: k,
        needed,
        fresh: down + up,
        unhealthyVotes: down,
        healthyVotes: up,
      });
      expect([j.verdict, j.rule]).toEqual([verdict, rule]);
    },
  );

  it('a node whose only peer can hear no one else abstains: a two-node cluster never evicts by vote', () => {
    const e = engine();
    join(e, ['p1', 'x']);
    heartbeat(e, ['p1', 'x'], s(1));
    heartbeat(e, ['p1'], s(30));
    // p1's view of itself is ignored; about others it only knows x is down → it hears only itself.
    expect(report(e, 'p1', { p1: true, x: false }, s(5))).toBe(1);
    const j = e.evaluate('x', s(45))!;
    expect([j.verdict, j.rule]).toEqual(['NotReadyNoSchedule', 'no-quorum']);
    expect(j.evidence.quorum).toMatchObject({ peerSetSize: 1, needed: 1, fresh: 0, abstained: 1 });
  });

  it('a node alone in its cluster has no peers and no quorum: never evicted by vote', () => {
    const e = engine();
    join(e, ['x']);
    heartbeat(e, ['x'], s(1));
    const j = e.evaluate('x', s(45))!;
    expect([j.verdict, j.rule, j.evidence.quorum.peerSetSize]).toEqual([
      'NotReadyNoSchedule',
      'no-quorum',
      0,
    ]);
  });

  it('reporters that hear none of their peers abstain even when they are many (superedge#433)', () => {
    const e = engine();
    const peers = names('p', 4);
    const all = [...peers, 'x'];
    join(e, all);
    heartbeat(e, all, s(1));
    heartbeat(e, peers, s(30));
    probeRound(e, ['p1', 'p2', 'p3'], all, () => false, s(5)); // e.g. port 51005 blocked behind NAT
    const j = e.evaluate('x', s(45))!;
    expect([j.verdict, j.rule]).toEqual(['NotReadyNoSchedule', 'no-quorum']);
    expect(j.evidence.quorum).toMatchObject({ fresh: 0, abstained: 3, unhealthyVotes: 0 });
    // As soon as they hear each other again their votes count.
    probeRound(e, ['p1', 'p2', 'p3'], all, (p) => p !== 'x', s(46));
    expect(e.evaluate('x', s(46))!.verdict).toBe('NotReadyNoExecute');
  });
});

describe('vote TTL and receipt stamping', () => {
  function lostWithDownVotes(voteTtlMs: number, votedAt: number) {
    const e = engine({ voteTtlMs });
    join(e, ['p1', 'p2', 'p3', 'x']);
    heartbeat(e, ['p1', 'p2', 'p3', 'x'], s(1));
    probeRound(e, ['p1', 'p2'], ['p1', 'p2', 'p3', 'x'], (p) => p !== 'x', votedAt);
    return e;
  }

  it('ignores votes older than the TTL (default 60 s)', () => {
    const e = lostWithDownVotes(60_000, s(5));
    expect(e.evaluate('x', s(64.9))!.verdict).toBe('NotReadyNoExecute');
    const j = e.evaluate('x', s(65))!;
    expect([j.verdict, j.rule, j.evidence.quorum.fresh]).toEqual(['NotReadyNoSchedule', 'no-quorum', 0]);
  });

  it('honours a configured TTL', () => {
    const e = lostWithDownVotes(20_000, s(30));
    expect(e.evaluate('x', s(45))!.verdict).toBe('NotReadyNoExecute');
    expect(e.evaluate('x', s(50))!.verdict).toBe('NotReadyNoSchedule');
  });

  it('stamps votes on receipt: a report from a node whose clock is years behind counts as fresh', () => {
    const e = engine();
    join(e, ['p1', 'p2', 'p3', 'x']);
    heartbeat(e, ['p1', 'p2', 'p3', 'x'], s(1));
    for (const reporter of ['p1', 'p2']) {
      const wire = ProbeReport.schema.parse({
        v: 1,
        clusterId: 'c1',
        reporter,
        sentAt: '1999-01-01T00:00:00.000Z',
        results: [
          { peer: 'x', healthy: false, probedAt: '1999-01-01T00:00:00.000Z' },
          { peer: reporter === 'p1' ? 'p2' : 'p1', healthy: true, probedAt: '1999-01-01T00:00:00.000Z' },
        ],
      });
      e.observeProbeReport(wire.reporter, wire.results, s(44));
    }
    const j = e.evaluate('x', s(45))!;
    expect(j.verdict).toBe('NotReadyNoExecute');
    expect(j.evidence.peers.map((p) => p.ageMs)).toEqual([1000, 1000]);
  });

  it('a reporter clock years ahead does not keep its votes alive past the TTL', () => {
    const e = engine();
    join(e, ['p1', 'p2', 'p3', 'x']);
    heartbeat(e, ['p1', 'p2', 'p3', 'x'], s(1));
    for (const reporter of ['p1', 'p2']) {
      const wire = ProbeReport.schema.parse({
        v: 1,
        clusterId: 'c1',
        reporter,
        results: [
          { peer: 'x', healthy: false, probedAt: '2100-01-01T00:00:00.000Z' },
          { peer: 'p3', healthy: true, probedAt: '2100-01-01T00:00:00.000Z' },
        ],
      });
      e.observeProbeReport(wire.reporter, wire.results, s(5));
    }
    expect(e.evaluate('x', s(45))!.verdict).toBe('NotReadyNoExecute');
    expect(e.evaluate('x', s(65))!.verdict).toBe('NotReadyNoSchedule');
  });

  it('a report delivered late (older receipt than the one held) does not overwrite newer votes', () => {
    const e = engine();
    join(e, ['p1', 'p2', 'p3', 'x']);
    heartbeat(e, ['p1', 'p2', 'p3', 'x'], s(1));
    probeRound(e, ['p1', 'p2'], ['p1', 'p2', 'p3', 'x'], (p) => p !== 'x', s(20));
    probeRound(e, ['p1', 'p2'], ['p1', 'p2', 'p3', 'x'], () => true, s(10));
    expect(e.evaluate('x', s(45))!.verdict).toBe('NotReadyNoExecute');
  });
});

describe('peer scope: whole cluster, or NodeUnits in multi-region mode', () => {
  const units = { a1: ['A'], a2: ['A'], a3: ['A'], b1: ['B'], b2: ['B'], b3: ['B'], z: [] as string[] };
  const all = Object.keys(units);

  it("multi-region: results about nodes outside the reporter's units are ignored", () => {
    const e = engine({ multiRegion: true });
    join(e, all, units);
    expect(report(e, 'a1', { a2: true, a3: true, b1: false, b2: false, z: false }, s(5))).toBe(2);
  });

  it('multi-region: only same-unit peers vote and the quorum is over the unit', () => {
    const e = engine({ multiRegion: true });
    join(e, all, units);
    heartbeat(e, all, s(1));
    heartbeat(
      e,
      all.filter((n) => n !== 'b1'),
      s(30),
    );
    // Every A node claims b1 is down (ignored); B peers vouch for it.
    probeRound(e, ['a1', 'a2', 'a3'], all, (p) => p.startsWith('a'), s(5));
    probeRound(e, ['b2', 'b3'], ['b1', 'b2', 'b3'], () => true, s(5));
    const j = e.evaluate('b1', s(45))!;
    expect([j.verdict, j.rule, j.evidence.scope, j.evidence.units]).toEqual([
      'NotReadyNoSchedule',
      'peers-vouch',
      'units',
      ['B'],
    ]);
    expect(j.evidence.quorum).toMatchObject({
      peerSetSize: 2,
      needed: 2,
      healthyVotes: 2,
      unhealthyVotes: 0,
    });
    expect(j.evidence.peers.map((p) => p.peer).sort()).toEqual(['b2', 'b3']);
  });

  it('without multi-region every node checks every other, even across units', () => {
    const e = engine();
    join(e, all, units);
    heartbeat(e, all, s(1));
    heartbeat(
      e,
      all.filter((n) => n !== 'b1'),
      s(30),
    );
    probeRound(e, ['a1', 'a2', 'a3', 'b2'], all, (p) => p !== 'b1', s(5));
    const j = e.evaluate('b1', s(45))!;
    expect(j.evidence.quorum).toMatchObject({ peerSetSize: 6, needed: 4, unhealthyVotes: 4 });
    expect([j.verdict, j.evidence.scope]).toEqual(['NotReadyNoExecute', 'cluster']);
  });

  it('a node in several units has the union of their members as peers', () => {
    const e = engine({ multiRegion: true });
    join(e, ['m', 'a1', 'a2', 'b1', 'b2'], { m: ['A', 'B'], a1: ['A'], a2: ['A'], b1: ['B'], b2: ['B'] });
    heartbeat(e, ['m', 'a1', 'a2', 'b1', 'b2'], s(1));
    expect(e.explain('m', s(2))!.peerCheck).toMatchObject({
      checked: true,
      units: ['A', 'B'],
      peerSetSize: 4,
    });
    expect(e.explain('a1', s(2))!.peerCheck.peerSetSize).toBe(2);
  });

  it('multi-region: a node in no NodeUnit is not peer-checked and gets standard Kubernetes eviction', () => {
    const e = engine({ multiRegion: true });
    join(e, all, units);
    heartbeat(e, all, s(1));
    heartbeat(
      e,
      all.filter((n) => n !== 'z'),
      s(30),
    );
    expect(report(e, 'a1', { z: true, a2: true }, s(5))).toBe(1); // the vote about z is out of scope
    const j = e.evaluate('z', s(45))!;
    expect([j.verdict, j.rule, j.evidence.scope]).toEqual(['NotReadyNoExecute', 'standard-no-unit', 'none']);
    expect(j.taints).toEqual([UNREACHABLE_NS, UNREACHABLE_NE]);
  });

  it('without multi-region the same unit-less node is peer-checked and vouched for', () => {
    const e = engine();
    join(e, all, units);
    heartbeat(e, all, s(1));
    heartbeat(
      e,
      all.filter((n) => n !== 'z'),
      s(30),
    );
    probeRound(e, ['a1', 'a2', 'a3', 'b1'], all, () => true, s(5));
    expect(e.evaluate('z', s(45))!.rule).toBe('peers-vouch');
  });

  it('the default unit unit-node-all is not a site: it neither scopes peers nor freezes', () => {
    const e = engine({ multiRegion: true });
    join(e, ['a', 'b', 'c'], { a: ['unit-node-all'], b: ['unit-node-all'], c: ['unit-node-all'] });
    heartbeat(e, ['a', 'b', 'c'], s(1));
    const j = e.evaluate('a', s(45))!;
    expect([j.rule, j.evidence.units]).toEqual(['standard-no-unit', []]);
  });
});

describe('per-NodeUnit "enable health check" switch (F-HE-5)', () => {
  const units = { a1: ['A'], a2: ['A'], a3: ['A'], b1: ['B'], b2: ['B'], b3: ['B'] };
  const all = Object.keys(units);

  it("multi-region, switch off: the unit's nodes are not peer-checked → standard eviction", () => {
    const e = engine({ multiRegion: true, disabledUnits: ['A'] });
    join(e, all, units);
    heartbeat(e, all, s(1));
    heartbeat(
      e,
      all.filter((n) => n !== 'a1'),
      s(30),
    );
    expect(report(e, 'a2', { a1: true, a3: true }, s(5))).toBe(0);
    const j = e.evaluate('a1', s(45))!;
    expect([j.verdict, j.rule]).toEqual(['NotReadyNoExecute', 'standard-check-disabled']);
  });

  it('multi-region: another enabled unit still covers a node whose first unit is off', () => {
    const e = engine({ multiRegion: true, disabledUnits: ['A'] });
    join(e, ['m', 'a1', 'c1', 'c2'], { m: ['A', 'C'], a1: ['A'], c1: ['C'], c2: ['C'] });
    heartbeat(e, ['m', 'a1', 'c1', 'c2'], s(1));
    heartbeat(e, ['a1', 'c1', 'c2'], s(30));
    probeRound(e, ['c1', 'c2'], ['m', 'c1', 'c2'], () => true, s(5));
    const j = e.evaluate('m', s(45))!;
    expect([j.rule, j.evidence.units, j.evidence.quorum.peerSetSize]).toEqual(['peers-vouch', ['C'], 2]);
  });

  it("without multi-region, switching a unit off takes its nodes out of everyone's peer set", () => {
    const e = engine({ disabledUnits: ['A'] });
    join(e, all, units);
    heartbeat(e, all, s(1));
    heartbeat(
      e,
      all.filter((n) => n !== 'a1' && n !== 'b1'),
      s(30),
    );
    expect(e.evaluate('a1', s(45))!.rule).toBe('standard-check-disabled');
    expect(e.evaluate('b1', s(45))!.evidence.quorum.peerSetSize).toBe(2);
  });

  it('switching a unit back on at runtime restores peer checking', () => {
    const e = engine({ multiRegion: true, disabledUnits: ['A'] });
    join(e, all, units);
    heartbeat(e, all, s(1));
    heartbeat(
      e,
      all.filter((n) => n !== 'a1'),
      s(30),
    );
    expect(e.evaluate('a1', s(45))!.rule).toBe('standard-check-disabled');
    e.applySettings({ ...e.getSettings(), disabledUnits: [] });
    probeRound(e, ['a2', 'a3'], ['a1', 'a2', 'a3'], () => true, s(46));
    expect(e.evaluate('a1', s(46))!.rule).toBe('peers-vouch');
  });
});

describe('whole unit dark → freeze (NotReady + NoSchedule only)', () => {
  const site = names('t', 5);
  const units: Record<string, string[]> = { s1: ['S'], s2: ['S'], s3: ['S'], o1: ['O'] };
  for (const t of site) units[t] = ['T'];
  const all = Object.keys(units);

  function siteOutage(multiRegion: boolean) {
    const e = engine({ multiRegion });
    join(e, all, units);
    heartbeat(e, all, s(1));
    heartbeat(e, site, s(30));
    // The other site cannot reach S (nor o1) and says so, while hearing its own nodes.
    probeRound(e, site, all, (p) => p.startsWith('t'), s(35));
    return e;
  }

  it('the cloud hears no node of S: no node of S is evicted, even when outside peers vote it down', () => {
    const e = siteOutage(false);
    const j = e.evaluate('s1', s(45))!;
    expect([j.verdict, j.rule, j.evidence.frozen, j.evidence.darkUnits]).toEqual([
      'NotReadyNoSchedule',
      'unit-dark-freeze',
      true,
      ['S'],
    ]);
    expect(j.evidence.quorum.unhealthyVotes).toBeGreaterThanOrEqual(j.evidence.quorum.needed);
    expect(j.taints).toEqual([UNREACHABLE_NS]);
  });

  it('multi-region: a dark unit freezes instead of falling to no-quorum', () => {
    const e = siteOutage(true);
    expect(e.evaluate('s2', s(45))!.rule).toBe('unit-dark-freeze');
  });

  it('the freeze lifts when the cloud hears any node of the unit again', () => {
    const e = siteOutage(false);
    expect(e.tick(s(45)).find((c) => c.node === 's1')?.rule).toBe('unit-dark-freeze');
    heartbeat(e, ['s2'], s(50));
    const changes = e.tick(s(50));
    const s1 = changes.find((c) => c.node === 's1')!;
    expect([s1.previous, s1.verdict, s1.rule]).toEqual([
      'NotReadyNoSchedule',
      'NotReadyNoExecute',
      'peers-confirm-down',
    ]);
    expect(changes.find((c) => c.node === 's2')?.verdict).toBe('Ready');
  });

  it('a one-node unit does not freeze (its darkness says nothing beyond the node)', () => {
    const e = siteOutage(false);
    const j = e.evaluate('o1', s(45))!;
    expect([j.verdict, j.rule, j.evidence.frozen]).toEqual([
      'NotReadyNoExecute',
      'peers-confirm-down',
      false,
    ]);
  });
});

describe('global no-eviction mode (F-HE-4)', () => {
  it('never emits NoExecute, even when peers confirm the node down', () => {
    const e = engine({ noEviction: true });
    const all = ['a', 'b', 'c', 'x'];
    join(e, all);
    heartbeat(e, all, s(1));
    probeRound(e, ['a', 'b', 'c'], all, (p) => p !== 'x', s(5));
    const j = e.evaluate('x', s(45))!;
    expect([j.verdict, j.rule, j.taints]).toEqual([
      'NotReadyNoSchedule',
      'no-eviction-mode',
      [UNREACHABLE_NS],
    ]);
  });

  it('intercepts the standard eviction of nodes whose unit has health check switched off too', () => {
    const e = engine({ noEviction: true, disabledUnits: ['A'] });
    join(e, ['a1', 'a2'], { a1: ['A'], a2: ['A'] });
    heartbeat(e, ['a1', 'a2'], s(1));
    expect(e.evaluate('a1', s(45))!.rule).toBe('no-eviction-mode');
  });

  it('over a whole run with dead nodes no change ever carries NoExecute', () => {
    const e = engine({ noEviction: true });
    const all = names('n', 6);
    join(e, all);
    const seen: string[] = [];
    for (let t = 0; t <= 120; t += 5) {
      heartbeat(e, t < 20 ? all : all.slice(2), s(t));
      probeRound(e, all.slice(2), all, (p) => t < 20 || !['n1', 'n2'].includes(p), s(t));
      for (const c of e.tick(s(t))) seen.push(c.verdict);
    }
    expect(seen).toContain('NotReadyNoSchedule');
    expect(seen).not.toContain('NotReadyNoExecute');
  });
});

/**
 * The simulated edge nodes of the health-arbiter benchmark, as a process of its own: every node
 * sends a heartbeat and one probe report about the other members of its NodeUnit once per probe
 * period (phases spread evenly over the period), straight to the SIGNALS stream the way the
 * tunnel gateway will. Controlled by JSON lines on stdin, reports JSON lines on stdout:
 *   {"cmd":"burst","reports":N}          publish N extra reports as fast as possible → {"event":"burst-done",…}
 *   {"cmd":"soak","cut":[…],"dead":[…]} cut: nodes that lose the cloud (send nothing, peers still
 *                                        reach them); dead: nodes that die (send nothing, peers
 *                                        report them down) → {"event":"soak-applied","at":ms}
 *   {"cmd":"stop"}
 * Env: NATS_URL, BENCH_CLUSTER, NODES, UNITS, PROBE_PERIOD_MS.
 */
import readline from 'node:readline';
import { signalSubject } from '@edgeplane/contracts';
import { connect } from '@nats-io/transport-node';
import { nodeName, unitMembers } from './topology.js';

const clusterId = process.env.BENCH_CLUSTER!;
const N = Number(process.env.NODES ?? 10_000);
const UNITS = Number(process.env.UNITS ?? 100);
const PERIOD = Number(process.env.PROBE_PERIOD_MS ?? 10_000);

const nc = await connect({
  servers: (process.env.NATS_URL ?? 'nats://127.0.0.1:4222').split(','),
  name: 'health-bench-publisher',
});
const hbSubject = signalSubject('heartbeat', clusterId);
const probeSubject = signalSubject('probe', clusterId);
const encoder = new TextEncoder();
const say = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');

const names = Array.from({ length: N }, (_, i) => nodeName(i, N, UNITS));
const members = unitMembers(N, UNITS); // node index → indices of its unit (itself included)
const silent = new Set<number>(); // cut or dead: the cloud hears nothing from them
const dead = new Set<number>();
const hb = names.map((node) => encoder.encode(JSON.stringify({ v: 1, clusterId, node })));
let reports: (Uint8Array | undefined)[] = new Array(N);

function reportOf(i: number): Uint8Array {
  let bytes = reports[i];
  if (!bytes) {
    const results = members[i]!.filter((p) => p !== i).map((p) => ({
      peer: names[p]!,
      healthy: !dead.has(p),
    }));
    bytes = encoder.encode(JSON.stringify({ v: 1, clusterId, reporter: names[i], results }));
    reports[i] = bytes;
  }
  return bytes;
}

let sent = 0;
let counter = 0;
const start = Date.now();
const timer = setInterval(() => {
  const target = Math.floor(((Date.now() - start) / PERIOD) * N);
  for (; counter < target; counter++) {
    const i = counter % N;
    if (silent.has(i)) continue;
    nc.publish(hbSubject, hb[i]!);
    nc.publish(probeSubject, reportOf(i));
    sent += 2;
  }
}, 20);

async function burst(count: number): Promise<void> {
  const t0 = Date.now();
  let observations = 0;
  let i = 0;
  for (let k = 0; k < count; k++) {
    do i = (i + 1) % N;
    while (silent.has(i));
    const bytes = reportOf(i);
    nc.publish(probeSubject, bytes);
    observations += members[i]!.length - 1;
    if (k % 500 === 499) await nc.flush();
  }
  await nc.flush();
  say({ event: 'burst-done', reports: count, observations, ms: Date.now() - t0 });
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const cmd = JSON.parse(line) as { cmd: string; reports?: number; cut?: number[]; dead?: number[] };
  if (cmd.cmd === 'burst') void burst(cmd.reports ?? 10_000);
  else if (cmd.cmd === 'soak') {
    for (const i of cmd.cut ?? []) silent.add(i);
    for (const i of cmd.dead ?? []) {
      silent.add(i);
      dead.add(i);
    }
    reports = new Array(N); // peers' views changed
    say({ event: 'soak-applied', at: Date.now() });
  } else if (cmd.cmd === 'stop') {
    clearInterval(timer);
    void nc.drain().then(() => process.exit(0));
  }
});
rl.on('close', () => {
  clearInterval(timer);
  void nc.drain().then(() => process.exit(0));
});
setInterval(() => say({ event: 'stats', sent }), 10_000).unref();
say({ event: 'ready' });

import os from 'node:os';
import type { EdgeplaneHealthV1 } from '@edgeplane/proto';
import type { Command } from 'commander';
import { healthApi, serverOf } from '../client.js';
import { age, outputOption, print, printDocument, type Column, type OutputFormat } from '../output.js';
import { allPages, CLI_PAGE_SIZE } from '../paging.js';
import { commandGroup } from './command-group.js';

/**
 * `edgeplane health …` and `edgeplane node health NAME`: the health-arbiter's settings, verdicts
 * and explanations (SPEC F-HE-2…6). A failed call prints the server's reason and exits non-zero
 * (main.ts catches the thrown gRPC error and calls reportError).
 */
const api = (cmd: Command) => healthApi(serverOf(cmd));
const actor = () => `${os.userInfo().username}@${os.hostname()}`;

const VERDICT_TEXT: Record<string, string> = {
  VERDICT_READY: 'Ready',
  VERDICT_NOT_READY_NO_SCHEDULE: 'NotReady(NoSchedule)',
  VERDICT_NOT_READY_NO_EXECUTE: 'NotReady(NoExecute)',
  VERDICT_UNKNOWN: 'Unknown',
  VERDICT_UNSPECIFIED: '-',
};
const verdictText = (v: string) => VERDICT_TEXT[v] ?? v;
const VERDICT_FILTER: Record<string, EdgeplaneHealthV1.Verdict__Output> = {
  ready: 'VERDICT_READY',
  noschedule: 'VERDICT_NOT_READY_NO_SCHEDULE',
  noexecute: 'VERDICT_NOT_READY_NO_EXECUTE',
  unknown: 'VERDICT_UNKNOWN',
};

/** "40s", "2m", "1h" or a bare number of seconds → whole seconds. */
export function parseSeconds(text: string): number {
  const m = /^(\d+)\s*(s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a duration (e.g. 40s, 2m, 1h)`);
  return Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
}

const ms = (v: string | number) => {
  const n = Number(v);
  if (n < 0) return 'never';
  return n < 10_000 ? `${(n / 1000).toFixed(1)}s` : `${Math.round(n / 1000)}s`;
};

/** With `-o name`, a config prints its first column: the cluster id. */
const configColumns: Column<EdgeplaneHealthV1.HealthConfig__Output>[] = [
  { header: 'cluster', value: (x) => x.clusterId },
  { header: 'multi-region', value: (x) => String(x.multiRegion) },
  { header: 'no-eviction', value: (x) => String(x.noEviction) },
  { header: 'grace', value: (x) => `${x.graceSeconds}s` },
  { header: 'vote-ttl', value: (x) => `${x.voteTtlSeconds}s` },
  { header: 'checks-off', value: (x) => x.disabledUnits },
  { header: 'changed-by', value: (x) => x.changedBy || '<defaults>' },
  { header: 'changed', value: (x) => (x.changedAt ? age(x.changedAt) : ''), wide: true },
];

const verdictColumns: Column<EdgeplaneHealthV1.NodeVerdict__Output>[] = [
  { header: 'node', value: (v) => v.node },
  { header: 'verdict', value: (v) => verdictText(v.verdict) },
  { header: 'rule', value: (v) => v.rule },
  { header: 'age', value: (v) => age(v.since) },
  { header: 'since', value: (v) => v.since, wide: true },
];

/** The human-readable explanation of a node's verdict (F-HE-6). */
export function renderExplanation(x: EdgeplaneHealthV1.NodeExplanation__Output, now = Date.now()): string {
  const lines: string[] = [];
  const holding = x.holdingUntil ? `  (holding changes after a restart until ${x.holdingUntil})` : '';
  lines.push(`Node:        ${x.node}   cluster ${x.clusterId}`);
  lines.push(
    `Verdict:     ${verdictText(x.verdict)} since ${x.since || '-'}${x.since ? ` (${age(x.since, now)} ago)` : ''}${holding}`,
  );
  lines.push(
    `Taints:      ${x.taints.length ? x.taints.map((t) => `${t.key}:${t.effect}`).join(', ') : '<none>'}`,
  );
  lines.push(`Rule:        ${x.computedRule} — ${x.explanation}`);
  if (x.rule && x.rule !== x.computedRule && x.computedVerdict === x.verdict) {
    lines.push(`             (the verdict was published under rule ${x.rule}; only the rule changed since)`);
  }
  if (x.computedVerdict !== x.verdict)
    lines.push(`Computed:    ${verdictText(x.computedVerdict)} (not yet published)`);
  if (x.fromRecord)
    lines.push(
      'Source:      recorded evidence of the last change (another arbiter instance judges this cluster)',
    );
  const c = x.cloud;
  lines.push(
    `Cloud:       ${c?.lastSeen ? `last heartbeat ${c.lastSeen} (${ms(c.ageMs)} ago)` : 'never heard'}, ` +
      `${c?.lost ? 'LOST' : 'in contact'}${c?.graceMs ? ` (grace ${ms(c.graceMs)})` : ''}`,
  );
  const scope =
    x.scope === 'none'
      ? 'not peer-checked'
      : x.scope === 'units'
        ? `units ${x.units.join(', ')}`
        : 'whole cluster';
  const q = x.quorum;
  lines.push(
    `Peers:       ${scope}; peer set ${q?.peerSetSize ?? 0}, quorum ${q?.needed ?? 0} (more than half)`,
  );
  lines.push(
    `Votes:       ${q?.healthyVotes ?? 0} healthy, ${q?.unhealthyVotes ?? 0} unreachable, ${q?.abstained ?? 0} abstained, ` +
      `${q?.fresh ?? 0} fresh counted`,
  );
  if (x.frozen)
    lines.push(`Frozen:      every node of ${x.darkUnits.join(', ')} is dark to the cloud: no eviction`);
  lines.push('');
  if (x.peers.length > 0) {
    lines.push('PEER'.padEnd(24) + 'VOTE'.padEnd(13) + 'AGE'.padEnd(9) + 'COUNTED');
    for (const p of x.peers) {
      const counted = p.counted
        ? 'yes'
        : !p.fresh
          ? 'no (stale)'
          : p.abstained
            ? 'no (abstains: hears no peer)'
            : 'no';
      lines.push(
        String(p.peer).padEnd(24) +
          (p.healthy ? 'healthy' : 'unreachable').padEnd(13) +
          ms(p.ageMs).padEnd(9) +
          counted,
      );
    }
  } else {
    lines.push('No peer votes.');
  }
  lines.push('');
  lines.push('History:');
  if (x.history.length === 0) lines.push('  <none>');
  for (const h of x.history) {
    lines.push(
      `  ${h.at}  ${verdictText(h.previous).padEnd(21)} → ${verdictText(h.verdict).padEnd(21)} ${h.rule}`,
    );
  }
  return lines.join('\n') + '\n';
}

export function registerHealthCommands(program: Command): void {
  const health = program
    .command('health')
    .description('Edge health: settings, verdicts and explanations (health-arbiter)');

  const config = health.command('config').description("A cluster's edge-health settings");
  config
    .command('get')
    .description('Show the settings (defaults when never changed)')
    .requiredOption('--cluster <name|id>', 'cluster')
    .addOption(outputOption())
    .action(async (opts: { cluster: string; output: OutputFormat }, cmd: Command) => {
      print(await api(cmd).getConfig({ cluster: opts.cluster }), configColumns, opts.output);
    });
  config
    .command('set')
    .description(
      'Change settings; what is not given keeps its value. Multi-region and no-eviction exclude each other.',
    )
    .requiredOption('--cluster <name|id>', 'cluster')
    .option('--multi-region', 'peers are the nodes of the same NodeUnit')
    .option('--no-multi-region', 'every node checks every other')
    .option('--no-eviction', 'global no-eviction: never set NoExecute')
    .option('--eviction', 'allow eviction again')
    .option('--grace <duration>', 'silence before the cloud counts a node lost (1s…1h, default 40s)')
    .option('--vote-ttl <duration>', 'age after which a peer vote no longer counts (default 60s)')
    .addOption(outputOption())
    .action(
      async (
        opts: {
          cluster: string;
          multiRegion?: boolean;
          eviction?: boolean;
          grace?: string;
          voteTtl?: string;
          output: OutputFormat;
        },
        cmd: Command,
      ) => {
        // only what was given on the command line is sent: absent settings keep their value
        const given = (key: string) => cmd.getOptionValueSource(key) === 'cli';
        const request: EdgeplaneHealthV1.SetConfigRequest = { cluster: opts.cluster, actor: actor() };
        if (given('multiRegion')) request.multiRegion = opts.multiRegion === true;
        if (given('eviction')) request.noEviction = opts.eviction === false;
        if (given('grace')) request.graceSeconds = parseSeconds(String(opts.grace));
        if (given('voteTtl')) request.voteTtlSeconds = parseSeconds(String(opts.voteTtl));
        print(await api(cmd).setConfig(request), configColumns, opts.output);
      },
    );

  health
    .command('unit-check')
    .description('Switch the health check of one NodeUnit on or off')
    .argument('<unit>', 'NodeUnit name')
    .requiredOption('--cluster <name|id>', 'cluster')
    .option('--enable', 'peer-check the unit (default for every unit)')
    .option('--disable', 'do not peer-check it: its nodes get the standard Kubernetes behaviour')
    .addOption(outputOption())
    .action(
      async (
        unit: string,
        opts: { cluster: string; enable?: boolean; disable?: boolean; output: OutputFormat },
        cmd: Command,
      ) => {
        if (Boolean(opts.enable) === Boolean(opts.disable))
          throw new Error('give exactly one of --enable or --disable');
        const c = await api(cmd).setUnitHealthCheck({
          cluster: opts.cluster,
          unit,
          enabled: Boolean(opts.enable),
          actor: actor(),
        });
        print(c, configColumns, opts.output);
      },
    );

  health
    .command('verdicts')
    .description("Every node's published verdict")
    .requiredOption('--cluster <name|id>', 'cluster')
    .option('--verdict <list>', 'only these: ready,noschedule,noexecute,unknown')
    .addOption(outputOption())
    .action(async (opts: { cluster: string; verdict?: string; output: OutputFormat }, cmd: Command) => {
      const verdicts = (opts.verdict ?? '')
        .split(',')
        .map((v) => v.trim().toLowerCase())
        .filter(Boolean)
        .map((v) => {
          const pb = VERDICT_FILTER[v];
          if (!pb) throw new Error(`unknown verdict "${v}" (ready, noschedule, noexecute, unknown)`);
          return pb;
        });
      const rows = await allPages(async (pageToken) => {
        const res = await api(cmd).listVerdicts({
          cluster: opts.cluster,
          verdicts,
          pageToken,
          pageSize: CLI_PAGE_SIZE,
        });
        return [res.verdicts, res.nextPageToken];
      });
      print(rows, verdictColumns, opts.output, (v) => v.node);
    });

  commandGroup(program, 'node', 'Edge nodes')
    .command('health')
    .description(
      "Why a node has its health verdict: cloud contact, each peer's vote and age, quorum, rule, history",
    )
    .argument('<name>', 'node name')
    .requiredOption('--cluster <name|id>', 'cluster')
    .addOption(outputOption())
    .action(async (name: string, opts: { cluster: string; output: OutputFormat }, cmd: Command) => {
      const x = await api(cmd).explainNode({ cluster: opts.cluster, node: name });
      printDocument(
        x,
        opts.output,
        (v) => renderExplanation(v),
        (v) => v.node,
      );
    });
}

import { STREAMS } from '@edgeplane/contracts';
import type { EdgeplaneHealthV1 } from '@edgeplane/proto';
import { equalityValue, fieldsMatch, parseFieldSelector } from './field-selector.js';
import {
  humanAge,
  labelSelectorMatches,
  nameColumn,
  objectMetaSchema,
  stableUid,
  type KubeObject,
  type RequestContext,
  type ResourceDef,
} from './resource.js';

/**
 * health.edgeplane.io/v1 NodeHealth: the health arbiter's verdict on one node, read through its
 * gRPC read paths (SPEC F-HE-6). A list is `ListVerdicts` (verdict, rule, since, the node's units,
 * the evidence of the last change: cloud lost / last heard, the votes' tally); a get is
 * `ExplainNode`, the whole explanation (the rule's words, cloud contact, every in-scope peer's
 * vote with its age and staleness, quorum, frozen / dark units, history, taints). Read-only: the
 * arbiter decides. A watch follows `NodeVerdictChanged` on the health stream.
 */

type Verdict = 'Ready' | 'NotReadyNoSchedule' | 'NotReadyNoExecute' | 'Unknown';
type Quorum = EdgeplaneHealthV1.Quorum__Output;

/** The arbiter's verdict vocabulary (libs/contracts VerdictSchema) ↔ the proto enum. */
const VERDICT_WORD: Record<string, Verdict | ''> = {
  VERDICT_READY: 'Ready',
  VERDICT_NOT_READY_NO_SCHEDULE: 'NotReadyNoSchedule',
  VERDICT_NOT_READY_NO_EXECUTE: 'NotReadyNoExecute',
  VERDICT_UNKNOWN: 'Unknown',
  VERDICT_UNSPECIFIED: '',
};
const VERDICT_ENUM: Record<Verdict, EdgeplaneHealthV1.Verdict> = {
  Ready: 'VERDICT_READY',
  NotReadyNoSchedule: 'VERDICT_NOT_READY_NO_SCHEDULE',
  NotReadyNoExecute: 'VERDICT_NOT_READY_NO_EXECUTE',
  Unknown: 'VERDICT_UNKNOWN',
};
export const VERDICTS = Object.keys(VERDICT_ENUM) as Verdict[];

const word = (v: string | undefined) => VERDICT_WORD[v ?? ''] ?? '';
/** Labels every NodeHealth carries, so `-l` selects by verdict or rule. */
export const VERDICT_LABEL = 'health.edgeplane.io/verdict';
export const RULE_LABEL = 'health.edgeplane.io/rule';
const DEFAULT_UNIT = 'unit-node-all';
const FIELDS = ['metadata.name', 'status.verdict', 'status.rule'];
const PAGE_MAX = 1000;
/** Upper bound of verdicts read to answer a label- or field-selected list (filtered here). */
const FILTERED_MAX = 100_000;

const quorumOut = (q: Quorum | null | undefined) => ({
  peerSetSize: q?.peerSetSize ?? 0,
  needed: q?.needed ?? 0,
  fresh: q?.fresh ?? 0,
  healthyVotes: q?.healthyVotes ?? 0,
  unhealthyVotes: q?.unhealthyVotes ?? 0,
  abstained: q?.abstained ?? 0,
});

function meta(
  ctx: Pick<RequestContext, 'clusterId' | 'resourceVersion'>,
  node: string,
  verdict: string,
  rule: string,
) {
  return {
    name: node,
    uid: stableUid(ctx.clusterId, 'nodehealth', node),
    resourceVersion: ctx.resourceVersion,
    labels: { [VERDICT_LABEL]: verdict || 'None', ...(rule ? { [RULE_LABEL]: rule } : {}) },
  };
}

/** A ListVerdicts row as a NodeHealth (the summary: no peers' votes, no history). */
export function nodeHealthFromVerdict(
  v: EdgeplaneHealthV1.NodeVerdict__Output,
  ctx: Pick<RequestContext, 'clusterId' | 'resourceVersion' | 'now'>,
): KubeObject {
  const verdict = word(v.verdict);
  return {
    apiVersion: 'health.edgeplane.io/v1',
    kind: 'NodeHealth',
    metadata: meta(ctx, v.node, verdict, v.rule),
    status: {
      verdict,
      rule: v.rule,
      since: v.since || null,
      units: [...(v.units ?? [])],
      cloud: { lost: v.cloudLost, lastSeen: v.cloudLastSeen || null },
      quorum: quorumOut(v.quorum),
      // the evidence above is as of `since`, the last change (get: live)
      evidenceAsOf: v.since || null,
      observedAt: ctx.now.toISOString(),
    },
  };
}

/** An ExplainNode answer as a NodeHealth: the whole explanation. */
export function nodeHealthFromExplanation(
  x: EdgeplaneHealthV1.NodeExplanation__Output,
  ctx: Pick<RequestContext, 'clusterId' | 'resourceVersion' | 'now'>,
): KubeObject {
  const verdict = word(x.verdict);
  const ms = (v: string | number | undefined) => Number(v ?? 0);
  const cloudAge = ms(x.cloud?.ageMs);
  return {
    apiVersion: 'health.edgeplane.io/v1',
    kind: 'NodeHealth',
    metadata: meta(ctx, x.node, verdict, x.rule),
    status: {
      verdict,
      rule: x.rule,
      since: x.since || null,
      explanation: x.explanation,
      computedVerdict: word(x.computedVerdict),
      computedRule: x.computedRule,
      units: [...x.units],
      scope: x.scope,
      cloud: {
        lost: x.cloud?.lost ?? false,
        lastSeen: x.cloud?.lastSeen || null,
        ageMs: cloudAge < 0 ? null : cloudAge,
        graceMs: x.cloud?.graceMs ?? 0,
      },
      peers: x.peers.map((p) => ({
        peer: p.peer,
        healthy: p.healthy,
        ageMs: ms(p.ageMs),
        fresh: p.fresh,
        stale: !p.fresh,
        abstained: p.abstained,
        counted: p.counted,
      })),
      quorum: quorumOut(x.quorum),
      frozen: x.frozen,
      darkUnits: [...x.darkUnits],
      taints: x.taints.map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect })),
      condition: {
        type: 'Ready',
        status: x.condition?.status ?? 'Unknown',
        reason: x.condition?.reason ?? '',
        message: x.condition?.message ?? '',
      },
      history: x.history.map((h) => ({
        at: h.at,
        verdict: word(h.verdict),
        previous: word(h.previous) || null,
        rule: h.rule,
      })),
      holdingUntil: x.holdingUntil || null,
      // from the record of the last change (another arbiter instance judges the cluster): ages as then
      fromRecord: x.fromRecord,
      evidenceAsOf: x.fromRecord ? x.since || null : ctx.now.toISOString(),
      observedAt: ctx.now.toISOString(),
    },
  };
}

type Status = {
  verdict: string;
  rule: string;
  since: string | null;
  units: string[];
  cloud: { lost: boolean; lastSeen: string | null };
  quorum: ReturnType<typeof quorumOut>;
};
const statusOf = (o: KubeObject) => o.status as Status;
const fieldsOf = (o: KubeObject) => ({
  'metadata.name': o.metadata.name,
  'status.verdict': statusOf(o).verdict,
  'status.rule': statusOf(o).rule,
});

/** CLOUD column: what the cloud knew of the node at the last change. */
export function cloudCell(s: Status): string {
  if (!s.cloud.lastSeen) return 'never';
  return s.cloud.lost ? 'lost' : 'ok';
}
/** VOTES column: healthy / down votes counted, of the quorum needed ('-' outside peer checking). */
export function votesCell(s: Status): string {
  const q = s.quorum;
  if (!q.peerSetSize) return '-';
  return `${q.healthyVotes} up, ${q.unhealthyVotes} down / ${q.needed} needed`;
}

async function getNodeHealth(ctx: RequestContext, name: string): Promise<KubeObject> {
  const x = await ctx.upstream.explainNode({ cluster: ctx.clusterId, node: name });
  // now, not the request's start: a watch re-reads the explanation per change on one context
  return nodeHealthFromExplanation(x, { ...ctx, now: new Date() });
}

export const nodeHealthsResource: ResourceDef = {
  group: 'health.edgeplane.io',
  versions: ['v1'],
  storageVersion: 'v1',
  plural: 'nodehealths',
  singular: 'nodehealth',
  kind: 'NodeHealth',
  shortNames: ['nh'],
  namespaced: false,
  verbs: ['get', 'list', 'watch'],
  watchStream: STREAMS.HEALTH.name,
  watchSubject: 'edgeplane.health.node.verdict-changed',
  watchEvent(_type, data) {
    if (typeof data.node !== 'string') return undefined;
    return { name: data.node, added: data.previous === null };
  },
  async list(ctx, o) {
    const terms = parseFieldSelector(o.fieldSelector, FIELDS);
    const byName = equalityValue(terms, 'metadata.name');
    if (byName !== undefined) {
      try {
        const one = await getNodeHealth(ctx, byName);
        return {
          items:
            fieldsMatch(terms, fieldsOf(one)) &&
            labelSelectorMatches(o.labelSelector, one.metadata.labels ?? {})
              ? [one]
              : [],
        };
      } catch (error) {
        if ((error as { code?: number }).code === 404 || (error as { code?: number }).code === 5)
          return { items: [] };
        throw error;
      }
    }
    const only = equalityValue(terms, 'status.verdict');
    if (only !== undefined && !VERDICTS.includes(only as Verdict)) return { items: [] };
    const req = {
      cluster: ctx.clusterId,
      verdicts: only ? [VERDICT_ENUM[only as Verdict]] : [],
    };
    const keep = (obj: KubeObject) =>
      fieldsMatch(terms, fieldsOf(obj)) &&
      (!o.labelSelector || labelSelectorMatches(o.labelSelector, obj.metadata.labels ?? {}));
    const filtered = Boolean(o.labelSelector) || terms.some((t) => t.field !== 'status.verdict' || !t.equal);
    if (!filtered) {
      // the owner filters by verdict and pages: its page token is our continue token
      const page = await ctx.upstream.listVerdicts({
        ...req,
        pageSize: Math.min(Math.max(o.limit, 0) || PAGE_MAX, PAGE_MAX),
        pageToken: o.continueToken,
      });
      return {
        items: page.verdicts.map((v) => nodeHealthFromVerdict(v, ctx)),
        ...(page.nextPageToken ? { continueToken: page.nextPageToken } : {}),
      };
    }
    const items: KubeObject[] = [];
    let token = '';
    let read = 0;
    do {
      const page = await ctx.upstream.listVerdicts({ ...req, pageSize: PAGE_MAX, pageToken: token });
      read += page.verdicts.length;
      for (const v of page.verdicts) {
        const obj = nodeHealthFromVerdict(v, ctx);
        if (keep(obj)) items.push(obj);
      }
      token = page.nextPageToken;
    } while (token && read < FILTERED_MAX);
    return { items };
  },
  get: getNodeHealth,
  fieldMatches(obj, fieldSelector) {
    return fieldsMatch(parseFieldSelector(fieldSelector, FIELDS), fieldsOf(obj));
  },
  columns: [
    nameColumn,
    {
      name: 'Verdict',
      type: 'string',
      format: '',
      description: "The health arbiter's verdict.",
      priority: 0,
    },
    {
      name: 'Rule',
      type: 'string',
      format: '',
      description: 'The decision-table rule that produced it.',
      priority: 0,
    },
    {
      name: 'Cloud',
      type: 'string',
      format: '',
      description: 'Cloud contact at the last change: ok, lost or never (heard).',
      priority: 0,
    },
    {
      name: 'Votes',
      type: 'string',
      format: '',
      description: "Peers' healthy and down votes counted, and the quorum needed.",
      priority: 0,
    },
    { name: 'Since', type: 'string', format: '', description: 'How long the verdict has held.', priority: 0 },
    {
      name: 'Units',
      type: 'string',
      format: '',
      description: 'The NodeUnits of the node (the default unit left out).',
      priority: 1,
    },
    {
      name: 'Last-Heard',
      type: 'string',
      format: '',
      description: 'When the cloud last heard the node (as of the last change).',
      priority: 1,
    },
  ],
  cells(obj, now) {
    const s = statusOf(obj);
    const units = s.units.filter((u) => u !== DEFAULT_UNIT);
    return [
      obj.metadata.name,
      s.verdict || '<none>',
      s.rule || '<none>',
      cloudCell(s),
      votesCell(s),
      humanAge(s.since ?? undefined, now),
      units.length ? units.join(',') : '<none>',
      s.cloud.lastSeen ?? '<never>',
    ];
  },
  schema: () => nodeHealthSchema,
};

const str = (description: string) => ({ type: 'string', description });
const int = (description: string) => ({ type: 'integer', description });
const bool = (description: string) => ({ type: 'boolean', description });
const quorumSchema = {
  type: 'object',
  description: 'Quorum: more than half of the peer set (floor(peerSetSize / 2) + 1) must agree.',
  properties: {
    peerSetSize: int('Nodes in the peer set.'),
    needed: int('Votes needed for a majority.'),
    fresh: int('Fresh votes counted (abstaining reporters not counted).'),
    healthyVotes: int('Counted votes saying the node is healthy.'),
    unhealthyVotes: int('Counted votes saying the node is down.'),
    abstained: int('Fresh reporters that heard none of their peers, so abstain.'),
  },
};
const nodeHealthSchema = {
  type: 'object',
  description:
    "NodeHealth is the health arbiter's verdict on one node and why (read-only): list answers the summary, get the whole explanation.",
  properties: {
    apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
    kind: str('Kind is a string value representing the REST resource this object represents.'),
    metadata: objectMetaSchema,
    status: {
      type: 'object',
      description: 'The verdict and its evidence.',
      properties: {
        verdict: str('Ready, NotReadyNoSchedule, NotReadyNoExecute or Unknown.'),
        rule: str(
          'awaiting-first-heartbeat, cloud-contact, no-eviction-mode, standard-no-unit, standard-check-disabled, membership-catching-up, unit-dark-freeze, peers-confirm-down, peers-vouch or no-quorum.',
        ),
        since: str('When the verdict was reached.'),
        explanation: str('The words of the rule (get only).'),
        computedVerdict: str('What the decision table says right now (get only).'),
        computedRule: str('The rule that gives computedVerdict (get only).'),
        units: { type: 'array', items: { type: 'string' }, description: 'The NodeUnits of the node.' },
        scope: str('Peer check scope: cluster, units or none (get only).'),
        cloud: {
          type: 'object',
          description: 'Cloud contact.',
          properties: {
            lost: bool('The cloud has not heard the node for the grace period.'),
            lastSeen: str('When the cloud last heard the node; null if never.'),
            ageMs: int('Age of that heartbeat at observedAt (get only).'),
            graceMs: int('Silence after which the node counts lost (get only).'),
          },
        },
        peers: {
          type: 'array',
          description: "Every in-scope peer's latest vote about the node, newest first (get only).",
          items: {
            type: 'object',
            properties: {
              peer: str('The reporting peer.'),
              healthy: bool('It reaches the node.'),
              ageMs: int('Since the arbiter received the vote, at evidenceAsOf.'),
              fresh: bool('Younger than the vote TTL.'),
              stale: bool('Older than the vote TTL: not counted.'),
              abstained: bool('The reporter heard none of its peers, so abstains.'),
              counted: bool('Fresh and not abstaining: counted towards the quorum.'),
            },
          },
        },
        quorum: quorumSchema,
        frozen: bool('A unit of its scope is entirely dark: the verdict is frozen at NoSchedule (get only).'),
        darkUnits: { type: 'array', items: { type: 'string' }, description: 'Dark units (get only).' },
        taints: {
          type: 'array',
          description: 'The taints the arbiter sets on the node (get only).',
          items: {
            type: 'object',
            properties: { key: str('Key.'), value: str('Value.'), effect: str('Effect.') },
          },
        },
        condition: {
          type: 'object',
          description: 'The Ready condition the arbiter sets (get only).',
          properties: {
            type: str('Ready.'),
            status: str('True, False or Unknown.'),
            reason: str('Reason.'),
            message: str('Message.'),
          },
        },
        history: {
          type: 'array',
          description: 'Verdict changes, oldest first (bounded; get only).',
          items: {
            type: 'object',
            properties: { at: str('When.'), verdict: str('To.'), previous: str('From.'), rule: str('Rule.') },
          },
        },
        holdingUntil: str('While the arbiter holds changes after a restart: until when.'),
        fromRecord: bool('Answered from the record of the last change: ages as of then (get only).'),
        evidenceAsOf: str('The instant the cloud, vote and quorum evidence describes.'),
        observedAt: str('When this answer was read.'),
      },
    },
  },
  'x-kubernetes-group-version-kind': [{ group: 'health.edgeplane.io', version: 'v1', kind: 'NodeHealth' }],
};

/**
 * Which catalogue events are public: stable, versioned, readable by the `subscriber` role (the
 * events API's Subscribe and webhooks, NATS subscriber credentials, docs/events/asyncapi.yaml).
 * Every other event is internal: its shape may change without notice and only the services read it.
 *
 * Evolution rule for a public event: a new version never breaks a subscriber of the old one. The
 * old version's definition keeps an `upcast` to the new one (readers see the newest version), and
 * a change a subscriber could not read as the old version is a new event type, not a new version.
 *
 * `scope` says which cluster, nodes and units an event is about, so subscriptions can be filtered
 * and limited to the clusters a credential covers. Events that name no cluster are not public.
 */
export interface EventScope {
  clusterId: string;
  nodes: string[];
  units: string[];
}

type Data = Record<string, unknown>;

const str = (v: unknown): string[] => (typeof v === 'string' && v !== '' ? [v] : []);
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** nodeName / node fields (cluster, health events) */
const nodeScope = (d: Data) => ({ nodes: [...str(d.nodeName), ...str(d.node)], units: [] });
/** a unit named `name`, its member changes */
const unitScope = (d: Data) => ({
  nodes: [...strs(d.added), ...strs(d.removed)],
  units: str(d.name),
});
/** a unit named `unit` (Kins) */
const kinsScope = (d: Data) => ({ nodes: [], units: str(d.unit) });
/** a node group: the units it spans */
const groupScope = (d: Data) => ({ nodes: [], units: strs(d.units) });
/** a grid rollout: the units of the wave */
const rolloutScope = (d: Data) => ({ nodes: [], units: strs(d.units) });
const none = () => ({ nodes: [], units: [] });

/** Public event type → how to read its scope from `data` (every version of a type is public). */
export const PUBLIC_EVENTS: Readonly<Record<string, (data: Data) => { nodes: string[]; units: string[] }>> =
  Object.freeze({
    // cluster service: clusters and the node lifecycle
    ClusterCreated: none,
    ClusterDeleted: none,
    NodeJoined: nodeScope,
    NodeRemoved: nodeScope,
    NodeCordoned: nodeScope,
    NodeUncordoned: nodeScope,
    NodeLabelsChanged: nodeScope,
    // health-arbiter: verdicts and evictions
    NodeVerdictChanged: nodeScope,
    NodeEvictionRequested: nodeScope,
    // nodepool: units, groups, promotion to K3s (Kins)
    NodeUnitCreated: unitScope,
    NodeUnitUpdated: unitScope,
    NodeUnitDeleted: unitScope,
    NodeUnitMembersChanged: unitScope,
    NodeUnitUpgradedToK3s: kinsScope,
    NodeUnitDemotedFromK3s: kinsScope,
    KinsClusterFailed: kinsScope,
    NodeGroupCreated: groupScope,
    NodeGroupUpdated: groupScope,
    NodeGroupDeleted: groupScope,
    NodeGroupUnitsChanged: groupScope,
    // grid: applied grids and their rollouts
    GridApplied: none,
    GridDeleted: none,
    RolloutWaveStarted: rolloutScope,
    RolloutWaveCompleted: rolloutScope,
    RolloutWaveHalted: rolloutScope,
    RolloutProgressed: rolloutScope,
    RolloutPaused: rolloutScope,
    RolloutResumed: rolloutScope,
    RolloutUndone: rolloutScope,
  });

const extraPublic = new Map<string, (data: Data) => { nodes: string[]; units: string[] }>();

/**
 * Test seam (as `extendCatalogue`): the events service's evolution test makes a probe type public
 * to publish two versions of it. Product code never calls this.
 */
export function extendPublicEvents(
  type: string,
  scope: (data: Data) => { nodes: string[]; units: string[] },
): void {
  extraPublic.set(type, scope);
}

export function isPublicEvent(type: string): boolean {
  return Object.hasOwn(PUBLIC_EVENTS, type) || extraPublic.has(type);
}

/** The scope of a public event's data; undefined for an internal type or data without a cluster. */
export function publicEventScope(type: string, data: unknown): EventScope | undefined {
  if (!isPublicEvent(type) || typeof data !== 'object' || data === null) return undefined;
  const d = data as Data;
  if (typeof d.clusterId !== 'string' || d.clusterId === '') return undefined;
  const { nodes, units } = (
    Object.hasOwn(PUBLIC_EVENTS, type) ? PUBLIC_EVENTS[type]! : extraPublic.get(type)!
  )(d);
  return { clusterId: d.clusterId, nodes, units };
}

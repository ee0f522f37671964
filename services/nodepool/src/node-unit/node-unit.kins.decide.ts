import { IllegalStateError, ValidationError } from '@edgeplane/es-kit';
import {
  allocateRanges,
  assertKinsHost,
  assignRoles,
  BCRYPT_HASH,
  kubeconfigRefs,
  type HostCluster,
  type PortRange,
  type TakenKinsRanges,
} from '../kins/kins.rules.js';
import type { Addressed } from '../model/command.js';
import { DEFAULT_UNIT_NAME } from '../model/node-unit.model.js';
import type { ActiveUnitState, NodeUnitEvent } from './node-unit.state.js';

/** The Kins commands of the NodeUnit aggregate: promote/demote a unit to/from its own K3s cluster. */
export type KinsCommand =
  | (Addressed & {
      type: 'PromoteNodeUnit';
      /** As the operator asked: `single` or `ha`, anything else is refused here. */
      mode: string;
      host: HostCluster;
      /** Ranges held by the cluster's other K3s units. */
      taken: TakenKinsRanges[];
      serviceCidr?: string;
      nodePortRange?: PortRange;
      servers?: string[];
    })
  /** From the unit's agents (through the tunnel). */
  | (Addressed & {
      type: 'ReportKinsStatus';
      generation: number;
      phase: 'running' | 'failed' | 'uninstalled';
      message?: string;
      apiServerEndpoint?: string;
      k3sVersion?: string;
    })
  /** `passwordHash` is bcrypt, computed by hashProxyPassword() before the decider runs. */
  | (Addressed & { type: 'EnableKinsPublicAccess'; passwordHash: string })
  | (Addressed & { type: 'DisableKinsPublicAccess' })
  | (Addressed & { type: 'DemoteNodeUnit' });

/** Kins decisions need a live unit (the decider resolves it: NOT_FOUND otherwise). */
export function decideKins(command: KinsCommand, unit: ActiveUnitState): NodeUnitEvent[] {
  switch (command.type) {
    case 'PromoteNodeUnit':
      return promote(command, unit);
    case 'ReportKinsStatus':
      return report(command, unit);
    case 'EnableKinsPublicAccess':
      return enablePublicAccess(command, unit);
    case 'DisableKinsPublicAccess':
      if (unit.kins.phase === 'none' || !unit.kins.publicAccess) return [];
      return [
        {
          type: 'KinsPublicAccessDisabled',
          data: { ...ids(unit), generation: unit.kins.generation, at: command.now },
        },
      ];
    case 'DemoteNodeUnit':
      if (unit.kins.phase === 'none' || unit.kins.phase === 'demoting') return [];
      return [
        {
          type: 'KinsDemotionRequested',
          data: {
            ...ids(unit),
            generation: unit.kins.generation,
            nodes: unit.kins.nodes.map((n) => ({ ...n })),
            at: command.now,
          },
        },
      ];
  }
}

/** While a unit is K3s, members joining or leaving it join or leave its K3s cluster too. */
export function kinsMembershipEvents(
  unit: ActiveUnitState,
  added: readonly string[],
  removed: readonly string[],
  now: string,
): NodeUnitEvent[] {
  const kins = unit.kins;
  if (kins.phase !== 'promoting' && kins.phase !== 'independent' && kins.phase !== 'failed') return [];
  const events: NodeUnitEvent[] = [];
  const inK3s = new Map(kins.nodes.map((n) => [n.name, n.role]));
  for (const node of added) {
    if (inK3s.has(node)) continue;
    events.push({
      type: 'KinsNodeJoinRequested',
      data: { ...ids(unit), generation: kins.generation, node, role: 'agent', at: now },
    });
  }
  for (const node of removed) {
    const role = inK3s.get(node);
    if (!role) continue;
    events.push({
      type: 'KinsNodeLeaveRequested',
      data: { ...ids(unit), generation: kins.generation, node, role, at: now },
    });
  }
  return events;
}

function ids(unit: ActiveUnitState) {
  return { clusterId: unit.clusterId, unit: unit.name };
}

function promote(
  command: Extract<KinsCommand, { type: 'PromoteNodeUnit' }>,
  unit: ActiveUnitState,
): NodeUnitEvent[] {
  const kins = unit.kins;
  if (kins.phase === 'promoting' || kins.phase === 'independent') {
    if (kins.mode === command.mode) return [];
    throw new IllegalStateError(
      `unit "${unit.name}" is already a K3s unit in ${kins.mode} mode (phase ${kins.phase}); demote first to change the mode`,
    );
  }
  if (kins.phase === 'failed')
    throw new IllegalStateError(
      `unit "${unit.name}" has a failed K3s cluster (${kins.failureReason ?? 'no reason'}); demote first to clean up`,
    );
  if (kins.phase === 'demoting')
    throw new IllegalStateError(`unit "${unit.name}" is being demoted; wait until the demotion finishes`);
  if (unit.isDefault)
    throw new IllegalStateError(
      `the default unit "${DEFAULT_UNIT_NAME}" cannot be promoted to a K3s cluster`,
    );
  const mode = command.mode;
  if (mode !== 'single' && mode !== 'ha') {
    throw ValidationError.field('mode', `unknown Kins mode "${mode}"; use single or ha`);
  }
  assertKinsHost(command.host);
  const nodes = assignRoles(unit.name, unit.members, mode, command.servers);
  const ranges = allocateRanges(
    command.host,
    command.taken.filter((t) => t.unit !== unit.name),
    {
      ...(command.serviceCidr !== undefined ? { serviceCidr: command.serviceCidr } : {}),
      ...(command.nodePortRange !== undefined ? { nodePortRange: command.nodePortRange } : {}),
    },
  );
  const generation = unit.generation + 1;
  return [
    {
      type: 'KinsPromotionRequested',
      data: {
        ...ids(unit),
        generation,
        mode,
        kubernetesVersion: command.host.kubernetesVersion,
        nodes,
        ...ranges,
        kubeconfigs: kubeconfigRefs(unit.clusterId, unit.name, generation),
        at: command.now,
      },
    },
  ];
}

function report(
  command: Extract<KinsCommand, { type: 'ReportKinsStatus' }>,
  unit: ActiveUnitState,
): NodeUnitEvent[] {
  const kins = unit.kins;
  if (kins.phase === 'none') {
    if (command.phase === 'uninstalled') return [];
    throw new IllegalStateError(`unit "${unit.name}" is not a K3s unit; report "${command.phase}" refused`);
  }
  // A late report from an earlier promotion must not move the current one.
  if (command.generation !== kins.generation) return [];
  const base = { ...ids(unit), generation: kins.generation, at: command.now };
  switch (command.phase) {
    case 'running':
      if (kins.phase === 'independent' || kins.phase === 'demoting') return [];
      return [
        {
          type: 'NodeUnitUpgradedToK3s',
          data: {
            ...base,
            ...(command.apiServerEndpoint ? { apiServerEndpoint: command.apiServerEndpoint } : {}),
            ...(command.k3sVersion ? { k3sVersion: command.k3sVersion } : {}),
          },
        },
      ];
    case 'failed': {
      const reason = command.message?.trim() || 'agent reported a failure without a message';
      if (kins.phase === 'failed' && kins.failureReason === reason) return [];
      return [{ type: 'KinsClusterFailed', data: { ...base, reason } }];
    }
    case 'uninstalled':
      if (kins.phase !== 'demoting') {
        throw new IllegalStateError(
          `unit "${unit.name}" is ${kins.phase}, not being demoted; report "uninstalled" refused`,
        );
      }
      return [{ type: 'NodeUnitDemotedFromK3s', data: base }];
  }
}

function enablePublicAccess(
  command: Extract<KinsCommand, { type: 'EnableKinsPublicAccess' }>,
  unit: ActiveUnitState,
): NodeUnitEvent[] {
  const kins = unit.kins;
  if (kins.phase !== 'promoting' && kins.phase !== 'independent') {
    throw new IllegalStateError(
      `public access needs an independent K3s unit; unit "${unit.name}" is in phase ${kins.phase}`,
    );
  }
  if (!command.passwordHash) {
    throw ValidationError.field('password', 'public access requires an operator-set proxy password');
  }
  if (!BCRYPT_HASH.test(command.passwordHash)) {
    throw ValidationError.field(
      'passwordHash',
      'must be a bcrypt hash (hash the proxy password with hashProxyPassword first)',
    );
  }
  if (kins.publicAccess?.passwordHash === command.passwordHash) return [];
  return [
    {
      type: 'KinsPublicAccessEnabled',
      data: {
        ...ids(unit),
        generation: kins.generation,
        passwordHash: command.passwordHash,
        at: command.now,
      },
    },
  ];
}

import { z } from 'zod';
import type { LabelSelectorInput } from '../shared/label-selector.js';
import type { LabelSelector } from '../shared/label-selector.js';
import type { NodeUnitSpecInput } from '../node-unit/node-unit.spec.js';
import type { NodeGroupSpecInput } from '../node-group/node-group.spec.js';
import type { UnitStatus } from '../unit-status/unit-status.js';
import type { NodeLayer } from '../membership/membership.engine.js';
import type { ActiveGroupState, ActiveUnitState } from '../projections/nodepool.projections.js';

/**
 * Proto ↔ domain for the nodepool API. Request schemas only check shapes (proto-loader already
 * typed the wire); the deciders validate meaning (names, label syntax, rules) with field paths.
 */
const StringMap = z.record(z.string(), z.string()).default({});
const Strings = z.array(z.string()).default([]);

export const SelectorMessage = z
  .object({
    matchLabels: StringMap,
    matchExpressions: z
      .array(z.object({ key: z.string(), operator: z.string(), values: Strings }))
      .default([]),
  })
  .nullish();

export const UnitSpecMessage = z
  .object({
    type: z.string().default(''),
    nodes: Strings,
    selector: SelectorMessage,
    setNode: z
      .object({
        labels: StringMap,
        annotations: StringMap,
        taints: z
          .array(z.object({ key: z.string(), value: z.string().default(''), effect: z.string() }))
          .default([]),
      })
      .nullish(),
    labels: StringMap,
  })
  .nullish();

export const GroupSpecMessage = z
  .object({ nodeUnits: Strings, selector: SelectorMessage, autoFindNodeKeys: Strings })
  .nullish();

export const ClusterField = z.string().min(1, 'is required (the cluster name or id)');
export const NameField = z.string().min(1, 'is required');

function selectorInput(s: z.infer<typeof SelectorMessage>): LabelSelectorInput | undefined {
  if (!s) return undefined;
  return { matchLabels: s.matchLabels, matchExpressions: s.matchExpressions };
}

export function unitSpecInput(spec: z.infer<typeof UnitSpecMessage>): NodeUnitSpecInput {
  if (!spec) return {};
  const selector = selectorInput(spec.selector);
  return {
    ...(spec.type ? { type: spec.type } : {}),
    nodes: spec.nodes,
    ...(selector ? { selector } : {}),
    ...(spec.setNode
      ? {
          setNode: {
            labels: spec.setNode.labels,
            annotations: spec.setNode.annotations,
            taints: spec.setNode.taints,
          },
        }
      : {}),
    labels: spec.labels,
  };
}

export function groupSpecInput(spec: z.infer<typeof GroupSpecMessage>): NodeGroupSpecInput {
  if (!spec) return {};
  const selector = selectorInput(spec.selector);
  return {
    nodeUnits: spec.nodeUnits,
    ...(selector ? { selector } : {}),
    autoFindNodeKeys: spec.autoFindNodeKeys,
  };
}

function selectorMessage(s: LabelSelector | undefined) {
  return s ? { matchLabels: s.matchLabels, matchExpressions: s.matchExpressions } : null;
}

export function statusMessage(s: UnitStatus) {
  return {
    readyNodes: s.readyNodes,
    notReadyNodes: s.notReadyNodes,
    readyRate: s.readyRate,
    readyRatio: s.readyRatio,
  };
}

export function unitMessage(unit: ActiveUnitState, groups: string[], status: UnitStatus) {
  return {
    clusterId: unit.clusterId,
    name: unit.name,
    spec: {
      type: unit.spec.type,
      nodes: unit.spec.nodes,
      selector: selectorMessage(unit.spec.selector),
      setNode: unit.spec.setNode,
      labels: unit.spec.labels,
    },
    isDefault: unit.isDefault,
    managedBy: unit.managedBy ?? '',
    members: unit.members,
    groups,
    kinsPhase: unit.kins.phase,
    status: statusMessage(status),
    createdAt: unit.createdAt,
  };
}

export function groupMessage(group: ActiveGroupState) {
  return {
    clusterId: group.clusterId,
    name: group.name,
    spec: {
      nodeUnits: group.spec.nodeUnits,
      selector: selectorMessage(group.spec.selector),
      autoFindNodeKeys: group.spec.autoFindNodeKeys,
    },
    units: group.units,
    createdAt: group.createdAt,
  };
}

export function kinsMessage(unit: ActiveUnitState) {
  const k = unit.kins;
  if (k.phase === 'none') {
    return {
      clusterId: unit.clusterId,
      unit: unit.name,
      phase: 'none',
      generation: unit.generation,
      nodes: [],
      publicAccess: false,
    };
  }
  return {
    clusterId: unit.clusterId,
    unit: unit.name,
    phase: k.phase,
    generation: k.generation,
    mode: k.mode,
    nodes: k.nodes,
    serviceCidr: k.serviceCidr,
    clusterDns: k.clusterDns,
    nodePortRange: k.nodePortRange,
    internalKubeconfigRef: k.kubeconfigs.internal,
    publicKubeconfigRef: k.publicAccess ? k.kubeconfigs.public : '',
    publicAccess: k.publicAccess !== undefined,
    failureReason: k.failureReason ?? '',
    apiServerEndpoint: k.apiServerEndpoint ?? '',
    k3sVersion: k.k3sVersion ?? '',
  };
}

export function membershipMessage(clusterId: string, node: string, layer: NodeLayer) {
  return { clusterId, node, ...layer };
}

/** Keyset paging by name: the token is the last name of the previous page. */
export function page<T extends { name: string }>(items: T[], token: string, size: number) {
  const limit = size > 0 ? Math.min(size, 1000) : 500;
  const rest = token ? items.filter((i) => i.name > token) : items;
  const slice = rest.slice(0, limit);
  const last = slice[slice.length - 1];
  return { items: slice, nextPageToken: rest.length > limit && last ? last.name : '' };
}

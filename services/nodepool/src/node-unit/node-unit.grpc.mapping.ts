import { z } from 'zod';
import type { NodeUnitSpecInput } from '../model/node-unit.model.js';
import {
  selectorInput,
  SelectorMessage,
  selectorMessage,
  StringMap,
  Strings,
} from '../grpc/request.mapping.js';
import type { UnitView } from '../read-model/units.queries.js';
import type { ActiveUnitState } from './node-unit.state.js';
import type { UnitStatus } from './node-unit.views.js';

/** Proto ↔ domain for NodeUnitService and KinsService. */
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

export function statusMessage(s: UnitStatus) {
  return {
    readyNodes: s.readyNodes,
    notReadyNodes: s.notReadyNodes,
    readyRate: s.readyRate,
    readyRatio: s.readyRatio,
  };
}

export function unitMessage({ unit, groups, status }: UnitView) {
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

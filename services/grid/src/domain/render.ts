/**
 * Fan-out and rendering: for a grid and the NodeUnits of the NodeGroup its gridUniqKey names,
 * one child `<grid>-<unit>` per unit (SuperEdge's application-grid-controller, with a NodeGroup
 * instead of a node label key), rendered as standard apps/v1 Deployment / StatefulSet objects
 * validated against the Kubernetes schemas (kubernetes-models); a ServiceGrid renders SuperEdge's
 * one Service `<grid>-svc` with the `topologyKeys` annotation.
 *
 * Every child carries SuperEdge's labels (`superedge.io/grid-selector`, `superedge.io/grid-uniq-key`)
 * plus `edgeplane.io/unit`; its selector and pod labels include grid and unit (SuperEdge leaves
 * siblings with one overlapping selector — we do not), pods get `superedge.io/template-hash-key`,
 * and the pod nodeSelector gets the unit's membership label `<unit>: nodeunits.superedge.io`.
 */
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Service } from 'kubernetes-models/v1';
import { ValidationError } from '@edgeplane/es-kit';
import { childName, serviceName, templateHash } from './names.js';
import { cpuMilli, memoryBytes } from './quantity.js';
import { UNIT_NAME_LABEL } from './selectors.js';
import type {
  ChildPlan,
  Grid,
  IDeploymentSpec,
  K8sObject,
  NodeSelectorTerm,
  PodSpecRef,
  RenderedChild,
  RenderResult,
  ServiceGrid,
  Toleration,
  WorkloadGrid,
} from './types.js';
import { unitVariant, type UnitVariant } from './variants.js';

export const GRID_SELECTOR_LABEL = 'superedge.io/grid-selector';
export const GRID_UNIQ_KEY_LABEL = 'superedge.io/grid-uniq-key';
export const TEMPLATE_HASH_LABEL = 'superedge.io/template-hash-key';
export const UNIT_LABEL = UNIT_NAME_LABEL;
/** The membership label nodepool writes on every node of unit U: `U: nodeunits.superedge.io`. */
export const UNIT_MEMBER_VALUE = 'nodeunits.superedge.io';
export const TEMPLATE_ANNOTATION = 'edgeplane.io/template';
export const OVERRIDERS_ANNOTATION = 'edgeplane.io/overriders';
export const CLUSTER_DOMAIN = 'cluster.local';

type UnitRef = { name: string; labels: Readonly<Record<string, string>> };

function childKind(grid: WorkloadGrid): 'Deployment' | 'StatefulSet' {
  return grid.kind === 'DeploymentGrid' ? 'Deployment' : 'StatefulSet';
}

/** Units sorted by name, duplicates dropped (a unit listed twice gets one child). */
function uniqueUnits(units: readonly UnitRef[]): UnitRef[] {
  const seen = new Map<string, UnitRef>();
  for (const u of units) if (!seen.has(u.name)) seen.set(u.name, u);
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function planOf(grid: WorkloadGrid, unit: UnitRef, variant: UnitVariant): ChildPlan {
  const { replicas: _replicas, ...withoutReplicas } = variant.spec as IDeploymentSpec;
  return {
    grid: grid.metadata.name,
    kind: childKind(grid),
    unit: unit.name,
    name: childName(grid.metadata.name, unit.name, childKind(grid)),
    templateName: variant.templateName,
    overriders: variant.overriders,
    replicas: variant.replicas,
    // SuperEdge hashes the template minus replicas: scaling a unit is not a new revision
    templateHash: templateHash(withoutReplicas),
  };
}

/** One child plan per unit; units whose template is missing are left out (renderGrid reports them). */
export function fanOut(grid: WorkloadGrid, units: readonly UnitRef[]): ChildPlan[] {
  const plans: ChildPlan[] = [];
  for (const unit of uniqueUnits(units)) {
    try {
      plans.push(planOf(grid, unit, unitVariant(grid, unit)));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
    }
  }
  return plans;
}

function childObject(grid: WorkloadGrid, plan: ChildPlan, variant: UnitVariant): K8sObject {
  const spec = variant.spec as IDeploymentSpec;
  const gridName = grid.metadata.name;
  const identity = { [GRID_SELECTOR_LABEL]: gridName, [UNIT_LABEL]: plan.unit };
  const podTemplate = spec.template ?? {};
  const podSpec = podTemplate.spec ?? { containers: [] };
  return {
    apiVersion: 'apps/v1',
    kind: plan.kind,
    metadata: {
      name: plan.name,
      namespace: grid.metadata.namespace,
      labels: { ...grid.metadata.labels, ...identity, [GRID_UNIQ_KEY_LABEL]: grid.spec.gridUniqKey },
      annotations: {
        [TEMPLATE_ANNOTATION]: plan.templateName,
        ...(plan.overriders.length > 0 ? { [OVERRIDERS_ANNOTATION]: plan.overriders.join(',') } : {}),
      },
    },
    spec: {
      ...spec,
      replicas: plan.replicas,
      selector: {
        ...(spec.selector?.matchExpressions ? { matchExpressions: spec.selector.matchExpressions } : {}),
        matchLabels: { ...(spec.selector?.matchLabels ?? {}), ...identity },
      },
      template: {
        ...podTemplate,
        metadata: {
          ...(podTemplate.metadata ?? {}),
          labels: {
            ...(podTemplate.metadata?.labels ?? {}),
            ...identity,
            [TEMPLATE_HASH_LABEL]: plan.templateHash,
          },
        },
        spec: {
          ...podSpec,
          nodeSelector: { ...(podSpec.nodeSelector ?? {}), [plan.unit]: UNIT_MEMBER_VALUE },
        },
      },
    },
  };
}

type ContainerLike = { resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } };

function requestOf(c: ContainerLike, resource: 'cpu' | 'memory'): number {
  // Kubernetes defaults a missing request to the limit
  const value = (c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource]) as
    | string
    | number
    | undefined;
  return resource === 'cpu' ? cpuMilli(value) : memoryBytes(value);
}

/** A pod's requests as the scheduler counts them: max(sum of containers, largest init container). */
export function podRequests(podSpec: { containers?: ContainerLike[]; initContainers?: ContainerLike[] }): {
  cpuMilli: number;
  memoryBytes: number;
} {
  const sum = (r: 'cpu' | 'memory') => (podSpec.containers ?? []).reduce((n, c) => n + requestOf(c, r), 0);
  const init = (r: 'cpu' | 'memory') =>
    Math.max(0, ...(podSpec.initContainers ?? []).map((c) => requestOf(c, r)));
  return {
    cpuMilli: Math.max(sum('cpu'), init('cpu')),
    memoryBytes: Math.max(sum('memory'), init('memory')),
  };
}

function podsOf(grid: WorkloadGrid, plan: ChildPlan, object: K8sObject): PodSpecRef[] {
  const spec = object.spec as IDeploymentSpec & { serviceName?: string };
  const podSpec = spec.template.spec ?? { containers: [] };
  const requests = podRequests(podSpec as never);
  const nodeSelector = podSpec.nodeSelector ?? {};
  const tolerations = (podSpec.tolerations ?? []) as Toleration[];
  const required = (podSpec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
    ?.nodeSelectorTerms ?? []) as { matchExpressions?: NodeSelectorTerm['matchExpressions'] }[];
  const requiredNodeAffinity = required.map((t) => ({ matchExpressions: t.matchExpressions ?? [] }));
  const labels = spec.template.metadata?.labels ?? {};
  const pods: PodSpecRef[] = [];
  for (let i = 0; i < plan.replicas; i++) {
    const stateful = plan.kind === 'StatefulSet';
    const name = stateful ? `${plan.name}-${i}` : `${plan.name}-${plan.templateHash}-${i}`;
    const pod: PodSpecRef = {
      name,
      child: plan.name,
      unit: plan.unit,
      ordinal: i,
      requests,
      nodeSelector,
      tolerations,
      requiredNodeAffinity,
      labels,
      templateHash: plan.templateHash,
    };
    if (stateful) {
      const svc = spec.serviceName ?? serviceName(grid.metadata.name);
      const suffix = `${svc}.${grid.metadata.namespace}.svc.${CLUSTER_DOMAIN}`;
      // SuperEdge's statefulset-grid-daemon: the unit-agnostic alias resolves to the local unit's replica i
      pod.dns = { fqdn: `${name}.${suffix}`, unitAlias: `${grid.metadata.name}-${i}.${suffix}` };
    }
    pods.push(pod);
  }
  return pods;
}

function validateObject(object: K8sObject): void {
  const Model =
    object.kind === 'Deployment' ? Deployment : object.kind === 'StatefulSet' ? StatefulSet : Service;
  new Model(object as never).validate();
}

function renderService(grid: ServiceGrid): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: serviceName(grid.metadata.name),
      namespace: grid.metadata.namespace,
      labels: {
        ...grid.metadata.labels,
        [GRID_SELECTOR_LABEL]: grid.metadata.name,
        [GRID_UNIQ_KEY_LABEL]: grid.spec.gridUniqKey,
      },
      // SuperEdge: endpoints are kept to the client's own unit (application-grid-wrapper)
      annotations: { ...grid.metadata.annotations, topologyKeys: JSON.stringify([grid.spec.gridUniqKey]) },
    },
    spec: structuredClone(grid.spec.template),
  };
}

export function renderGrid(grid: Grid, units: readonly UnitRef[]): RenderResult {
  if (grid.kind === 'ServiceGrid') {
    const service = renderService(grid);
    validateObject(service);
    return { children: [], service, objects: [service], problems: [] };
  }
  const children: RenderedChild[] = [];
  const problems: RenderResult['problems'] = [];
  for (const unit of uniqueUnits(units)) {
    let variant: UnitVariant;
    try {
      variant = unitVariant(grid, unit);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const v of error.violations)
        problems.push({ unit: unit.name, field: v.field, description: v.description });
      continue;
    }
    const plan = planOf(grid, unit, variant);
    const object = childObject(grid, plan, variant);
    try {
      validateObject(object);
    } catch (error) {
      problems.push({
        unit: unit.name,
        field: 'spec',
        description: `the unit's rendered ${plan.kind} is not valid: ${(error as Error).message.slice(0, 300)}`,
      });
      continue;
    }
    children.push({ ...plan, object, pods: podsOf(grid, plan, object) });
  }
  return { children, objects: children.map((c) => c.object), problems };
}

export function render(grid: Grid, units: readonly UnitRef[]): K8sObject[] {
  return renderGrid(grid, units).objects;
}

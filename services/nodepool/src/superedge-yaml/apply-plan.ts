import { ValidationError, type FieldViolation } from '@edgeplane/es-kit';
import { jsonEqual } from '../shared/k8s-names.js';
import { normalizeUnitSpec, type NodeUnitSpec, type NodeUnitSpecInput } from '../model/node-unit.model.js';
import {
  normalizeGroupSpec,
  type NodeGroupSpec,
  type NodeGroupSpecInput,
} from '../model/node-group.model.js';
import type { SuperEdgeResource } from './superedge-yaml.parser.js';

/** Current units and groups of the cluster (from the read models). */
export interface ApplyCurrent {
  units: ReadonlyMap<string, { spec: NodeUnitSpec; managedBy?: string; isDefault?: boolean }>;
  groups: ReadonlyMap<string, { spec: NodeGroupSpec }>;
}

export interface ApplyChange {
  kind: 'NodeUnit' | 'NodeGroup';
  name: string;
  action: 'created' | 'updated' | 'unchanged';
  /** Human-readable field changes, e.g. `nodes: +gz-4 -gz-1`. */
  changes: string[];
}

/** Command skeletons; the service adds clusterId, now and world, then runs the deciders. */
export type ApplyCommand =
  | { type: 'CreateNodeUnit' | 'UpdateNodeUnit'; name: string; spec: NodeUnitSpecInput }
  | { type: 'CreateNodeGroup' | 'UpdateNodeGroup'; name: string; spec: NodeGroupSpecInput };

/**
 * `edgeplane apply -f`: what the parsed resources would change. Units come before groups so a
 * group can name units created by the same file. Nothing is deleted by apply.
 */
export function planApply(
  resources: readonly SuperEdgeResource[],
  current: ApplyCurrent,
): { changes: ApplyChange[]; commands: ApplyCommand[] } {
  const violations: FieldViolation[] = [];
  const changes: ApplyChange[] = [];
  const commands: ApplyCommand[] = [];
  /** per updated unit: nodes it gives up minus nodes it takes (by explicit node list) */
  const released = new Map<string, number>();
  const ordered = [...resources].sort((a, b) =>
    a.kind === b.kind ? a.document - b.document : a.kind === 'NodeUnit' ? -1 : 1,
  );
  for (const r of ordered) {
    const field = `documents[${r.document}].spec`;
    if (r.kind === 'NodeUnit') {
      const existing = current.units.get(r.name);
      const spec = normalizeUnitSpec(r.name, r.spec, violations, field);
      if (!existing) {
        changes.push({ kind: r.kind, name: r.name, action: 'created', changes: [] });
        commands.push({ type: 'CreateNodeUnit', name: r.name, spec: r.spec });
        continue;
      }
      if (existing.managedBy) {
        violations.push({
          field: `documents[${r.document}].metadata.name`,
          description: `NodeUnit "${r.name}" is created by NodeGroup "${existing.managedBy}" (autoFindNodeKeys); change the group instead`,
        });
        continue;
      }
      const before = existing.spec;
      const diff = [
        ...scalar('type', before.type, spec.type),
        ...list('nodes', before.nodes, spec.nodes),
        ...(jsonEqual(before.selector, spec.selector)
          ? []
          : [
              `selector: ${JSON.stringify(before.selector ?? null)} → ${JSON.stringify(spec.selector ?? null)}`,
            ]),
        ...map('setNode.labels', before.setNode.labels, spec.setNode.labels),
        ...map('setNode.annotations', before.setNode.annotations, spec.setNode.annotations),
        ...(jsonEqual(before.setNode.taints, spec.setNode.taints)
          ? []
          : [
              `setNode.taints: ${before.setNode.taints.map(taint).join(',') || '-'} → ${spec.setNode.taints.map(taint).join(',') || '-'}`,
            ]),
        ...map('labels', before.labels, spec.labels),
      ];
      changes.push({
        kind: r.kind,
        name: r.name,
        action: diff.length ? 'updated' : 'unchanged',
        changes: diff,
      });
      if (diff.length) {
        commands.push({ type: 'UpdateNodeUnit', name: r.name, spec: r.spec });
        released.set(
          r.name,
          before.nodes.filter((n) => !spec.nodes.includes(n)).length -
            spec.nodes.filter((n) => !before.nodes.includes(n)).length,
        );
      }
    } else {
      const existing = current.groups.get(r.name);
      const spec = normalizeGroupSpec(r.spec, violations, field);
      if (!existing) {
        changes.push({ kind: r.kind, name: r.name, action: 'created', changes: [] });
        commands.push({ type: 'CreateNodeGroup', name: r.name, spec: r.spec });
        continue;
      }
      const before = existing.spec;
      const diff = [
        ...list('nodeUnits', before.nodeUnits, spec.nodeUnits),
        ...(jsonEqual(before.selector, spec.selector)
          ? []
          : [
              `selector: ${JSON.stringify(before.selector ?? null)} → ${JSON.stringify(spec.selector ?? null)}`,
            ]),
        ...list('autoFindNodeKeys', before.autoFindNodeKeys, spec.autoFindNodeKeys),
      ];
      changes.push({
        kind: r.kind,
        name: r.name,
        action: diff.length ? 'updated' : 'unchanged',
        changes: diff,
      });
      if (diff.length) commands.push({ type: 'UpdateNodeGroup', name: r.name, spec: r.spec });
    }
  }
  if (violations.length > 0) throw new ValidationError(violations);
  // A file that moves a node from one unit to another must not trip the one-unit-per-group rule
  // half-way: updates that release nodes run before updates that take nodes (stable otherwise).
  const rank = (c: ApplyCommand) => (c.type === 'UpdateNodeUnit' ? -(released.get(c.name) ?? 0) : 0);
  const units = commands.filter((c) => c.type === 'UpdateNodeUnit').sort((a, b) => rank(a) - rank(b));
  let next = 0;
  const sorted = commands.map((c) => (c.type === 'UpdateNodeUnit' ? units[next++]! : c));
  return { changes, commands: sorted };
}

function scalar(field: string, a: string, b: string): string[] {
  return a === b ? [] : [`${field}: ${a} → ${b}`];
}

function list(field: string, a: readonly string[], b: readonly string[]): string[] {
  const added = b.filter((x) => !a.includes(x)).map((x) => `+${x}`);
  const removed = a.filter((x) => !b.includes(x)).map((x) => `-${x}`);
  return added.length || removed.length ? [`${field}: ${[...added, ...removed].join(' ')}`] : [];
}

function map(field: string, a: Record<string, string>, b: Record<string, string>): string[] {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(b)) if (a[k] !== v) parts.push(k in a ? `~${k}=${v}` : `+${k}=${v}`);
  for (const k of Object.keys(a)) if (!(k in b)) parts.push(`-${k}`);
  return parts.length ? [`${field}: ${parts.join(' ')}`] : [];
}

function taint(t: { key: string; value: string; effect: string }): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}

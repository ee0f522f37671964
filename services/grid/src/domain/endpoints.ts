/**
 * Per-unit endpoints of a ServiceGrid (SuperEdge's application-grid-wrapper rule, computed in the
 * cloud): for each unit, the ready pods the Service's selector picks that run on a node of that
 * unit. Never a pod on another unit's node — a unit without ready endpoints gets an empty list
 * (the agent answers 503, it does not fall back to another unit).
 *
 * Nodes excluded: verdict NotReadyNoExecute (evicted: its pods are being rescheduled) and Unknown
 * (never heard). A NotReadyNoSchedule node keeps its endpoints: SPEC F-HE-2 — the cloud lost it
 * but its peers vouch for it, "existing pods stay, endpoints stay". Pods without labels match no
 * selector. A node in two units serves both.
 */
import { nodeSelectorMatches } from './selectors.js';
import type { Endpoint, PodObservation, ServiceGrid, UnitEndpoints, UnitView } from './types.js';
import { serviceName } from './names.js';

export function unitEndpoints(
  grid: ServiceGrid,
  units: readonly UnitView[],
  pods: readonly PodObservation[],
): UnitEndpoints[] {
  const selector = grid.spec.template.selector ?? {};
  const service = serviceName(grid.metadata.name);
  const selectable = Object.keys(selector).length > 0;
  const byNode = new Map<string, PodObservation[]>();
  for (const p of pods) {
    if (!p.ready || p.failed || !p.node || !p.labels || !selectable) continue;
    if (!nodeSelectorMatches(selector, p.labels)) continue;
    const list = byNode.get(p.node);
    if (list) list.push(p);
    else byNode.set(p.node, [p]);
  }
  const seen = new Set<string>();
  const out: UnitEndpoints[] = [];
  for (const unit of [...units].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (seen.has(unit.name)) continue;
    seen.add(unit.name);
    const endpoints: Endpoint[] = [];
    for (const node of unit.nodes) {
      if (node.verdict === 'NotReadyNoExecute' || node.verdict === 'Unknown') continue;
      for (const p of byNode.get(node.name) ?? [])
        endpoints.push({ pod: p.pod, node: node.name, ...(p.ip ? { ip: p.ip } : {}) });
    }
    endpoints.sort((a, b) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
    out.push({ service, unit: unit.name, endpoints });
  }
  return out;
}

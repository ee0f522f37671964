/**
 * The benchmark's cluster layout, shared by the orchestrator and the publisher process: N nodes
 * split evenly into U NodeUnits (`unit-000`…), node i in unit floor(i / (N / U)), named
 * `u<unit>-n<index in unit>`.
 */
export function unitOf(i: number, nodes: number, units: number): number {
  return Math.min(units - 1, Math.floor(i / Math.ceil(nodes / units)));
}

export function unitName(u: number): string {
  return `unit-${String(u).padStart(3, '0')}`;
}

export function nodeName(i: number, nodes: number, units: number): string {
  const size = Math.ceil(nodes / units);
  return `u${String(unitOf(i, nodes, units)).padStart(3, '0')}-n${String(i % size).padStart(3, '0')}`;
}

/** For every node index, the indices of all members of its unit (itself included). */
export function unitMembers(nodes: number, units: number): number[][] {
  const byUnit: number[][] = Array.from({ length: units }, () => []);
  for (let i = 0; i < nodes; i++) byUnit[unitOf(i, nodes, units)]!.push(i);
  return Array.from({ length: nodes }, (_, i) => byUnit[unitOf(i, nodes, units)]!);
}

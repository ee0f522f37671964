/**
 * The grid domain: pure functions over ./types.ts — no database, no bus, no clock (time comes in
 * as an ISO-8601 argument), deterministic for equal input.
 */
import type { UnitView } from './types.js';

export * from './types.js';
export { parseGrid, parseGridYaml, GRID_LIMITS, DEFAULT_ROLLOUT, DEFAULT_TEMPLATE_NAME } from './parse.js';
export { childName, serviceName, shortenName, templateHash, CHILD_NAME_LIMIT } from './names.js';
export {
  templateNameFor,
  unitVariant,
  unusedTemplates,
  pruneUnusedTemplates,
  type UnitVariant,
} from './variants.js';
export {
  fanOut,
  render,
  renderGrid,
  podRequests,
  GRID_SELECTOR_LABEL,
  GRID_UNIQ_KEY_LABEL,
  TEMPLATE_HASH_LABEL,
  UNIT_LABEL,
  UNIT_MEMBER_VALUE,
} from './render.js';
export { place, effectiveTaints, unschedulableMessage } from './placement.js';
export {
  planRollout,
  startRollout,
  advanceRollout,
  pauseRollout,
  resumeRollout,
  undoRollout,
  unitRevision,
  rolloutProgress,
  resolveCount,
} from './rollout.js';
export { unitEndpoints } from './endpoints.js';
export { selectorMatches, unitMatches, tolerates } from './selectors.js';
export { parseQuantity, cpuMilli, memoryBytes } from './quantity.js';

/** A unit as fan-out, variants and wave planning need it. */
export type UnitRef = Pick<UnitView, 'name' | 'labels'>;

import type { NodeEvent } from './node.state.js';

/** One line of a node's events timeline (GetNode / `edgeplane node get`), read from its event stream. */
export interface TimelineEntry {
  at: string;
  type: NodeEvent['type'];
  message: string;
}

export function timelineEntry(event: NodeEvent): TimelineEntry {
  switch (event.type) {
    case 'NodeJoined':
      return {
        at: event.data.joinedAt,
        type: event.type,
        message: `joined (${event.data.source.kind === 'script' ? 'script' : `provider ${event.data.source.provider}`}; ${event.data.inventory.arch}, ${event.data.inventory.os})`,
      };
    case 'NodeCredentialIssued':
      return {
        at: event.data.issuedAt,
        type: event.type,
        message: `node certificate ${event.data.serial} issued, valid until ${event.data.notAfter}`,
      };
    case 'NodeLabelsChanged':
      return {
        at: event.data.changedAt,
        type: event.type,
        message: `labels ${describeLabels(event.data.set, event.data.removed)}`,
      };
    case 'NodeSystemLabelsChanged':
      return {
        at: event.data.changedAt,
        type: event.type,
        message: `${event.data.owner} labels ${describeLabels(event.data.set, event.data.removed)}`,
      };
    case 'NodeTaintsChanged':
      return {
        at: event.data.changedAt,
        type: event.type,
        message: `taints ${[...event.data.added.map((t) => `+${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`), ...event.data.removed.map((t) => `-${t.key}:${t.effect}`)].join(' ')}`,
      };
    case 'NodeSystemTaintsChanged':
      return {
        at: event.data.changedAt,
        type: event.type,
        message: `${event.data.owner} taints now [${event.data.taints.map((t) => `${t.key}:${t.effect}`).join(', ')}]`,
      };
    case 'NodeSystemAnnotationsChanged':
      return {
        at: event.data.changedAt,
        type: event.type,
        message: `${event.data.owner} annotations ${describeAnnotations(event.data.set, event.data.removed)}`,
      };
    case 'NodeCordoned':
      return {
        at: event.data.cordonedAt,
        type: event.type,
        message: `cordoned (${event.data.holder}): ${event.data.reason}`,
      };
    case 'NodeUncordoned':
      return {
        at: event.data.uncordonedAt,
        type: event.type,
        message:
          event.data.stillCordonedBy.length === 0
            ? `uncordoned (${event.data.holder}); schedulable`
            : `${event.data.holder} cordon lifted; still cordoned by ${event.data.stillCordonedBy.join(', ')}`,
      };
    case 'NodeDrainRequested':
      return {
        at: event.data.requestedAt,
        type: event.type,
        message: `drain requested (grace ${event.data.gracePeriodSeconds}s)`,
      };
    case 'NodeGpuDevicePluginChanged':
      return {
        at: event.data.changedAt,
        type: event.type,
        message: `nvidia-device-plugin ${event.data.enabled ? 'enabled' : 'disabled'}`,
      };
    case 'NodeRemoved':
      return {
        at: event.data.removedAt,
        type: event.type,
        message: `removed (${event.data.reason})${event.data.releaseMachine ? `; machine ${event.data.releaseMachine.machineId} to be released by ${event.data.releaseMachine.provider}` : ''}`,
      };
  }
}

/** Annotation values are free text (possibly long, multi-line): the timeline names keys only. */
function describeAnnotations(set: Record<string, string>, removed: string[]): string {
  return [...Object.keys(set).map((k) => `${k}=…`), ...removed.map((k) => `${k}-`)].join(' ');
}

function describeLabels(set: Record<string, string>, removed: string[]): string {
  return [...Object.entries(set).map(([k, v]) => `${k}=${v}`), ...removed.map((k) => `${k}-`)].join(' ');
}

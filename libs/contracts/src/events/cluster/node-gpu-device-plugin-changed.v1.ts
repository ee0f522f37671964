import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant } from './shared.js';

/**
 * NodeGpuDevicePluginChanged — the node's effective label `nvidia-device-enable=enable` appeared or
 * disappeared (F-NO-7); the addons service places or removes the nvidia-device-plugin on it.
 * Emitter: cluster service, Node aggregate, together with the label change that caused it.
 * Invariant: `enabled` differs from the previous effective state.
 */
export const NodeGpuDevicePluginChanged = defineEvent({
  type: 'NodeGpuDevicePluginChanged',
  version: 1,
  subject: 'edgeplane.cluster.node.gpu-device-plugin-changed',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    nodeName: z.string().min(1),
    enabled: z.boolean(),
    gpuModel: z.string().nullable(),
    changedAt: Instant,
  }),
});
export type NodeGpuDevicePluginChangedData = z.infer<typeof NodeGpuDevicePluginChanged.schema>;

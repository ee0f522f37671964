import { ClusterCreated, ClusterDeleted, NodeJoined, NodeRemoved } from '@edgeplane/contracts';

/**
 * The arbiter's domain-input durables (as declared; the service kit appends a side-by-side
 * instance's suffix, libs/messaging the environment). One per schema: every replica shares them,
 * each event is applied once to the shared read model and told to every replica (input-sync.ts).
 * The runtime measures their progress (catch-up.ts), the consumers declare them.
 */
export const CLUSTER_EVENTS_DURABLE = 'health-arbiter__cluster-events';
export const MEMBERSHIP_DURABLE = 'health-arbiter__membership';
export const SETTINGS_DURABLE = 'health-arbiter__settings';
export const CLUSTER_INPUTS = [ClusterCreated, ClusterDeleted, NodeJoined, NodeRemoved] as const;

import type { AccessTable } from '@edgeplane/service-kit';

/**
 * The role each method of the tunnel's operator API needs (docs/architecture.md, "Identity and
 * authorization"). A shell on a node (Relay) is cluster-admin's; exec into a pod edit's (as
 * Kubernetes' pods/exec); logs and the connection list are reads. (The agents' own Control and
 * Stream are on the gateway port, authenticated by their node certificates: docs/tunnel.md.)
 */
export const TUNNEL_ACCESS: AccessTable = {
  'edgeplane.tunnel.v1.RemoteAccessService/Relay': 'cluster-admin',
  'edgeplane.tunnel.v1.RemoteAccessService/PodLogs': 'view',
  'edgeplane.tunnel.v1.RemoteAccessService/PodExec': 'edit',
  'edgeplane.tunnel.v1.RemoteAccessService/ListConnections': 'view',
};

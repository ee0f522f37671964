import type { EdgeplaneClusterV1 } from '@edgeplane/proto';
import type { TokenView } from './join-token.views.js';

/** Join-token views → edgeplane.cluster.v1 messages. */
export function tokenMessage(t: TokenView): EdgeplaneClusterV1.JoinToken {
  return {
    id: t.tokenId,
    clusterId: t.clusterId,
    clusterName: t.clusterName,
    status: t.effectiveStatus,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt ?? '',
    containerDir: t.containerDir,
    hasPreInstallScript: t.hasPreInstallScript,
    hasPostInstallScript: t.hasPostInstallScript,
    redeemedBy: t.redeemedBy,
    ttlSeconds: t.ttlSeconds,
  };
}

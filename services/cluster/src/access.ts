import type { AccessTable } from '@edgeplane/service-kit';

/**
 * The role each method of the cluster service needs (docs/architecture.md, "Identity and
 * authorization"). Secret-bearing reads and credential issue/rotate/revoke are cluster-admin's;
 * VerifyCredential and RedeemJoinToken are for services (kube-api, the tunnel's join server);
 * ReportUsage is a node's, about its own cluster.
 */
export const CLUSTER_ACCESS: AccessTable = {
  'edgeplane.cluster.v1.ClusterService/CreateCluster': 'edit',
  'edgeplane.cluster.v1.ClusterService/GetCluster': 'view',
  'edgeplane.cluster.v1.ClusterService/ListClusters': 'view',
  'edgeplane.cluster.v1.ClusterService/DeleteCluster': 'edit',
  'edgeplane.cluster.v1.ClusterService/SetAccess': 'edit',
  'edgeplane.cluster.v1.ClusterService/SetTier': 'edit',
  'edgeplane.cluster.v1.ClusterService/SetRemoteLogin': 'edit',
  'edgeplane.cluster.v1.ClusterService/GetKubeconfig': 'cluster-admin',
  'edgeplane.cluster.v1.ClusterService/RotateKubeconfig': 'cluster-admin',
  'edgeplane.cluster.v1.ClusterService/VerifyCredential': 'service',
  'edgeplane.cluster.v1.ClusterService/IssueCredential': 'cluster-admin',
  'edgeplane.cluster.v1.ClusterService/ListCredentials': 'view',
  'edgeplane.cluster.v1.ClusterService/RevokeCredential': 'cluster-admin',
  'edgeplane.cluster.v1.ClusterService/ReportUsage': 'node',
  'edgeplane.cluster.v1.JoinTokenService/CreateJoinToken': 'edit',
  'edgeplane.cluster.v1.JoinTokenService/ListJoinTokens': 'view',
  'edgeplane.cluster.v1.JoinTokenService/RevokeJoinToken': 'edit',
  'edgeplane.cluster.v1.JoinTokenService/RedeemJoinToken': 'service',
  'edgeplane.cluster.v1.NodeService/ListNodes': 'view',
  'edgeplane.cluster.v1.NodeService/GetNode': 'view',
  'edgeplane.cluster.v1.NodeService/LabelNode': 'edit',
  'edgeplane.cluster.v1.NodeService/TaintNode': 'edit',
  'edgeplane.cluster.v1.NodeService/CordonNode': 'edit',
  'edgeplane.cluster.v1.NodeService/UncordonNode': 'edit',
  'edgeplane.cluster.v1.NodeService/DrainNode': 'edit',
  'edgeplane.cluster.v1.NodeService/RemoveNode': 'edit',
};

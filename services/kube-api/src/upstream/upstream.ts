import * as grpc from '@grpc/grpc-js';
import { grpcClientCredentials } from '@edgeplane/service-kit';
import { upstreamMetadata } from '../auth/caller-context.js';
import {
  fieldViolationsOf,
  loadPackage,
  protoFilesOf,
  type EdgeplaneClusterV1,
  type EdgeplaneClusterV1ClusterProto,
  type EdgeplaneGridV1,
  type EdgeplaneGridV1GridProto,
  type EdgeplaneHealthV1,
  type EdgeplaneHealthV1HealthProto,
  type EdgeplaneNodepoolV1,
  type EdgeplaneNodepoolV1NodepoolProto,
  type FieldViolation,
} from '@edgeplane/proto';

const CALL_TIMEOUT_MS = 15_000;

/** A gRPC failure of an owning service, kept whole so the HTTP side can map it to a Status. */
export class UpstreamError extends Error {
  constructor(
    readonly code: grpc.status,
    readonly details: string,
    readonly violations: FieldViolation[],
  ) {
    super(details);
  }
}

type Callback<Res> = (err: grpc.ServiceError | null, res?: Res) => void;
type UnaryMethod<Req, Res> = (
  req: Req,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  cb: Callback<Res>,
) => grpc.ClientUnaryCall;

function unary<Req, Res>(client: grpc.Client, method: UnaryMethod<Req, Res>, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    // on behalf of the request's user, when there is one (auth/caller-context.ts)
    method.call(client, req, upstreamMetadata(), { deadline: Date.now() + CALL_TIMEOUT_MS }, (err, res) => {
      if (err || !res) {
        const e = err ?? ({ code: grpc.status.INTERNAL, details: 'empty response' } as grpc.ServiceError);
        reject(new UpstreamError(e.code, e.details || e.message, fieldViolationsOf(e)));
      } else resolve(res);
    });
  });
}

/**
 * The owning services, through their generated clients. Every write the API takes becomes one of
 * these calls, so rules, events and errors are the owner's, exactly as through the CLI.
 */
export class Upstream {
  private readonly clusters: EdgeplaneClusterV1.ClusterServiceClient;
  private readonly nodes: EdgeplaneClusterV1.NodeServiceClient;
  private readonly joinTokens: EdgeplaneClusterV1.JoinTokenServiceClient;
  private readonly units: EdgeplaneNodepoolV1.NodeUnitServiceClient;
  private readonly groups: EdgeplaneNodepoolV1.NodeGroupServiceClient;
  private readonly kins: EdgeplaneNodepoolV1.KinsServiceClient;
  private readonly grids: EdgeplaneGridV1.GridServiceClient;
  private readonly health: EdgeplaneHealthV1.HealthServiceClient;

  constructor(clusterAddr: string, nodepoolAddr: string, gridAddr: string, healthAddr = '127.0.0.1:50054') {
    const credentials = grpcClientCredentials(); // this service's platform certificate
    const c = loadPackage<EdgeplaneClusterV1ClusterProto>(protoFilesOf('cluster')).grpcObject.edgeplane
      .cluster.v1;
    const n = loadPackage<EdgeplaneNodepoolV1NodepoolProto>(protoFilesOf('nodepool')).grpcObject.edgeplane
      .nodepool.v1;
    this.clusters = new c.ClusterService(clusterAddr, credentials);
    this.nodes = new c.NodeService(clusterAddr, credentials);
    this.joinTokens = new c.JoinTokenService(clusterAddr, credentials);
    this.units = new n.NodeUnitService(nodepoolAddr, credentials);
    this.groups = new n.NodeGroupService(nodepoolAddr, credentials);
    this.kins = new n.KinsService(nodepoolAddr, credentials);
    const g = loadPackage<EdgeplaneGridV1GridProto>(protoFilesOf('grid')).grpcObject.edgeplane.grid.v1;
    this.grids = new g.GridService(gridAddr, credentials);
    const h = loadPackage<EdgeplaneHealthV1HealthProto>(protoFilesOf('health')).grpcObject.edgeplane.health
      .v1;
    this.health = new h.HealthService(healthAddr, credentials);
  }

  getCluster(id: string) {
    return unary(
      this.clusters,
      this.clusters.GetCluster as UnaryMethod<
        EdgeplaneClusterV1.GetClusterRequest,
        EdgeplaneClusterV1.Cluster__Output
      >,
      { cluster: { id } },
    );
  }
  // the management API (management/clusters-api.ts): clusters, their kubeconfig, join tokens
  listClusters(req: EdgeplaneClusterV1.ListClustersRequest) {
    return unary(
      this.clusters,
      this.clusters.ListClusters as UnaryMethod<typeof req, EdgeplaneClusterV1.ListClustersResponse__Output>,
      req,
    );
  }
  createCluster(req: EdgeplaneClusterV1.CreateClusterRequest) {
    return unary(
      this.clusters,
      this.clusters.CreateCluster as UnaryMethod<typeof req, EdgeplaneClusterV1.Cluster__Output>,
      req,
    );
  }
  deleteCluster(req: EdgeplaneClusterV1.DeleteClusterRequest) {
    return unary(
      this.clusters,
      this.clusters.DeleteCluster as UnaryMethod<
        typeof req,
        EdgeplaneClusterV1.DeleteClusterResponse__Output
      >,
      req,
    );
  }
  setAccess(req: EdgeplaneClusterV1.SetAccessRequest) {
    return unary(
      this.clusters,
      this.clusters.SetAccess as UnaryMethod<typeof req, EdgeplaneClusterV1.Cluster__Output>,
      req,
    );
  }
  setTier(req: EdgeplaneClusterV1.SetTierRequest) {
    return unary(
      this.clusters,
      this.clusters.SetTier as UnaryMethod<typeof req, EdgeplaneClusterV1.Cluster__Output>,
      req,
    );
  }
  setRemoteLogin(req: EdgeplaneClusterV1.SetRemoteLoginRequest) {
    return unary(
      this.clusters,
      this.clusters.SetRemoteLogin as UnaryMethod<typeof req, EdgeplaneClusterV1.Cluster__Output>,
      req,
    );
  }
  getKubeconfig(req: EdgeplaneClusterV1.GetKubeconfigRequest) {
    return unary(
      this.clusters,
      this.clusters.GetKubeconfig as UnaryMethod<typeof req, EdgeplaneClusterV1.Kubeconfig__Output>,
      req,
    );
  }
  createJoinToken(req: EdgeplaneClusterV1.CreateJoinTokenRequest) {
    return unary(
      this.joinTokens,
      this.joinTokens.CreateJoinToken as UnaryMethod<
        typeof req,
        EdgeplaneClusterV1.CreateJoinTokenResponse__Output
      >,
      req,
    );
  }
  verifyCredential(req: EdgeplaneClusterV1.VerifyCredentialRequest) {
    return unary(
      this.clusters,
      this.clusters.VerifyCredential as UnaryMethod<
        typeof req,
        EdgeplaneClusterV1.VerifyCredentialResponse__Output
      >,
      req,
    );
  }
  listNodes(req: EdgeplaneClusterV1.ListNodesRequest) {
    return unary(
      this.nodes,
      this.nodes.ListNodes as UnaryMethod<typeof req, EdgeplaneClusterV1.ListNodesResponse__Output>,
      req,
    );
  }
  getNode(req: EdgeplaneClusterV1.GetNodeRequest) {
    return unary(
      this.nodes,
      this.nodes.GetNode as UnaryMethod<typeof req, EdgeplaneClusterV1.NodeDetail__Output>,
      req,
    );
  }
  labelNode(req: EdgeplaneClusterV1.LabelNodeRequest) {
    return unary(
      this.nodes,
      this.nodes.LabelNode as UnaryMethod<typeof req, EdgeplaneClusterV1.Node__Output>,
      req,
    );
  }
  taintNode(req: EdgeplaneClusterV1.TaintNodeRequest) {
    return unary(
      this.nodes,
      this.nodes.TaintNode as UnaryMethod<typeof req, EdgeplaneClusterV1.Node__Output>,
      req,
    );
  }
  cordonNode(req: EdgeplaneClusterV1.CordonNodeRequest) {
    return unary(
      this.nodes,
      this.nodes.CordonNode as UnaryMethod<typeof req, EdgeplaneClusterV1.Node__Output>,
      req,
    );
  }
  drainNode(req: EdgeplaneClusterV1.DrainNodeRequest) {
    return unary(
      this.nodes,
      this.nodes.DrainNode as UnaryMethod<typeof req, EdgeplaneClusterV1.Node__Output>,
      req,
    );
  }
  uncordonNode(req: EdgeplaneClusterV1.UncordonNodeRequest) {
    return unary(
      this.nodes,
      this.nodes.UncordonNode as UnaryMethod<typeof req, EdgeplaneClusterV1.Node__Output>,
      req,
    );
  }

  listUnits(req: EdgeplaneNodepoolV1.ListNodeUnitsRequest) {
    return unary(
      this.units,
      this.units.ListNodeUnits as UnaryMethod<typeof req, EdgeplaneNodepoolV1.ListNodeUnitsResponse__Output>,
      req,
    );
  }
  getUnit(req: EdgeplaneNodepoolV1.GetNodeUnitRequest) {
    return unary(
      this.units,
      this.units.GetNodeUnit as UnaryMethod<typeof req, EdgeplaneNodepoolV1.NodeUnit__Output>,
      req,
    );
  }
  createUnit(req: EdgeplaneNodepoolV1.CreateNodeUnitRequest) {
    return unary(
      this.units,
      this.units.CreateNodeUnit as UnaryMethod<typeof req, EdgeplaneNodepoolV1.NodeUnit__Output>,
      req,
    );
  }
  updateUnit(req: EdgeplaneNodepoolV1.UpdateNodeUnitRequest) {
    return unary(
      this.units,
      this.units.UpdateNodeUnit as UnaryMethod<typeof req, EdgeplaneNodepoolV1.NodeUnit__Output>,
      req,
    );
  }
  deleteUnit(req: EdgeplaneNodepoolV1.DeleteNodeUnitRequest) {
    return unary(
      this.units,
      this.units.DeleteNodeUnit as UnaryMethod<
        typeof req,
        EdgeplaneNodepoolV1.DeleteNodeUnitResponse__Output
      >,
      req,
    );
  }
  listGroups(req: EdgeplaneNodepoolV1.ListNodeGroupsRequest) {
    return unary(
      this.groups,
      this.groups.ListNodeGroups as UnaryMethod<
        typeof req,
        EdgeplaneNodepoolV1.ListNodeGroupsResponse__Output
      >,
      req,
    );
  }
  getGroup(req: EdgeplaneNodepoolV1.GetNodeGroupRequest) {
    return unary(
      this.groups,
      this.groups.GetNodeGroup as UnaryMethod<typeof req, EdgeplaneNodepoolV1.NodeGroup__Output>,
      req,
    );
  }
  createGroup(req: EdgeplaneNodepoolV1.CreateNodeGroupRequest) {
    return unary(
      this.groups,
      this.groups.CreateNodeGroup as UnaryMethod<typeof req, EdgeplaneNodepoolV1.NodeGroup__Output>,
      req,
    );
  }
  updateGroup(req: EdgeplaneNodepoolV1.UpdateNodeGroupRequest) {
    return unary(
      this.groups,
      this.groups.UpdateNodeGroup as UnaryMethod<typeof req, EdgeplaneNodepoolV1.NodeGroup__Output>,
      req,
    );
  }
  deleteGroup(req: EdgeplaneNodepoolV1.DeleteNodeGroupRequest) {
    return unary(
      this.groups,
      this.groups.DeleteNodeGroup as UnaryMethod<
        typeof req,
        EdgeplaneNodepoolV1.DeleteNodeGroupResponse__Output
      >,
      req,
    );
  }

  // Kins (resources/site-superedge.ts: nodeunits/<name>/kins)
  getKins(req: EdgeplaneNodepoolV1.GetKinsRequest) {
    return unary(
      this.kins,
      this.kins.GetKins as UnaryMethod<typeof req, EdgeplaneNodepoolV1.Kins__Output>,
      req,
    );
  }
  promote(req: EdgeplaneNodepoolV1.PromoteRequest) {
    return unary(
      this.kins,
      this.kins.Promote as UnaryMethod<typeof req, EdgeplaneNodepoolV1.Kins__Output>,
      req,
    );
  }
  demote(req: EdgeplaneNodepoolV1.DemoteRequest) {
    return unary(
      this.kins,
      this.kins.Demote as UnaryMethod<typeof req, EdgeplaneNodepoolV1.Kins__Output>,
      req,
    );
  }

  applyGrid(req: EdgeplaneGridV1.ApplyGridRequest) {
    return unary(
      this.grids,
      this.grids.Apply as UnaryMethod<typeof req, EdgeplaneGridV1.ApplyGridResponse__Output>,
      req,
    );
  }
  getGrid(req: EdgeplaneGridV1.GetGridRequest) {
    return unary(
      this.grids,
      this.grids.GetGrid as UnaryMethod<typeof req, EdgeplaneGridV1.Grid__Output>,
      req,
    );
  }
  listGrids(req: EdgeplaneGridV1.ListGridsRequest) {
    return unary(
      this.grids,
      this.grids.ListGrids as UnaryMethod<typeof req, EdgeplaneGridV1.ListGridsResponse__Output>,
      req,
    );
  }
  deleteGrid(req: EdgeplaneGridV1.DeleteGridRequest) {
    return unary(
      this.grids,
      this.grids.DeleteGrid as UnaryMethod<typeof req, EdgeplaneGridV1.DeleteGridResponse__Output>,
      req,
    );
  }
  /** RolloutStatus, Pause, Resume or Undo of a grid's staged rollout */
  rollout(action: 'status' | 'pause' | 'resume' | 'undo', req: EdgeplaneGridV1.RolloutRequest) {
    const method = {
      status: this.grids.RolloutStatus,
      pause: this.grids.Pause,
      resume: this.grids.Resume,
      undo: this.grids.Undo,
    }[action];
    return unary(this.grids, method as UnaryMethod<typeof req, EdgeplaneGridV1.Rollout__Output>, req);
  }
  listPods(req: EdgeplaneGridV1.ListPodsRequest) {
    return unary(
      this.grids,
      this.grids.ListPods as UnaryMethod<typeof req, EdgeplaneGridV1.ListPodsResponse__Output>,
      req,
    );
  }
  getPod(req: EdgeplaneGridV1.GetPodRequest) {
    return unary(this.grids, this.grids.GetPod as UnaryMethod<typeof req, EdgeplaneGridV1.Pod__Output>, req);
  }

  // the health arbiter's read paths (resources/node-healths.ts)
  listVerdicts(req: EdgeplaneHealthV1.ListVerdictsRequest) {
    return unary(
      this.health,
      this.health.ListVerdicts as UnaryMethod<typeof req, EdgeplaneHealthV1.ListVerdictsResponse__Output>,
      req,
    );
  }
  explainNode(req: EdgeplaneHealthV1.ExplainNodeRequest) {
    return unary(
      this.health,
      this.health.ExplainNode as UnaryMethod<typeof req, EdgeplaneHealthV1.NodeExplanation__Output>,
      req,
    );
  }

  close(): void {
    const clients = [
      this.clusters,
      this.nodes,
      this.joinTokens,
      this.units,
      this.groups,
      this.kins,
      this.grids,
    ];
    for (const c of [...clients, this.health]) c.close();
  }
}

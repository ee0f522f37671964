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
  private readonly units: EdgeplaneNodepoolV1.NodeUnitServiceClient;
  private readonly groups: EdgeplaneNodepoolV1.NodeGroupServiceClient;
  private readonly grids: EdgeplaneGridV1.GridServiceClient;

  constructor(clusterAddr: string, nodepoolAddr: string, gridAddr: string) {
    const credentials = grpcClientCredentials(); // this service's platform certificate
    const c = loadPackage<EdgeplaneClusterV1ClusterProto>(protoFilesOf('cluster')).grpcObject.edgeplane
      .cluster.v1;
    const n = loadPackage<EdgeplaneNodepoolV1NodepoolProto>(protoFilesOf('nodepool')).grpcObject.edgeplane
      .nodepool.v1;
    this.clusters = new c.ClusterService(clusterAddr, credentials);
    this.nodes = new c.NodeService(clusterAddr, credentials);
    this.units = new n.NodeUnitService(nodepoolAddr, credentials);
    this.groups = new n.NodeGroupService(nodepoolAddr, credentials);
    const g = loadPackage<EdgeplaneGridV1GridProto>(protoFilesOf('grid')).grpcObject.edgeplane.grid.v1;
    this.grids = new g.GridService(gridAddr, credentials);
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

  close(): void {
    for (const c of [this.clusters, this.nodes, this.units, this.groups, this.grids]) c.close();
  }
}

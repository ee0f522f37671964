import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { pageRequest, parseRequest } from '@edgeplane/service-kit';
import { z } from 'zod';
import {
  clusterMessage,
  ClusterRefMessage,
  kubeconfigMessage,
  userCredentialMessage,
} from './cluster.grpc.mapping.js';
import { ClusterHandler } from './cluster.handler.js';

// Shapes as proto-loader delivers them (camelCase, proto3 defaults); the deciders check the rules.
const WithCluster = z.object({ cluster: ClusterRefMessage });
const CreateClusterRequest = z.object({
  name: z.string(),
  kubernetesVersion: z.string().min(1, 'is required'),
  runtime: z.string().min(1, 'is required'),
  region: z.string().min(1, 'is required'),
  description: z.string().default(''),
  kubeProxyMode: z.string().default(''),
  vpcId: z.string().default(''),
  vpcCidr: z.string().min(1, 'is required'),
  podCidr: z.string().min(1, 'is required'),
  serviceCidr: z.string().min(1, 'is required'),
  nodeCidrs: z.array(z.string()).default([]),
  tier: z.string().default(''),
  autoUpgrade: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});
const SetAccessRequest = WithCluster.extend({
  publicAccess: z.boolean().optional(),
  privateAccess: z.boolean().optional(),
  privateSubnetId: z.string().default(''),
});
const SetTierRequest = WithCluster.extend({
  tier: z.string().default(''),
  autoUpgrade: z.boolean().optional(),
});
const SetRemoteLoginRequest = WithCluster.extend({ enabled: z.boolean().default(false) });
const ListClustersRequest = z.object({
  region: z.string().default(''),
  pageSize: z.number().int().default(0),
  pageToken: z.string().default(''),
});
const VerifyCredentialRequest = WithCluster.extend({
  certificatePem: z.string().max(16_384, 'a client certificate is at most 16 KiB'),
  targetNode: z.string().max(253).default(''),
  credentialFingerprint: z.string().max(128).default(''),
});
const IssueCredentialRequest = WithCluster.extend({
  user: z.string().max(256),
  role: z.string().max(64),
  ttlSeconds: z.number().int().default(0),
});
const RevokeCredentialRequest = WithCluster.extend({
  serial: z.string().max(128).default(''),
  user: z.string().max(256).default(''),
});
const ReportUsageRequest = WithCluster.extend({
  pods: z.number().int().min(0, 'must be ≥ 0'),
  configMaps: z.number().int().min(0, 'must be ≥ 0'),
  crds: z.number().int().min(0, 'must be ≥ 0'),
});

/** edgeplane.cluster.v1.ClusterService: maps proto ↔ the cluster handler, nothing else. */
@Controller()
export class ClusterGrpcController {
  constructor(@Inject(ClusterHandler) private readonly clusters: ClusterHandler) {}

  @GrpcMethod('ClusterService', 'CreateCluster')
  async createCluster(request: unknown) {
    const { dryRun, ...req } = parseRequest(CreateClusterRequest, request);
    return clusterMessage(await this.clusters.create({ ...req, vpcId: req.vpcId || null }, { dryRun }));
  }

  @GrpcMethod('ClusterService', 'GetCluster')
  async getCluster(request: unknown) {
    return clusterMessage(await this.clusters.get(parseRequest(WithCluster, request).cluster));
  }

  @GrpcMethod('ClusterService', 'ListClusters')
  async listClusters(request: unknown) {
    const req = parseRequest(ListClustersRequest, request);
    const page = pageRequest(req, { list: 'clusters', region: req.region });
    const { items, nextPageToken } = await this.clusters.list(req.region || undefined, page);
    return { clusters: items.map(clusterMessage), nextPageToken };
  }

  @GrpcMethod('ClusterService', 'DeleteCluster')
  async deleteCluster(request: unknown) {
    const result = await this.clusters.delete(parseRequest(WithCluster, request).cluster);
    return {
      clusterId: result.clusterId,
      revokedNodeIdentities: result.nodeNames,
      revokedAdminSerial: result.revokedAdminSerial,
    };
  }

  @GrpcMethod('ClusterService', 'SetAccess')
  async setAccess(request: unknown) {
    const req = parseRequest(SetAccessRequest, request);
    const privateAccess =
      req.privateAccess !== undefined
        ? { enabled: req.privateAccess, subnetId: req.privateSubnetId || undefined }
        : undefined;
    return clusterMessage(
      await this.clusters.setAccess(req.cluster, { publicAccess: req.publicAccess, privateAccess }),
    );
  }

  @GrpcMethod('ClusterService', 'SetTier')
  async setTier(request: unknown) {
    const req = parseRequest(SetTierRequest, request);
    return clusterMessage(await this.clusters.setTier(req.cluster, req.tier || undefined, req.autoUpgrade));
  }

  @GrpcMethod('ClusterService', 'SetRemoteLogin')
  async setRemoteLogin(request: unknown) {
    const req = parseRequest(SetRemoteLoginRequest, request);
    return clusterMessage(await this.clusters.setRemoteLogin(req.cluster, req.enabled));
  }

  @GrpcMethod('ClusterService', 'ReportUsage')
  async reportUsage(request: unknown) {
    const req = parseRequest(ReportUsageRequest, request);
    return clusterMessage(await this.clusters.reportUsage(req.cluster, req));
  }

  @GrpcMethod('ClusterService', 'GetKubeconfig')
  async getKubeconfig(request: unknown) {
    return kubeconfigMessage(await this.clusters.kubeconfig(parseRequest(WithCluster, request).cluster));
  }

  @GrpcMethod('ClusterService', 'RotateKubeconfig')
  async rotateKubeconfig(request: unknown) {
    return kubeconfigMessage(
      await this.clusters.rotateKubeconfig(parseRequest(WithCluster, request).cluster),
    );
  }

  @GrpcMethod('ClusterService', 'VerifyCredential')
  async verifyCredential(request: unknown) {
    const req = parseRequest(VerifyCredentialRequest, request);
    if (req.credentialFingerprint && !req.certificatePem)
      return this.clusters.verifyFingerprint(req.cluster, req.credentialFingerprint);
    return this.clusters.verifyCredential(req.cluster, req.certificatePem, req.targetNode || undefined);
  }

  @GrpcMethod('ClusterService', 'IssueCredential')
  async issueCredential(request: unknown) {
    const req = parseRequest(IssueCredentialRequest, request);
    return kubeconfigMessage(await this.clusters.issueCredential(req.cluster, req));
  }

  @GrpcMethod('ClusterService', 'ListCredentials')
  async listCredentials(request: unknown) {
    const r = await this.clusters.listCredentials(parseRequest(WithCluster, request).cluster);
    return { credentials: r.credentials.map(userCredentialMessage), adminSerial: r.adminSerial };
  }

  @GrpcMethod('ClusterService', 'RevokeCredential')
  async revokeCredential(request: unknown) {
    const req = parseRequest(RevokeCredentialRequest, request);
    const revoked = await this.clusters.revokeCredential(req.cluster, {
      serial: req.serial || undefined,
      user: req.user || undefined,
    });
    return { revoked: revoked.map(userCredentialMessage) };
  }
}

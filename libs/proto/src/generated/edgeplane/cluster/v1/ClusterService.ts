// Original file: edgeplane/cluster/v1/cluster.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Cluster as _edgeplane_cluster_v1_Cluster, Cluster__Output as _edgeplane_cluster_v1_Cluster__Output } from '../../../edgeplane/cluster/v1/Cluster.js';
import type { CreateClusterRequest as _edgeplane_cluster_v1_CreateClusterRequest, CreateClusterRequest__Output as _edgeplane_cluster_v1_CreateClusterRequest__Output } from '../../../edgeplane/cluster/v1/CreateClusterRequest.js';
import type { DeleteClusterRequest as _edgeplane_cluster_v1_DeleteClusterRequest, DeleteClusterRequest__Output as _edgeplane_cluster_v1_DeleteClusterRequest__Output } from '../../../edgeplane/cluster/v1/DeleteClusterRequest.js';
import type { DeleteClusterResponse as _edgeplane_cluster_v1_DeleteClusterResponse, DeleteClusterResponse__Output as _edgeplane_cluster_v1_DeleteClusterResponse__Output } from '../../../edgeplane/cluster/v1/DeleteClusterResponse.js';
import type { GetClusterRequest as _edgeplane_cluster_v1_GetClusterRequest, GetClusterRequest__Output as _edgeplane_cluster_v1_GetClusterRequest__Output } from '../../../edgeplane/cluster/v1/GetClusterRequest.js';
import type { GetKubeconfigRequest as _edgeplane_cluster_v1_GetKubeconfigRequest, GetKubeconfigRequest__Output as _edgeplane_cluster_v1_GetKubeconfigRequest__Output } from '../../../edgeplane/cluster/v1/GetKubeconfigRequest.js';
import type { IssueCredentialRequest as _edgeplane_cluster_v1_IssueCredentialRequest, IssueCredentialRequest__Output as _edgeplane_cluster_v1_IssueCredentialRequest__Output } from '../../../edgeplane/cluster/v1/IssueCredentialRequest.js';
import type { Kubeconfig as _edgeplane_cluster_v1_Kubeconfig, Kubeconfig__Output as _edgeplane_cluster_v1_Kubeconfig__Output } from '../../../edgeplane/cluster/v1/Kubeconfig.js';
import type { ListClustersRequest as _edgeplane_cluster_v1_ListClustersRequest, ListClustersRequest__Output as _edgeplane_cluster_v1_ListClustersRequest__Output } from '../../../edgeplane/cluster/v1/ListClustersRequest.js';
import type { ListClustersResponse as _edgeplane_cluster_v1_ListClustersResponse, ListClustersResponse__Output as _edgeplane_cluster_v1_ListClustersResponse__Output } from '../../../edgeplane/cluster/v1/ListClustersResponse.js';
import type { ListCredentialsRequest as _edgeplane_cluster_v1_ListCredentialsRequest, ListCredentialsRequest__Output as _edgeplane_cluster_v1_ListCredentialsRequest__Output } from '../../../edgeplane/cluster/v1/ListCredentialsRequest.js';
import type { ListCredentialsResponse as _edgeplane_cluster_v1_ListCredentialsResponse, ListCredentialsResponse__Output as _edgeplane_cluster_v1_ListCredentialsResponse__Output } from '../../../edgeplane/cluster/v1/ListCredentialsResponse.js';
import type { ReportUsageRequest as _edgeplane_cluster_v1_ReportUsageRequest, ReportUsageRequest__Output as _edgeplane_cluster_v1_ReportUsageRequest__Output } from '../../../edgeplane/cluster/v1/ReportUsageRequest.js';
import type { RevokeCredentialRequest as _edgeplane_cluster_v1_RevokeCredentialRequest, RevokeCredentialRequest__Output as _edgeplane_cluster_v1_RevokeCredentialRequest__Output } from '../../../edgeplane/cluster/v1/RevokeCredentialRequest.js';
import type { RevokeCredentialResponse as _edgeplane_cluster_v1_RevokeCredentialResponse, RevokeCredentialResponse__Output as _edgeplane_cluster_v1_RevokeCredentialResponse__Output } from '../../../edgeplane/cluster/v1/RevokeCredentialResponse.js';
import type { RotateKubeconfigRequest as _edgeplane_cluster_v1_RotateKubeconfigRequest, RotateKubeconfigRequest__Output as _edgeplane_cluster_v1_RotateKubeconfigRequest__Output } from '../../../edgeplane/cluster/v1/RotateKubeconfigRequest.js';
import type { SetAccessRequest as _edgeplane_cluster_v1_SetAccessRequest, SetAccessRequest__Output as _edgeplane_cluster_v1_SetAccessRequest__Output } from '../../../edgeplane/cluster/v1/SetAccessRequest.js';
import type { SetRemoteLoginRequest as _edgeplane_cluster_v1_SetRemoteLoginRequest, SetRemoteLoginRequest__Output as _edgeplane_cluster_v1_SetRemoteLoginRequest__Output } from '../../../edgeplane/cluster/v1/SetRemoteLoginRequest.js';
import type { SetTierRequest as _edgeplane_cluster_v1_SetTierRequest, SetTierRequest__Output as _edgeplane_cluster_v1_SetTierRequest__Output } from '../../../edgeplane/cluster/v1/SetTierRequest.js';
import type { VerifyCredentialRequest as _edgeplane_cluster_v1_VerifyCredentialRequest, VerifyCredentialRequest__Output as _edgeplane_cluster_v1_VerifyCredentialRequest__Output } from '../../../edgeplane/cluster/v1/VerifyCredentialRequest.js';
import type { VerifyCredentialResponse as _edgeplane_cluster_v1_VerifyCredentialResponse, VerifyCredentialResponse__Output as _edgeplane_cluster_v1_VerifyCredentialResponse__Output } from '../../../edgeplane/cluster/v1/VerifyCredentialResponse.js';

export interface ClusterServiceClient extends grpc.Client {
  CreateCluster(argument: _edgeplane_cluster_v1_CreateClusterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  CreateCluster(argument: _edgeplane_cluster_v1_CreateClusterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  CreateCluster(argument: _edgeplane_cluster_v1_CreateClusterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  CreateCluster(argument: _edgeplane_cluster_v1_CreateClusterRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  createCluster(argument: _edgeplane_cluster_v1_CreateClusterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  createCluster(argument: _edgeplane_cluster_v1_CreateClusterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  createCluster(argument: _edgeplane_cluster_v1_CreateClusterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  createCluster(argument: _edgeplane_cluster_v1_CreateClusterRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  
  DeleteCluster(argument: _edgeplane_cluster_v1_DeleteClusterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_DeleteClusterResponse__Output>): grpc.ClientUnaryCall;
  DeleteCluster(argument: _edgeplane_cluster_v1_DeleteClusterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_DeleteClusterResponse__Output>): grpc.ClientUnaryCall;
  DeleteCluster(argument: _edgeplane_cluster_v1_DeleteClusterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_DeleteClusterResponse__Output>): grpc.ClientUnaryCall;
  DeleteCluster(argument: _edgeplane_cluster_v1_DeleteClusterRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_DeleteClusterResponse__Output>): grpc.ClientUnaryCall;
  deleteCluster(argument: _edgeplane_cluster_v1_DeleteClusterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_DeleteClusterResponse__Output>): grpc.ClientUnaryCall;
  deleteCluster(argument: _edgeplane_cluster_v1_DeleteClusterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_DeleteClusterResponse__Output>): grpc.ClientUnaryCall;
  deleteCluster(argument: _edgeplane_cluster_v1_DeleteClusterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_DeleteClusterResponse__Output>): grpc.ClientUnaryCall;
  deleteCluster(argument: _edgeplane_cluster_v1_DeleteClusterRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_DeleteClusterResponse__Output>): grpc.ClientUnaryCall;
  
  GetCluster(argument: _edgeplane_cluster_v1_GetClusterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  GetCluster(argument: _edgeplane_cluster_v1_GetClusterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  GetCluster(argument: _edgeplane_cluster_v1_GetClusterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  GetCluster(argument: _edgeplane_cluster_v1_GetClusterRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  getCluster(argument: _edgeplane_cluster_v1_GetClusterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  getCluster(argument: _edgeplane_cluster_v1_GetClusterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  getCluster(argument: _edgeplane_cluster_v1_GetClusterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  getCluster(argument: _edgeplane_cluster_v1_GetClusterRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  
  GetKubeconfig(argument: _edgeplane_cluster_v1_GetKubeconfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  GetKubeconfig(argument: _edgeplane_cluster_v1_GetKubeconfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  GetKubeconfig(argument: _edgeplane_cluster_v1_GetKubeconfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  GetKubeconfig(argument: _edgeplane_cluster_v1_GetKubeconfigRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  getKubeconfig(argument: _edgeplane_cluster_v1_GetKubeconfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  getKubeconfig(argument: _edgeplane_cluster_v1_GetKubeconfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  getKubeconfig(argument: _edgeplane_cluster_v1_GetKubeconfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  getKubeconfig(argument: _edgeplane_cluster_v1_GetKubeconfigRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  
  IssueCredential(argument: _edgeplane_cluster_v1_IssueCredentialRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  IssueCredential(argument: _edgeplane_cluster_v1_IssueCredentialRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  IssueCredential(argument: _edgeplane_cluster_v1_IssueCredentialRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  IssueCredential(argument: _edgeplane_cluster_v1_IssueCredentialRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  issueCredential(argument: _edgeplane_cluster_v1_IssueCredentialRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  issueCredential(argument: _edgeplane_cluster_v1_IssueCredentialRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  issueCredential(argument: _edgeplane_cluster_v1_IssueCredentialRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  issueCredential(argument: _edgeplane_cluster_v1_IssueCredentialRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  
  ListClusters(argument: _edgeplane_cluster_v1_ListClustersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListClustersResponse__Output>): grpc.ClientUnaryCall;
  ListClusters(argument: _edgeplane_cluster_v1_ListClustersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListClustersResponse__Output>): grpc.ClientUnaryCall;
  ListClusters(argument: _edgeplane_cluster_v1_ListClustersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListClustersResponse__Output>): grpc.ClientUnaryCall;
  ListClusters(argument: _edgeplane_cluster_v1_ListClustersRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListClustersResponse__Output>): grpc.ClientUnaryCall;
  listClusters(argument: _edgeplane_cluster_v1_ListClustersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListClustersResponse__Output>): grpc.ClientUnaryCall;
  listClusters(argument: _edgeplane_cluster_v1_ListClustersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListClustersResponse__Output>): grpc.ClientUnaryCall;
  listClusters(argument: _edgeplane_cluster_v1_ListClustersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListClustersResponse__Output>): grpc.ClientUnaryCall;
  listClusters(argument: _edgeplane_cluster_v1_ListClustersRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListClustersResponse__Output>): grpc.ClientUnaryCall;
  
  ListCredentials(argument: _edgeplane_cluster_v1_ListCredentialsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListCredentialsResponse__Output>): grpc.ClientUnaryCall;
  ListCredentials(argument: _edgeplane_cluster_v1_ListCredentialsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListCredentialsResponse__Output>): grpc.ClientUnaryCall;
  ListCredentials(argument: _edgeplane_cluster_v1_ListCredentialsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListCredentialsResponse__Output>): grpc.ClientUnaryCall;
  ListCredentials(argument: _edgeplane_cluster_v1_ListCredentialsRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListCredentialsResponse__Output>): grpc.ClientUnaryCall;
  listCredentials(argument: _edgeplane_cluster_v1_ListCredentialsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListCredentialsResponse__Output>): grpc.ClientUnaryCall;
  listCredentials(argument: _edgeplane_cluster_v1_ListCredentialsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListCredentialsResponse__Output>): grpc.ClientUnaryCall;
  listCredentials(argument: _edgeplane_cluster_v1_ListCredentialsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListCredentialsResponse__Output>): grpc.ClientUnaryCall;
  listCredentials(argument: _edgeplane_cluster_v1_ListCredentialsRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListCredentialsResponse__Output>): grpc.ClientUnaryCall;
  
  ReportUsage(argument: _edgeplane_cluster_v1_ReportUsageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  ReportUsage(argument: _edgeplane_cluster_v1_ReportUsageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  ReportUsage(argument: _edgeplane_cluster_v1_ReportUsageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  ReportUsage(argument: _edgeplane_cluster_v1_ReportUsageRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  reportUsage(argument: _edgeplane_cluster_v1_ReportUsageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  reportUsage(argument: _edgeplane_cluster_v1_ReportUsageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  reportUsage(argument: _edgeplane_cluster_v1_ReportUsageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  reportUsage(argument: _edgeplane_cluster_v1_ReportUsageRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  
  RevokeCredential(argument: _edgeplane_cluster_v1_RevokeCredentialRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_RevokeCredentialResponse__Output>): grpc.ClientUnaryCall;
  RevokeCredential(argument: _edgeplane_cluster_v1_RevokeCredentialRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_RevokeCredentialResponse__Output>): grpc.ClientUnaryCall;
  RevokeCredential(argument: _edgeplane_cluster_v1_RevokeCredentialRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_RevokeCredentialResponse__Output>): grpc.ClientUnaryCall;
  RevokeCredential(argument: _edgeplane_cluster_v1_RevokeCredentialRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_RevokeCredentialResponse__Output>): grpc.ClientUnaryCall;
  revokeCredential(argument: _edgeplane_cluster_v1_RevokeCredentialRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_RevokeCredentialResponse__Output>): grpc.ClientUnaryCall;
  revokeCredential(argument: _edgeplane_cluster_v1_RevokeCredentialRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_RevokeCredentialResponse__Output>): grpc.ClientUnaryCall;
  revokeCredential(argument: _edgeplane_cluster_v1_RevokeCredentialRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_RevokeCredentialResponse__Output>): grpc.ClientUnaryCall;
  revokeCredential(argument: _edgeplane_cluster_v1_RevokeCredentialRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_RevokeCredentialResponse__Output>): grpc.ClientUnaryCall;
  
  RotateKubeconfig(argument: _edgeplane_cluster_v1_RotateKubeconfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  RotateKubeconfig(argument: _edgeplane_cluster_v1_RotateKubeconfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  RotateKubeconfig(argument: _edgeplane_cluster_v1_RotateKubeconfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  RotateKubeconfig(argument: _edgeplane_cluster_v1_RotateKubeconfigRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  rotateKubeconfig(argument: _edgeplane_cluster_v1_RotateKubeconfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  rotateKubeconfig(argument: _edgeplane_cluster_v1_RotateKubeconfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  rotateKubeconfig(argument: _edgeplane_cluster_v1_RotateKubeconfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  rotateKubeconfig(argument: _edgeplane_cluster_v1_RotateKubeconfigRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Kubeconfig__Output>): grpc.ClientUnaryCall;
  
  SetAccess(argument: _edgeplane_cluster_v1_SetAccessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  SetAccess(argument: _edgeplane_cluster_v1_SetAccessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  SetAccess(argument: _edgeplane_cluster_v1_SetAccessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  SetAccess(argument: _edgeplane_cluster_v1_SetAccessRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  setAccess(argument: _edgeplane_cluster_v1_SetAccessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  setAccess(argument: _edgeplane_cluster_v1_SetAccessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  setAccess(argument: _edgeplane_cluster_v1_SetAccessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  setAccess(argument: _edgeplane_cluster_v1_SetAccessRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  
  SetRemoteLogin(argument: _edgeplane_cluster_v1_SetRemoteLoginRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  SetRemoteLogin(argument: _edgeplane_cluster_v1_SetRemoteLoginRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  SetRemoteLogin(argument: _edgeplane_cluster_v1_SetRemoteLoginRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  SetRemoteLogin(argument: _edgeplane_cluster_v1_SetRemoteLoginRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  setRemoteLogin(argument: _edgeplane_cluster_v1_SetRemoteLoginRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  setRemoteLogin(argument: _edgeplane_cluster_v1_SetRemoteLoginRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  setRemoteLogin(argument: _edgeplane_cluster_v1_SetRemoteLoginRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  setRemoteLogin(argument: _edgeplane_cluster_v1_SetRemoteLoginRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  
  SetTier(argument: _edgeplane_cluster_v1_SetTierRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  SetTier(argument: _edgeplane_cluster_v1_SetTierRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  SetTier(argument: _edgeplane_cluster_v1_SetTierRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  SetTier(argument: _edgeplane_cluster_v1_SetTierRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  setTier(argument: _edgeplane_cluster_v1_SetTierRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  setTier(argument: _edgeplane_cluster_v1_SetTierRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  setTier(argument: _edgeplane_cluster_v1_SetTierRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  setTier(argument: _edgeplane_cluster_v1_SetTierRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Cluster__Output>): grpc.ClientUnaryCall;
  
  VerifyCredential(argument: _edgeplane_cluster_v1_VerifyCredentialRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_VerifyCredentialResponse__Output>): grpc.ClientUnaryCall;
  VerifyCredential(argument: _edgeplane_cluster_v1_VerifyCredentialRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_VerifyCredentialResponse__Output>): grpc.ClientUnaryCall;
  VerifyCredential(argument: _edgeplane_cluster_v1_VerifyCredentialRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_VerifyCredentialResponse__Output>): grpc.ClientUnaryCall;
  VerifyCredential(argument: _edgeplane_cluster_v1_VerifyCredentialRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_VerifyCredentialResponse__Output>): grpc.ClientUnaryCall;
  verifyCredential(argument: _edgeplane_cluster_v1_VerifyCredentialRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_VerifyCredentialResponse__Output>): grpc.ClientUnaryCall;
  verifyCredential(argument: _edgeplane_cluster_v1_VerifyCredentialRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_VerifyCredentialResponse__Output>): grpc.ClientUnaryCall;
  verifyCredential(argument: _edgeplane_cluster_v1_VerifyCredentialRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_VerifyCredentialResponse__Output>): grpc.ClientUnaryCall;
  verifyCredential(argument: _edgeplane_cluster_v1_VerifyCredentialRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_VerifyCredentialResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface ClusterServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateCluster: grpc.handleUnaryCall<_edgeplane_cluster_v1_CreateClusterRequest__Output, _edgeplane_cluster_v1_Cluster>;
  
  DeleteCluster: grpc.handleUnaryCall<_edgeplane_cluster_v1_DeleteClusterRequest__Output, _edgeplane_cluster_v1_DeleteClusterResponse>;
  
  GetCluster: grpc.handleUnaryCall<_edgeplane_cluster_v1_GetClusterRequest__Output, _edgeplane_cluster_v1_Cluster>;
  
  GetKubeconfig: grpc.handleUnaryCall<_edgeplane_cluster_v1_GetKubeconfigRequest__Output, _edgeplane_cluster_v1_Kubeconfig>;
  
  IssueCredential: grpc.handleUnaryCall<_edgeplane_cluster_v1_IssueCredentialRequest__Output, _edgeplane_cluster_v1_Kubeconfig>;
  
  ListClusters: grpc.handleUnaryCall<_edgeplane_cluster_v1_ListClustersRequest__Output, _edgeplane_cluster_v1_ListClustersResponse>;
  
  ListCredentials: grpc.handleUnaryCall<_edgeplane_cluster_v1_ListCredentialsRequest__Output, _edgeplane_cluster_v1_ListCredentialsResponse>;
  
  ReportUsage: grpc.handleUnaryCall<_edgeplane_cluster_v1_ReportUsageRequest__Output, _edgeplane_cluster_v1_Cluster>;
  
  RevokeCredential: grpc.handleUnaryCall<_edgeplane_cluster_v1_RevokeCredentialRequest__Output, _edgeplane_cluster_v1_RevokeCredentialResponse>;
  
  RotateKubeconfig: grpc.handleUnaryCall<_edgeplane_cluster_v1_RotateKubeconfigRequest__Output, _edgeplane_cluster_v1_Kubeconfig>;
  
  SetAccess: grpc.handleUnaryCall<_edgeplane_cluster_v1_SetAccessRequest__Output, _edgeplane_cluster_v1_Cluster>;
  
  SetRemoteLogin: grpc.handleUnaryCall<_edgeplane_cluster_v1_SetRemoteLoginRequest__Output, _edgeplane_cluster_v1_Cluster>;
  
  SetTier: grpc.handleUnaryCall<_edgeplane_cluster_v1_SetTierRequest__Output, _edgeplane_cluster_v1_Cluster>;
  
  VerifyCredential: grpc.handleUnaryCall<_edgeplane_cluster_v1_VerifyCredentialRequest__Output, _edgeplane_cluster_v1_VerifyCredentialResponse>;
  
}

export interface ClusterServiceDefinition extends grpc.ServiceDefinition {
  CreateCluster: MethodDefinition<_edgeplane_cluster_v1_CreateClusterRequest, _edgeplane_cluster_v1_Cluster, _edgeplane_cluster_v1_CreateClusterRequest__Output, _edgeplane_cluster_v1_Cluster__Output>
  DeleteCluster: MethodDefinition<_edgeplane_cluster_v1_DeleteClusterRequest, _edgeplane_cluster_v1_DeleteClusterResponse, _edgeplane_cluster_v1_DeleteClusterRequest__Output, _edgeplane_cluster_v1_DeleteClusterResponse__Output>
  GetCluster: MethodDefinition<_edgeplane_cluster_v1_GetClusterRequest, _edgeplane_cluster_v1_Cluster, _edgeplane_cluster_v1_GetClusterRequest__Output, _edgeplane_cluster_v1_Cluster__Output>
  GetKubeconfig: MethodDefinition<_edgeplane_cluster_v1_GetKubeconfigRequest, _edgeplane_cluster_v1_Kubeconfig, _edgeplane_cluster_v1_GetKubeconfigRequest__Output, _edgeplane_cluster_v1_Kubeconfig__Output>
  IssueCredential: MethodDefinition<_edgeplane_cluster_v1_IssueCredentialRequest, _edgeplane_cluster_v1_Kubeconfig, _edgeplane_cluster_v1_IssueCredentialRequest__Output, _edgeplane_cluster_v1_Kubeconfig__Output>
  ListClusters: MethodDefinition<_edgeplane_cluster_v1_ListClustersRequest, _edgeplane_cluster_v1_ListClustersResponse, _edgeplane_cluster_v1_ListClustersRequest__Output, _edgeplane_cluster_v1_ListClustersResponse__Output>
  ListCredentials: MethodDefinition<_edgeplane_cluster_v1_ListCredentialsRequest, _edgeplane_cluster_v1_ListCredentialsResponse, _edgeplane_cluster_v1_ListCredentialsRequest__Output, _edgeplane_cluster_v1_ListCredentialsResponse__Output>
  ReportUsage: MethodDefinition<_edgeplane_cluster_v1_ReportUsageRequest, _edgeplane_cluster_v1_Cluster, _edgeplane_cluster_v1_ReportUsageRequest__Output, _edgeplane_cluster_v1_Cluster__Output>
  RevokeCredential: MethodDefinition<_edgeplane_cluster_v1_RevokeCredentialRequest, _edgeplane_cluster_v1_RevokeCredentialResponse, _edgeplane_cluster_v1_RevokeCredentialRequest__Output, _edgeplane_cluster_v1_RevokeCredentialResponse__Output>
  RotateKubeconfig: MethodDefinition<_edgeplane_cluster_v1_RotateKubeconfigRequest, _edgeplane_cluster_v1_Kubeconfig, _edgeplane_cluster_v1_RotateKubeconfigRequest__Output, _edgeplane_cluster_v1_Kubeconfig__Output>
  SetAccess: MethodDefinition<_edgeplane_cluster_v1_SetAccessRequest, _edgeplane_cluster_v1_Cluster, _edgeplane_cluster_v1_SetAccessRequest__Output, _edgeplane_cluster_v1_Cluster__Output>
  SetRemoteLogin: MethodDefinition<_edgeplane_cluster_v1_SetRemoteLoginRequest, _edgeplane_cluster_v1_Cluster, _edgeplane_cluster_v1_SetRemoteLoginRequest__Output, _edgeplane_cluster_v1_Cluster__Output>
  SetTier: MethodDefinition<_edgeplane_cluster_v1_SetTierRequest, _edgeplane_cluster_v1_Cluster, _edgeplane_cluster_v1_SetTierRequest__Output, _edgeplane_cluster_v1_Cluster__Output>
  VerifyCredential: MethodDefinition<_edgeplane_cluster_v1_VerifyCredentialRequest, _edgeplane_cluster_v1_VerifyCredentialResponse, _edgeplane_cluster_v1_VerifyCredentialRequest__Output, _edgeplane_cluster_v1_VerifyCredentialResponse__Output>
}

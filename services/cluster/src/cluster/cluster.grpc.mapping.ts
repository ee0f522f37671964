import type { EdgeplaneClusterV1 } from '@edgeplane/proto';
import { z } from 'zod';
import { defaultReferenceData, findTier } from '../reference-data/reference-data.js';
import type { ActiveCluster } from './cluster.state.js';
import type { UserCredentialState } from './cluster.state.js';
import type { KubeconfigView } from './cluster.views.js';

/** Cluster state ↔ edgeplane.cluster.v1 messages (field names as proto-loader hands them over: camelCase). */

/** `ClusterRef` as proto-loader delivers it: by id or by name; every service of the package takes one. */
export const ClusterRefMessage = z
  .object({ id: z.string().optional(), name: z.string().optional() })
  .nullable()
  .optional();

export function clusterMessage(c: ActiveCluster): EdgeplaneClusterV1.Cluster {
  const tier = findTier(defaultReferenceData, c.tier);
  return {
    id: c.spec.clusterId,
    name: c.spec.name,
    description: c.spec.description,
    kubernetesVersion: c.spec.kubernetesVersion,
    runtime: c.spec.runtime,
    region: c.spec.region,
    kubeProxyMode: c.spec.kubeProxyMode,
    vpcId: c.spec.vpcId ?? '',
    vpcCidr: c.spec.vpcCidr,
    podCidr: c.spec.podCidr,
    serviceCidr: c.spec.serviceCidr,
    nodeCidrs: c.spec.nodeCidrs,
    tier: {
      name: c.tier,
      nodes: tier?.nodes ?? 0,
      pods: tier?.pods ?? 0,
      configMaps: tier?.configMaps ?? 0,
      crds: tier?.crds ?? 0,
    },
    autoUpgrade: c.autoUpgrade,
    usage: { nodes: c.nodes.length, pods: c.usage.pods, configMaps: c.usage.configMaps, crds: c.usage.crds },
    access: {
      publicAccess: c.access.publicAccess,
      privateAccess: c.access.privateAccess.enabled,
      privateSubnetId: c.access.privateAccess.subnetId ?? '',
    },
    remoteLogin: c.remoteLogin,
    status: 'active',
    caFingerprint: c.spec.ca.fingerprint,
    createdAt: c.spec.createdAt,
    overCapacityNodes: c.overCapacityNodes.length,
  };
}

export function kubeconfigMessage(k: KubeconfigView): EdgeplaneClusterV1.Kubeconfig {
  return {
    clusterId: k.clusterId,
    kubeconfigYaml: k.kubeconfigYaml,
    credentialSerial: k.credentialSerial,
    credentialFingerprint: k.credentialFingerprint,
    notAfter: k.notAfter,
    revokedSerial: k.revokedSerial,
    user: k.user,
    role: k.role,
  };
}

export function userCredentialMessage(c: UserCredentialState): EdgeplaneClusterV1.UserCredential {
  return {
    serial: c.serial,
    fingerprint: c.fingerprint,
    user: c.user,
    role: c.role,
    groups: c.groups,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    issuedAt: c.issuedAt,
  };
}

import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  AlreadyExistsError,
  IllegalStateError,
  ValidationError,
  VersionConflictError,
} from '@edgeplane/es-kit';
import {
  AggregateHandler,
  isUniqueViolation,
  type AnyDb,
  type EventStore,
  type Trx,
} from '@edgeplane/eventstore';
import { CONFIG, DB, EVENT_STORE } from '@edgeplane/service-kit';
import { sql } from 'kysely';
import { ReadModel, type ClusterRefInput } from '../app/read-model.js';
import { KeyStore } from '../app/key-store.js';
import { apiServerUrl, type ClusterConfig } from '../config.js';
import { parseCidr } from '../network/cidr.js';
import { authorizeNodeAction } from '../pki/node-authorization.js';
import { renderAdminKubeconfig } from '../pki/kubeconfig.js';
import {
  certificateFingerprint,
  createClusterCa,
  issueAdminCertificate,
  nodeNameFromCertificate,
  verifyCertificateChain,
} from '../pki/pki.js';
import { CLOCK, type Clock } from '../tokens.js';
import {
  clusterDecider,
  clusterStreamId,
  verifyAdminCredential,
  type ActiveCluster,
  type ClusterCommand,
  type ClusterEvent,
  type ClusterState,
  type CreateCluster,
} from './cluster.decider.js';

/** What an operator asks for; the handler adds the id, the peers' CIDRs, the CA and the time. */
export type CreateClusterInput = Omit<
  CreateCluster,
  'type' | 'clusterId' | 'otherClustersInVpc' | 'ca' | 'adminCredential' | 'now'
>;

export interface KubeconfigResult {
  clusterId: string;
  kubeconfigYaml: string;
  credentialSerial: string;
  credentialFingerprint: string;
  notAfter: string;
  revokedSerial: string;
}

export interface CredentialCheck {
  valid: boolean;
  kind: 'admin' | 'node' | '';
  nodeName: string;
  authorized: boolean;
  reason: string;
  serial: string;
}

/**
 * Application service of the Cluster aggregate: generates ids, keys and certificates, reads what
 * the decider needs from the read models (name uniqueness, the VPC's other clusters), decides and
 * appends — keys going to the key store in the same transaction as the events.
 */
@Injectable()
export class ClusterHandler {
  readonly clusters: AggregateHandler<ClusterState, ClusterCommand, ClusterEvent>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(DB) private readonly db: AnyDb,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ReadModel) private readonly read: ReadModel,
    @Inject(KeyStore) private readonly keys: KeyStore,
    @Inject(CONFIG) private readonly config: ClusterConfig,
  ) {
    this.clusters = new AggregateHandler(store, clusterDecider);
  }

  private now(): string {
    return this.clock().toISOString();
  }

  async create(input: CreateClusterInput): Promise<ActiveCluster> {
    const now = this.now();
    const name = input.name.trim();
    if (name && (await this.read.clusterNameTaken(name))) {
      throw new AlreadyExistsError('cluster', name, `a cluster named "${name}" already exists`);
    }
    const clusterId = `cls-${randomBytes(5).toString('hex')}`;
    const ca = await createClusterCa({ clusterId, clusterName: name || clusterId, now });
    const admin = await issueAdminCertificate({ ca, clusterId, now });
    const vpc = parseCidr(input.vpcCidr ?? '');
    const vpcId = input.vpcId?.trim() || null;
    try {
      return await this.db.transaction().execute(async (trx) => {
        // Creations in one VPC are serialised, so two overlapping clusters cannot slip in side by side.
        await sql`SELECT pg_advisory_xact_lock(hashtext(${`cluster-vpc:${vpcId ?? (vpc.ok ? vpc.cidr.text : '')}`}))`.execute(
          trx,
        );
        const otherClustersInVpc = await this.read.clustersInVpc(
          vpcId,
          vpc.ok ? vpc.cidr.text : undefined,
          trx,
        );
        const result = await this.clusters.handle(
          clusterStreamId(clusterId),
          {
            type: 'CreateCluster',
            clusterId,
            name: input.name,
            description: input.description,
            kubernetesVersion: input.kubernetesVersion,
            runtime: input.runtime,
            region: input.region,
            kubeProxyMode: input.kubeProxyMode || undefined,
            vpcId,
            vpcCidr: input.vpcCidr,
            podCidr: input.podCidr,
            serviceCidr: input.serviceCidr,
            nodeCidrs: input.nodeCidrs ?? [],
            tier: input.tier || undefined,
            autoUpgrade: input.autoUpgrade ?? false,
            otherClustersInVpc,
            ca: { certPem: ca.certPem, fingerprint: ca.fingerprint, notAfter: ca.notAfter },
            adminCredential: {
              serial: admin.serial,
              fingerprint: admin.fingerprint,
              notBefore: admin.notBefore,
              notAfter: admin.notAfter,
            },
            now,
          },
          { trx },
        );
        await this.keys.create(trx, {
          clusterId,
          caCertPem: ca.certPem,
          caKeyPem: ca.privateKeyPem,
          adminCertPem: admin.certPem,
          adminKeyPem: admin.privateKeyPem,
          adminSerial: admin.serial,
        });
        return result.state as ActiveCluster;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'proj_clusters_name_uq')) {
        throw new AlreadyExistsError('cluster', name, `a cluster named "${name}" already exists`);
      }
      throw error;
    }
  }

  async setAccess(
    ref: ClusterRefInput | null | undefined,
    change: { publicAccess?: boolean; privateAccess?: { enabled: boolean; subnetId?: string | null } },
  ): Promise<ActiveCluster> {
    const cluster = await this.read.resolveCluster(ref);
    return this.run(cluster, {
      type: 'SetAccess',
      clusterId: cluster.spec.clusterId,
      ...change,
      now: this.now(),
    });
  }

  async setTier(
    ref: ClusterRefInput | null | undefined,
    tier: string | undefined,
    autoUpgrade: boolean | undefined,
  ): Promise<ActiveCluster> {
    if (!tier && autoUpgrade === undefined)
      throw ValidationError.field('tier', 'give a tier and/or auto-upgrade on/off');
    const cluster = await this.read.resolveCluster(ref);
    const clusterId = cluster.spec.clusterId;
    const now = this.now();
    return this.transaction(async (trx) => {
      let state: ActiveCluster = cluster;
      if (tier) state = await this.run(cluster, { type: 'SetTier', clusterId, tier, now }, trx);
      if (autoUpgrade !== undefined) {
        state = await this.run(
          cluster,
          { type: 'SetAutoUpgrade', clusterId, enabled: autoUpgrade, now },
          trx,
        );
      }
      return state;
    });
  }

  async setRemoteLogin(ref: ClusterRefInput | null | undefined, enabled: boolean): Promise<ActiveCluster> {
    const cluster = await this.read.resolveCluster(ref);
    return this.run(cluster, {
      type: 'SetRemoteLogin',
      clusterId: cluster.spec.clusterId,
      enabled,
      now: this.now(),
    });
  }

  async reportUsage(
    ref: ClusterRefInput | null | undefined,
    usage: { pods: number; configMaps: number; crds: number },
  ): Promise<ActiveCluster> {
    const cluster = await this.read.resolveCluster(ref);
    return this.run(cluster, {
      type: 'RecordUsage',
      clusterId: cluster.spec.clusterId,
      ...usage,
      now: this.now(),
    });
  }

  async get(ref: ClusterRefInput | null | undefined): Promise<ActiveCluster> {
    return this.read.resolveCluster(ref);
  }

  async list(region?: string): Promise<ActiveCluster[]> {
    return this.read.listClusters(region);
  }

  async delete(
    ref: ClusterRefInput | null | undefined,
  ): Promise<{ clusterId: string; nodeNames: string[]; revokedAdminSerial: string }> {
    const cluster = await this.read.resolveCluster(ref);
    const clusterId = cluster.spec.clusterId;
    const now = this.now();
    return this.transaction(async (trx) => {
      // A node removed a moment ago may still be counted (its release is a reaction): settle it
      // first, so the deletion revokes exactly the nodes that exist.
      const { state } = await this.clusters.load(clusterStreamId(clusterId), trx);
      if (state.status === 'active') {
        for (const nodeName of state.nodes) {
          if (await this.read.findNode(clusterId, nodeName, trx)) continue;
          await this.clusters.handle(
            clusterStreamId(clusterId),
            { type: 'RecordNodeRemoved', clusterId, nodeName, now },
            { trx },
          );
        }
      }
      const result = await this.clusters.handle(
        clusterStreamId(clusterId),
        { type: 'DeleteCluster', clusterId, now },
        { trx },
      );
      // Without the CA key nothing more can be signed for the cluster; its node identities are
      // revoked by the NodeRemoved events the reactor records for every node.
      await this.keys.delete(trx, clusterId);
      const deleted = result.events.find((e) => e.type === 'ClusterDeleted');
      const data = deleted?.data as { nodeNames: string[]; revokedAdminSerial: string } | undefined;
      return {
        clusterId,
        nodeNames: data?.nodeNames ?? [],
        revokedAdminSerial: data?.revokedAdminSerial ?? '',
      };
    });
  }

  async kubeconfig(ref: ClusterRefInput | null | undefined): Promise<KubeconfigResult> {
    const cluster = await this.read.resolveCluster(ref);
    const keys = await this.requireKeys(cluster);
    return this.renderKubeconfig(cluster, keys.adminCertPem, keys.adminKeyPem, '');
  }

  /** A new admin credential; the previous one stops verifying at once (F-CL-5). */
  async rotateKubeconfig(ref: ClusterRefInput | null | undefined): Promise<KubeconfigResult> {
    const cluster = await this.read.resolveCluster(ref);
    const clusterId = cluster.spec.clusterId;
    const keys = await this.requireKeys(cluster);
    const now = this.now();
    const admin = await issueAdminCertificate({
      ca: { certPem: keys.caCertPem, privateKeyPem: keys.caKeyPem },
      clusterId,
      now,
    });
    const state = await this.transaction(async (trx) => {
      const result = await this.clusters.handle(
        clusterStreamId(clusterId),
        {
          type: 'RotateAdminCredential',
          clusterId,
          credential: {
            serial: admin.serial,
            fingerprint: admin.fingerprint,
            notBefore: admin.notBefore,
            notAfter: admin.notAfter,
          },
          now,
        },
        { trx },
      );
      await this.keys.replaceAdmin(trx, clusterId, {
        certPem: admin.certPem,
        keyPem: admin.privateKeyPem,
        serial: admin.serial,
      });
      return result.state as ActiveCluster;
    });
    return this.renderKubeconfig(state, admin.certPem, admin.privateKeyPem, keys.adminSerial);
  }

  /**
   * Authenticates a presented client certificate as the cluster's API server would: signed by the
   * cluster CA, valid now, and still the active credential of its holder (a rotated admin
   * certificate or a removed node's certificate fails). A node credential is authorised only for
   * its own node.
   */
  async verifyCredential(
    ref: ClusterRefInput | null | undefined,
    certificatePem: string,
    targetNode?: string,
  ): Promise<CredentialCheck> {
    const cluster = await this.read.resolveCluster(ref);
    const clusterId = cluster.spec.clusterId;
    const refuse = (reason: string, extra: Partial<CredentialCheck> = {}): CredentialCheck => ({
      valid: false,
      kind: '',
      nodeName: '',
      authorized: false,
      reason,
      serial: '',
      ...extra,
    });
    if (!certificatePem.trim())
      throw ValidationError.field('certificatePem', 'give the client certificate (PEM)');
    if (!(await verifyCertificateChain(certificatePem, cluster.spec.ca.certPem, this.now()))) {
      return refuse(
        `the certificate is not signed by the CA of cluster ${cluster.spec.name}, or is outside its validity`,
      );
    }
    const fingerprint = certificateFingerprint(certificatePem);
    const nodeName = nodeNameFromCertificate(certificatePem);
    if (nodeName !== undefined) {
      const node = await this.read.findNode(clusterId, nodeName);
      if (!node || node.credential?.fingerprint !== fingerprint) {
        return refuse(
          `the certificate of node ${nodeName} is not its active credential (node removed or credential replaced)`,
          {
            kind: 'node',
            nodeName,
          },
        );
      }
      const target = targetNode?.trim() || nodeName;
      const authorized = authorizeNodeAction({ clusterId, nodeName }, { clusterId, nodeName: target });
      return {
        valid: true,
        kind: 'node',
        nodeName,
        authorized,
        reason: authorized ? '' : `node ${nodeName} may act only on its own node, not on ${target}`,
        serial: node.credential.serial,
      };
    }
    if (!verifyAdminCredential(cluster, fingerprint)) {
      return refuse('the admin credential was rotated or revoked; download the current kubeconfig', {
        kind: 'admin',
      });
    }
    return {
      valid: true,
      kind: 'admin',
      nodeName: '',
      authorized: true,
      reason: '',
      serial: cluster.adminCredential.serial,
    };
  }

  /**
   * A transaction over several decisions (a caller-owned transaction gets no retry from the
   * aggregate handler): a version conflict with a concurrent writer, e.g. a reactor, reruns it.
   */
  private async transaction<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute(fn);
      } catch (error) {
        if (error instanceof VersionConflictError && attempt < 4) continue;
        throw error;
      }
    }
  }

  private async run(cluster: ActiveCluster, command: ClusterCommand, trx?: Trx): Promise<ActiveCluster> {
    const result = await this.clusters.handle(clusterStreamId(cluster.spec.clusterId), command, { trx });
    if (result.state.status !== 'active')
      throw new IllegalStateError(`cluster ${cluster.spec.name} is no longer active`);
    return result.state;
  }

  private async requireKeys(cluster: ActiveCluster) {
    const keys = await this.keys.get(cluster.spec.clusterId);
    if (!keys) throw new IllegalStateError(`the key store has no keys for cluster ${cluster.spec.name}`);
    return keys;
  }

  private renderKubeconfig(
    cluster: ActiveCluster,
    certPem: string,
    keyPem: string,
    revokedSerial: string,
  ): KubeconfigResult {
    return {
      clusterId: cluster.spec.clusterId,
      kubeconfigYaml: renderAdminKubeconfig({
        clusterName: cluster.spec.name,
        server: apiServerUrl(this.config, cluster.spec.clusterId),
        caCertPem: cluster.spec.ca.certPem,
        clientCertPem: certPem,
        clientKeyPem: keyPem,
      }),
      credentialSerial: cluster.adminCredential.serial,
      credentialFingerprint: cluster.adminCredential.fingerprint,
      notAfter: cluster.adminCredential.notAfter,
      revokedSerial,
    };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { AlreadyExistsError, IllegalStateError, ValidationError } from '@edgeplane/es-kit';
import {
  AggregateHandler,
  isUniqueViolation,
  withVersionRetry,
  type Db,
  type EventStore,
  type Trx,
} from '@edgeplane/eventstore';
import { CONFIG, DB, EVENT_STORE, SCHEMA, type PageRequest } from '@edgeplane/service-kit';
import { apiServerTrust, apiServerUrl, type ClusterConfig } from '../config.js';
import { inSchema, lockForTransaction, type SchemaQueries } from '../db/database.js';
import { parseCidr } from '../network/cidr.js';
import { verifyNodeCredential } from '../node/node.views.js';
import { InstallScriptStore } from '../join-token/install-scripts.store.js';
import { KeyStore, type ClusterKeys } from '../pki/key-store.js';
import { renderAdminKubeconfig } from '../pki/kubeconfig.js';
import { authorizeNodeAction } from '../pki/node-authorization.js';
import {
  certificateFacts,
  certificateFingerprint,
  createClusterCa,
  issueAdminCertificate,
  issueUserCertificate,
  nodeNameFromCertificate,
  verifyCertificateChain,
} from '../pki/pki.js';
import {
  clusterNameTaken,
  clustersInVpc,
  listClustersPage,
  resolveCluster,
  type ClusterRefInput,
} from '../read-model/clusters.queries.js';
import { findNode } from '../read-model/nodes.queries.js';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../tokens.js';
import { clusterDecider, clusterStreamId, type ClusterCommand } from './cluster.decider.js';
import { clusterNameViolations, type CreateCluster } from './cluster.lifecycle.decide.js';
import type { ActiveCluster, ClusterEvent, ClusterState } from './cluster.state.js';
import {
  activeUserCredentials,
  ROLE_GROUPS,
  roleViolation,
  userNameViolation,
} from './cluster.access.decide.js';
import type { CredentialRole, UserCredentialState } from './cluster.state.js';
import { verifyAdminCredential, type CredentialCheck, type KubeconfigView } from './cluster.views.js';

/** Restricted credentials: 60 s – 365 days, 90 days unless asked. */
export const CREDENTIAL_TTL = { min: 60, max: 365 * 86_400, default: 90 * 86_400 };
const FINGERPRINT = /^[0-9a-f]{64}$/;

/** What an operator asks for; the handler adds the id, the peers' CIDRs, the CA and the time. */
export type CreateClusterInput = Omit<
  CreateCluster,
  'type' | 'clusterId' | 'otherClustersInVpc' | 'ca' | 'adminCredential' | 'now'
>;

/**
 * Application service of the Cluster aggregate: generates ids, keys and certificates, reads what
 * the decider needs from the read models (name uniqueness, the VPC's other clusters), decides and
 * appends — keys going to the key store in the same transaction as the events.
 */
@Injectable()
export class ClusterHandler {
  private readonly clusters: AggregateHandler<ClusterState, ClusterCommand, ClusterEvent>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(KeyStore) private readonly keys: KeyStore,
    @Inject(CONFIG) private readonly config: ClusterConfig,
    @Inject(InstallScriptStore) private readonly scripts: InstallScriptStore,
  ) {
    this.clusters = new AggregateHandler(store, clusterDecider);
  }

  private now(): string {
    return this.clock().toISOString();
  }

  private read(trx?: Trx): SchemaQueries {
    return inSchema(trx ?? this.db, this.schema);
  }

  /**
   * `dryRun`: every check of a real creation — the name (and that it is free), the reference
   * tables, the CIDRs and their overlaps with the VPC's other clusters — and the cluster it would
   * be, with nothing stored and no event (the console's live CIDR check; kube-api `dryRun=All`).
   */
  async create(input: CreateClusterInput, options: { dryRun?: boolean } = {}): Promise<ActiveCluster> {
    const now = this.now();
    const name = input.name.trim();
    // the name is checked before anything is generated from it (the CA's subject carries it)
    const nameViolations = clusterNameViolations(name);
    if (nameViolations.length > 0) throw new ValidationError(nameViolations);
    if (name && (await clusterNameTaken(this.read(), name))) {
      throw new AlreadyExistsError('cluster', name, `a cluster named "${name}" already exists`);
    }
    const clusterId = this.ids.clusterId();
    const ca = await createClusterCa({ clusterId, clusterName: name || clusterId, now });
    const admin = await issueAdminCertificate({ ca, clusterId, now });
    const vpc = parseCidr(input.vpcCidr ?? '');
    const vpcCidr = vpc.ok ? vpc.cidr.text : undefined;
    const vpcId = input.vpcId?.trim() || null;
    if (options.dryRun) {
      const otherClustersInVpc = await clustersInVpc(this.read(), vpcId, vpcCidr);
      const events = clusterDecider.decide(
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
          adminCredential: certificateFacts(admin),
          now,
        },
        clusterDecider.initialState,
      );
      return activeOrRefuse(events.reduce(clusterDecider.evolve, clusterDecider.initialState), name);
    }
    try {
      return await this.db.transaction().execute(async (trx) => {
        // Creations in one VPC are serialised, so two overlapping clusters cannot slip in side by side.
        await lockForTransaction(trx, `cluster-vpc:${vpcId ?? vpcCidr ?? ''}`);
        const otherClustersInVpc = await clustersInVpc(this.read(trx), vpcId, vpcCidr);
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
            adminCredential: certificateFacts(admin),
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
        return activeOrRefuse(result.state, name);
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
    const cluster = await resolveCluster(this.read(), ref);
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
    const cluster = await resolveCluster(this.read(), ref);
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
    const cluster = await resolveCluster(this.read(), ref);
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
    const cluster = await resolveCluster(this.read(), ref);
    return this.run(cluster, {
      type: 'RecordUsage',
      clusterId: cluster.spec.clusterId,
      ...usage,
      now: this.now(),
    });
  }

  async get(ref: ClusterRefInput | null | undefined): Promise<ActiveCluster> {
    return resolveCluster(this.read(), ref);
  }

  async list(
    region: string | undefined,
    page: PageRequest,
  ): Promise<{ items: ActiveCluster[]; nextPageToken: string }> {
    return listClustersPage(this.read(), region, page);
  }

  async delete(
    ref: ClusterRefInput | null | undefined,
  ): Promise<{ clusterId: string; nodeNames: string[]; revokedAdminSerial: string }> {
    const cluster = await resolveCluster(this.read(), ref);
    const clusterId = cluster.spec.clusterId;
    const stream = clusterStreamId(clusterId);
    const now = this.now();
    return this.transaction(async (trx) => {
      // A node removed a moment ago may still be counted (its release is a reaction): settle it
      // first, so the deletion revokes exactly the nodes that exist.
      const { state } = await this.clusters.load(stream, trx);
      if (state.status === 'active') {
        for (const nodeName of state.nodes) {
          if (await findNode(this.read(trx), clusterId, nodeName)) continue;
          await this.clusters.handle(
            stream,
            { type: 'RecordNodeRemoved', clusterId, nodeName, now },
            { trx },
          );
        }
      }
      // Decided here rather than through `handle`, to answer with what the deletion revoked.
      const settled = await this.clusters.load(stream, trx);
      const events = clusterDecider.decide({ type: 'DeleteCluster', clusterId, now }, settled.state);
      await this.store.append(stream, settled.version, events, { trx });
      // Without the CA key nothing more can be signed for the cluster; its node identities are
      // revoked by the NodeRemoved events the reactor records for every node.
      await this.keys.delete(trx, clusterId);
      await this.scripts.deleteCluster(trx, clusterId);
      for (const event of events) {
        if (event.type === 'ClusterDeleted') {
          const { nodeNames, revokedAdminSerial } = event.data;
          return { clusterId, nodeNames, revokedAdminSerial: revokedAdminSerial ?? '' };
        }
      }
      return { clusterId, nodeNames: [], revokedAdminSerial: '' };
    });
  }

  async kubeconfig(ref: ClusterRefInput | null | undefined): Promise<KubeconfigView> {
    const cluster = await resolveCluster(this.read(), ref);
    const keys = await this.requireKeys(cluster);
    return this.renderKubeconfig(cluster, keys.adminCertPem, keys.adminKeyPem, '');
  }

  /** A new admin credential; the previous one stops verifying at once (F-CL-5). */
  async rotateKubeconfig(ref: ClusterRefInput | null | undefined): Promise<KubeconfigView> {
    const cluster = await resolveCluster(this.read(), ref);
    const clusterId = cluster.spec.clusterId;
    const keys = await this.requireKeys(cluster);
    const now = this.now();
    const admin = await issueAdminCertificate({
      ca: { certPem: keys.caCertPem, privateKeyPem: keys.caKeyPem },
      clusterId,
      now,
    });
    const state = await this.transaction(async (trx) => {
      const rotated = await this.run(
        cluster,
        { type: 'RotateAdminCredential', clusterId, credential: certificateFacts(admin), now },
        trx,
      );
      await this.keys.replaceAdmin(trx, clusterId, {
        certPem: admin.certPem,
        keyPem: admin.privateKeyPem,
        serial: admin.serial,
      });
      return rotated;
    });
    return this.renderKubeconfig(state, admin.certPem, admin.privateKeyPem, keys.adminSerial);
  }

  /**
   * A restricted credential for one user with one role (F-CL-5, issue 12): a new key pair and a
   * certificate of the cluster CA (CN = user, O = the role's group), recorded by its public facts.
   * The private key is in the answer only: neither in the event nor in the key store.
   */
  async issueCredential(
    ref: ClusterRefInput | null | undefined,
    input: { user: string; role: string; ttlSeconds: number },
  ): Promise<KubeconfigView> {
    const user = input.user.trim();
    const violations = [
      ['user', userNameViolation(user)],
      ['role', roleViolation(input.role)],
      [
        'ttlSeconds',
        input.ttlSeconds !== 0 &&
        (input.ttlSeconds < CREDENTIAL_TTL.min || input.ttlSeconds > CREDENTIAL_TTL.max)
          ? `must be between ${CREDENTIAL_TTL.min} s and ${CREDENTIAL_TTL.max / 86_400} days (0 = 90 days), not ${input.ttlSeconds}`
          : undefined,
      ],
    ].filter((v): v is [string, string] => v[1] !== undefined);
    if (violations.length)
      throw new ValidationError(violations.map(([field, description]) => ({ field, description })));
    const role = input.role as CredentialRole;
    const cluster = await resolveCluster(this.read(), ref);
    const clusterId = cluster.spec.clusterId;
    const keys = await this.requireKeys(cluster);
    const now = this.now();
    const issued = await issueUserCertificate({
      ca: { certPem: keys.caCertPem, privateKeyPem: keys.caKeyPem },
      user,
      group: ROLE_GROUPS[role],
      now,
      ttlSeconds: input.ttlSeconds || CREDENTIAL_TTL.default,
    });
    const state = await this.transaction((trx) =>
      this.run(
        cluster,
        { type: 'IssueUserCredential', clusterId, user, role, credential: certificateFacts(issued), now },
        trx,
      ),
    );
    return {
      clusterId,
      kubeconfigYaml: renderAdminKubeconfig({
        clusterName: state.spec.name,
        server: apiServerUrl(this.config, clusterId),
        caCertPem: state.spec.ca.certPem + apiServerTrust(this.config),
        clientCertPem: issued.certPem,
        clientKeyPem: issued.privateKeyPem,
        user: `${user}@${state.spec.name}`,
      }),
      credentialSerial: issued.serial,
      credentialFingerprint: issued.fingerprint,
      notAfter: issued.notAfter,
      revokedSerial: '',
      user,
      role,
    };
  }

  /** The active restricted credentials (expired ones are left out) and the admin's serial. */
  async listCredentials(
    ref: ClusterRefInput | null | undefined,
  ): Promise<{ credentials: UserCredentialState[]; adminSerial: string }> {
    const cluster = await resolveCluster(this.read(), ref);
    return {
      credentials: activeUserCredentials(cluster, this.now()),
      adminSerial: cluster.adminCredential.serial,
    };
  }

  /** Revokes one credential by serial, or all of a user's; they stop verifying at once. */
  async revokeCredential(
    ref: ClusterRefInput | null | undefined,
    which: { serial?: string; user?: string },
  ): Promise<UserCredentialState[]> {
    const serial = which.serial?.trim().toLowerCase() || undefined;
    const user = which.user?.trim() || undefined;
    if (serial !== undefined && !/^[0-9a-f]{1,64}$/.test(serial))
      throw ValidationError.field('serial', 'a certificate serial is hexadecimal (as listed), 1–64 digits');
    if (user !== undefined && userNameViolation(user))
      throw ValidationError.field('user', userNameViolation(user) as string);
    const cluster = await resolveCluster(this.read(), ref);
    const clusterId = cluster.spec.clusterId;
    const before = cluster.userCredentials ?? [];
    const state = await this.transaction((trx) =>
      this.run(cluster, { type: 'RevokeUserCredentials', clusterId, serial, user, now: this.now() }, trx),
    );
    const still = new Set((state.userCredentials ?? []).map((c) => c.fingerprint));
    return before.filter((c) => !still.has(c.fingerprint));
  }

  /**
   * Whether an admin or restricted credential, named by its certificate's fingerprint, is still
   * active (bearer tokens carry the fingerprint of the certificate they were made with).
   */
  async verifyFingerprint(
    ref: ClusterRefInput | null | undefined,
    fingerprint: string,
  ): Promise<CredentialCheck> {
    const fp = fingerprint.trim().toLowerCase();
    if (!FINGERPRINT.test(fp))
      throw ValidationError.field('credentialFingerprint', 'a SHA-256 fingerprint: 64 hexadecimal digits');
    const cluster = await resolveCluster(this.read(), ref);
    return this.checkFingerprint(cluster, fp);
  }

  private checkFingerprint(cluster: ActiveCluster, fingerprint: string): CredentialCheck {
    if (verifyAdminCredential(cluster, fingerprint)) {
      return {
        valid: true,
        kind: 'admin',
        nodeName: '',
        authorized: true,
        reason: '',
        serial: cluster.adminCredential.serial,
        user: `edgeplane:admin:${cluster.spec.clusterId}`,
        groups: ['system:masters'],
      };
    }
    const user = activeUserCredentials(cluster, this.now()).find((c) => c.fingerprint === fingerprint);
    if (user) {
      return {
        valid: true,
        kind: 'user',
        nodeName: '',
        authorized: true,
        reason: '',
        serial: user.serial,
        user: user.user,
        groups: user.groups,
      };
    }
    return {
      valid: false,
      kind: '',
      nodeName: '',
      authorized: false,
      reason: 'the credential was rotated, revoked or has expired; ask for a new kubeconfig',
      serial: '',
      user: '',
      groups: [],
    };
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
    const cluster = await resolveCluster(this.read(), ref);
    const clusterId = cluster.spec.clusterId;
    const refuse = (reason: string, extra: Partial<CredentialCheck> = {}): CredentialCheck => ({
      valid: false,
      kind: '',
      nodeName: '',
      authorized: false,
      reason,
      serial: '',
      user: '',
      groups: [],
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
      const node = await findNode(this.read(), clusterId, nodeName);
      if (!node || !verifyNodeCredential(node, fingerprint)) {
        return refuse(
          `the certificate of node ${nodeName} is not its active credential (node removed or credential replaced)`,
          { kind: 'node', nodeName },
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
        user: `system:node:${nodeName}`,
        groups: ['system:nodes'],
      };
    }
    // the admin's or a restricted credential: active by fingerprint (revoked/rotated → refused)
    return this.checkFingerprint(cluster, fingerprint);
  }

  /**
   * A transaction over several decisions (a caller-owned transaction gets no retry from the
   * aggregate handler): a version conflict with a concurrent writer, e.g. a reactor, reruns it.
   */
  private transaction<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    return withVersionRetry(() => this.db.transaction().execute(fn));
  }

  private async run(cluster: ActiveCluster, command: ClusterCommand, trx?: Trx): Promise<ActiveCluster> {
    const result = await this.clusters.handle(clusterStreamId(cluster.spec.clusterId), command, { trx });
    return activeOrRefuse(result.state, cluster.spec.name);
  }

  private async requireKeys(cluster: ActiveCluster): Promise<ClusterKeys> {
    const keys = await this.keys.get(cluster.spec.clusterId);
    if (!keys) throw new IllegalStateError(`the key store has no keys for cluster ${cluster.spec.name}`);
    return keys;
  }

  private renderKubeconfig(
    cluster: ActiveCluster,
    certPem: string,
    keyPem: string,
    revokedSerial: string,
  ): KubeconfigView {
    return {
      clusterId: cluster.spec.clusterId,
      kubeconfigYaml: renderAdminKubeconfig({
        clusterName: cluster.spec.name,
        server: apiServerUrl(this.config, cluster.spec.clusterId),
        caCertPem: cluster.spec.ca.certPem + apiServerTrust(this.config),
        clientCertPem: certPem,
        clientKeyPem: keyPem,
      }),
      credentialSerial: cluster.adminCredential.serial,
      credentialFingerprint: cluster.adminCredential.fingerprint,
      notAfter: cluster.adminCredential.notAfter,
      revokedSerial,
      user: '',
      role: 'cluster-admin',
    };
  }
}

function activeOrRefuse(state: ClusterState, name: string): ActiveCluster {
  if (state.status !== 'active') throw new IllegalStateError(`cluster ${name} is no longer active`);
  return state;
}

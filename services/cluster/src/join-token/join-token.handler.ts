import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  AlreadyExistsError,
  IllegalStateError,
  UnauthenticatedError,
  VersionConflictError,
} from '@edgeplane/es-kit';
import { AggregateHandler, type AnyDb, type EventStore, type Trx } from '@edgeplane/eventstore';
import { CONFIG, DB, EVENT_STORE } from '@edgeplane/service-kit';
import { ReadModel, type ClusterRefInput, type TokenRow } from '../app/read-model.js';
import { KeyStore } from '../app/key-store.js';
import {
  clusterDecider,
  clusterStreamId,
  initialClusterState,
  joinContextOf,
  type ClusterCommand,
  type ClusterEvent,
  type ClusterState,
} from '../cluster/cluster.decider.js';
import type { ClusterConfig } from '../config.js';
import {
  nodeDecider,
  nodeStreamId,
  type NodeCommand,
  type NodeEvent,
  type NodeState,
} from '../node/node.decider.js';
import { signNodeCertificate } from '../pki/pki.js';
import { defaultReferenceData, findTier } from '../reference-data/reference-data.js';
import { CLOCK, type Clock } from '../tokens.js';
import { renderJoinCommand, type JoinCommand } from './join-command.js';
import {
  joinTokenDecider,
  joinTokenStatus,
  joinTokenStreamId,
  type IssuedJoinToken,
  type JoinTokenCommand,
  type JoinTokenEvent,
  type JoinTokenState,
} from './join-token.decider.js';
import {
  formatJoinToken,
  generateTokenSecret,
  hashTokenSecret,
  parseJoinToken,
} from './join-token.secret.js';

export interface CreateTokenInput {
  cluster?: ClusterRefInput | null;
  ttlSeconds?: number;
  containerDir?: string;
  preInstallScript?: string;
  postInstallScript?: string;
}

export interface TokenView extends TokenRow {
  clusterName: string;
  /** active | expired | revoked, against the service clock */
  effectiveStatus: 'active' | 'expired' | 'revoked';
}

export interface RedeemInput {
  token: string;
  nodeName: string;
  csrPem: string;
  arch: string;
  os: string;
  interface: string;
  ips: string[];
  gpuModel?: string | null;
}

export interface RedeemResult {
  clusterId: string;
  nodeName: string;
  certificatePem: string;
  caCertificatePem: string;
  containerDir: string;
  preInstallScript: string;
  postInstallScript: string;
  cordoned: boolean;
  cordonReason: string;
}

const MAX_ATTEMPTS = 4;

/**
 * Join tokens (F-NO-1) and their redemption by a node: token, cluster and node decisions appended
 * in ONE transaction, so the tier's node count can never drift from the nodes that exist.
 */
@Injectable()
export class JoinTokenHandler {
  private readonly tokens: AggregateHandler<JoinTokenState, JoinTokenCommand, JoinTokenEvent>;
  private readonly clusters: AggregateHandler<ClusterState, ClusterCommand, ClusterEvent>;
  private readonly nodes: AggregateHandler<NodeState, NodeCommand, NodeEvent>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DB) private readonly db: AnyDb,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ReadModel) private readonly read: ReadModel,
    @Inject(KeyStore) private readonly keys: KeyStore,
    @Inject(CONFIG) private readonly config: ClusterConfig,
  ) {
    this.tokens = new AggregateHandler(store, joinTokenDecider);
    this.clusters = new AggregateHandler(store, clusterDecider);
    this.nodes = new AggregateHandler(store, nodeDecider);
  }

  async create(input: CreateTokenInput): Promise<{ token: TokenView; tokenText: string; join: JoinCommand }> {
    const cluster = await this.read.resolveCluster(input.cluster);
    const clusterId = cluster.spec.clusterId;
    const tokenId = randomBytes(5).toString('hex');
    const secret = generateTokenSecret();
    const now = this.clock().toISOString();
    const result = await this.tokens.handle(joinTokenStreamId(tokenId), {
      type: 'CreateJoinToken',
      tokenId,
      clusterId,
      secretHash: hashTokenSecret(secret),
      ttlSeconds: input.ttlSeconds || undefined,
      containerDir: input.containerDir,
      preInstallScript: input.preInstallScript || null,
      postInstallScript: input.postInstallScript || null,
      cluster: joinContextOf(cluster, clusterId),
      now,
    });
    const state = result.state as IssuedJoinToken;
    const tokenText = formatJoinToken(tokenId, secret);
    const privateAccess = cluster.access.privateAccess.enabled
      ? {
          apiServerHost: this.config.CLUSTER_PRIVATE_APISERVER_HOST.replaceAll('{clusterId}', clusterId),
          vpcAddress: this.config.CLUSTER_PRIVATE_APISERVER_ADDRESS,
        }
      : undefined;
    const join = renderJoinCommand({
      server: this.config.CLUSTER_PUBLIC_URL,
      token: tokenText,
      containerDir: state.containerDir,
      hasPreInstallScript: state.preInstallScript !== null,
      hasPostInstallScript: state.postInstallScript !== null,
      privateAccess,
    });
    const row = await this.read.findToken(tokenId);
    return { token: this.view(row!, cluster.spec.name), tokenText, join };
  }

  async list(ref: ClusterRefInput | null | undefined): Promise<TokenView[]> {
    const cluster = await this.read.resolveCluster(ref);
    const rows = await this.read.listTokens(cluster.spec.clusterId);
    return rows.map((r) => this.view(r, cluster.spec.name));
  }

  async revoke(tokenId: string): Promise<TokenView> {
    await this.tokens.handle(joinTokenStreamId(tokenId), {
      type: 'RevokeJoinToken',
      tokenId,
      now: this.clock().toISOString(),
    });
    const row = await this.read.findToken(tokenId);
    if (!row) throw new IllegalStateError(`join token ${tokenId} belongs to a deleted cluster`);
    const cluster = await this.read.findCluster(row.clusterId);
    return this.view(row, cluster?.spec.name ?? '');
  }

  /**
   * A node redeems a token, in this order: the token (secret, expiry, revocation, node name),
   * the name free in the cluster, admission against the tier (AdmitNode), JoinNode with that
   * admission, the certificate signed from the node's CSR, IssueNodeCredential — then all of it
   * appended in one transaction. A lost race with another join is retried on fresh state.
   */
  async redeem(input: RedeemInput): Promise<RedeemResult> {
    const parsed = parseJoinToken(input.token ?? '');
    if (!parsed) throw new UnauthenticatedError('the join token is not valid (expected <id>.<secret>)');
    const presentedSecretHash = hashTokenSecret(parsed.secret);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db
          .transaction()
          .execute((trx) => this.redeemIn(trx, parsed.tokenId, presentedSecretHash, input));
      } catch (error) {
        if (error instanceof VersionConflictError && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  private async redeemIn(
    trx: Trx,
    tokenId: string,
    presentedSecretHash: string,
    input: RedeemInput,
  ): Promise<RedeemResult> {
    const now = this.clock().toISOString();
    const nodeName = input.nodeName ?? '';
    const tokenStream = joinTokenStreamId(tokenId);
    // A whole site joins at once with one reusable token: redemptions of a token, and then of a
    // cluster, take turns (transaction-scoped locks, token before cluster) instead of racing on
    // the token's and the cluster's stream versions and failing with ABORTED.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`edgeplane:join-token:${tokenId}`}))`.execute(trx);
    const token = await this.tokens.load(tokenStream, trx);
    const clusterId = token.state.status === 'absent' ? '' : token.state.clusterId;
    if (clusterId)
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`edgeplane:cluster:${clusterId}`}))`.execute(trx);
    const clusterStream = clusterStreamId(clusterId);
    const cluster = clusterId
      ? await this.clusters.load(clusterStream, trx)
      : { state: initialClusterState, version: 0 };

    // 1. The token: secret, revocation, expiry, node-name syntax.
    const tokenEvents = joinTokenDecider.decide(
      {
        type: 'RedeemJoinToken',
        tokenId,
        presentedSecretHash,
        nodeName,
        cluster: joinContextOf(cluster.state, clusterId),
        now,
      },
      token.state,
    );
    const issued = token.state as IssuedJoinToken;
    const clusterState = cluster.state;
    if (clusterState.status !== 'active') throw new IllegalStateError(`cluster ${clusterId} is not active`);

    // 2. The name must be free: a duplicate is refused, never allowed to replace the present node.
    const nodeStream = nodeStreamId(clusterId, nodeName);
    const node = await this.nodes.load(nodeStream, trx);
    if (node.state.status === 'present') {
      throw new AlreadyExistsError(
        'node',
        nodeName,
        `node "${nodeName}" already exists in cluster ${clusterState.spec.name}`,
      );
    }

    // 3. Admission against the tier. A node removed a moment ago may still be counted (its
    //    release is a reaction); settle that first so the name can come back.
    const clusterEvents: ClusterEvent[] = [];
    let admitting: ClusterState = clusterState;
    if (clusterState.nodes.includes(nodeName)) {
      const released = clusterDecider.decide(
        { type: 'RecordNodeRemoved', clusterId, nodeName, now },
        admitting,
      );
      clusterEvents.push(...released);
      admitting = released.reduce<ClusterState>((s, e) => clusterDecider.evolve(s, e), admitting);
    }
    const admittedEvents = clusterDecider.decide({ type: 'AdmitNode', clusterId, nodeName, now }, admitting);
    clusterEvents.push(...admittedEvents);
    const admitted = admittedEvents.find((e) => e.type === 'ClusterNodeAdmitted');
    if (!admitted || admitted.type !== 'ClusterNodeAdmitted') {
      throw new IllegalStateError(`node ${nodeName} is already counted in cluster ${clusterState.spec.name}`);
    }
    const tier = findTier(defaultReferenceData, admitted.data.tier);
    if (!tier) throw new IllegalStateError(`tier ${admitted.data.tier} is not in the reference data`);

    // 4. The node record.
    const joinEvents = nodeDecider.decide(
      {
        type: 'JoinNode',
        clusterId,
        nodeName,
        source: { kind: 'script' },
        tokenId,
        inventory: {
          arch: input.arch,
          os: input.os,
          interface: input.interface,
          ips: input.ips,
          gpuModel: input.gpuModel || null,
        },
        admission: { overCapacity: admitted.data.overCapacity, tier: tier.name, nodeCap: tier.nodes },
        now,
      },
      node.state,
    );
    const joined = joinEvents.reduce<NodeState>((s, e) => nodeDecider.evolve(s, e), node.state);

    // 5. The node's identity, signed from its own CSR (its private key never leaves it).
    const keys = await this.keys.get(clusterId, trx);
    if (!keys) throw new IllegalStateError(`the key store has no CA for cluster ${clusterState.spec.name}`);
    const cert = await signNodeCertificate({
      ca: { certPem: keys.caCertPem, privateKeyPem: keys.caKeyPem },
      csrPem: input.csrPem ?? '',
      nodeName,
      now,
    });
    const credentialEvents = nodeDecider.decide(
      {
        type: 'IssueNodeCredential',
        clusterId,
        nodeName,
        credential: {
          serial: cert.serial,
          fingerprint: cert.fingerprint,
          notBefore: cert.notBefore,
          notAfter: cert.notAfter,
        },
        now,
      },
      joined,
    );

    // 6. One transaction for all three streams.
    await this.store.append(tokenStream, token.version, tokenEvents, { trx });
    await this.store.append(clusterStream, cluster.version, clusterEvents, { trx });
    await this.store.append(nodeStream, node.version, [...joinEvents, ...credentialEvents], { trx });

    const cordon = joinEvents.find((e) => e.type === 'NodeCordoned');
    return {
      clusterId,
      nodeName,
      certificatePem: cert.certPem,
      caCertificatePem: keys.caCertPem,
      containerDir: issued.containerDir,
      preInstallScript: issued.preInstallScript ?? '',
      postInstallScript: issued.postInstallScript ?? '',
      cordoned: cordon !== undefined,
      cordonReason: cordon?.type === 'NodeCordoned' ? cordon.data.reason : '',
    };
  }

  private view(row: TokenRow, clusterName: string): TokenView {
    const now = this.clock().toISOString();
    const effectiveStatus = joinTokenStatus(
      {
        ...row,
        status: row.status,
        secretHash: '',
        preInstallScript: null,
        postInstallScript: null,
      } as IssuedJoinToken,
      now,
    );
    return { ...row, clusterName, effectiveStatus };
  }
}

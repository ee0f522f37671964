import { Inject, Injectable } from '@nestjs/common';
import { IllegalStateError, UnauthenticatedError, ValidationError } from '@edgeplane/es-kit';
import {
  AggregateHandler,
  withVersionRetry,
  type Db,
  type EventStore,
  type Trx,
} from '@edgeplane/eventstore';
import { CONFIG, DB, EVENT_STORE, SCHEMA, type PageRequest } from '@edgeplane/service-kit';
import { clusterDecider, clusterStreamId, type ClusterCommand } from '../cluster/cluster.decider.js';
import { initialClusterState, type ClusterEvent, type ClusterState } from '../cluster/cluster.state.js';
import { joinContextOf } from '../cluster/cluster.views.js';
import type { ClusterConfig } from '../config.js';
import { inSchema, lockForTransaction, type SchemaQueries } from '../db/database.js';
import { nodeDecider, nodeStreamId, type NodeCommand } from '../node/node.decider.js';
import type { NodeEvent, NodeState } from '../node/node.state.js';
import { KeyStore } from '../pki/key-store.js';
import { certificateFacts, signNodeCertificate } from '../pki/pki.js';
import { findCluster, resolveCluster, type ClusterRefInput } from '../read-model/clusters.queries.js';
import { findToken, listTokensPage } from '../read-model/join-tokens.queries.js';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../tokens.js';
import { InstallScriptStore } from './install-scripts.store.js';
import { renderJoinCommand, type JoinCommand } from './join-command.js';
import { installScriptText } from './join-token.decide.js';
import { JoinServer } from './join-server.pins.js';
import { joinTokenDecider, joinTokenStreamId, type JoinTokenCommand } from './join-token.decider.js';
import {
  formatJoinToken,
  generateTokenSecret,
  hashTokenSecret,
  parseJoinToken,
} from './join-token.secret.js';
import type { JoinTokenEvent, JoinTokenState } from './join-token.state.js';
import { tokenView, type JoinTokenSummary, type TokenView } from './join-token.views.js';
import { decideRedemption, type NodeCertificate } from './redemption.decide.js';

export interface CreateTokenInput {
  cluster?: ClusterRefInput | null;
  ttlSeconds?: number;
  containerDir?: string;
  preInstallScript?: string;
  postInstallScript?: string;
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
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(KeyStore) private readonly keys: KeyStore,
    @Inject(CONFIG) private readonly config: ClusterConfig,
    @Inject(JoinServer) private readonly joinServer: JoinServer,
    @Inject(InstallScriptStore) private readonly scripts: InstallScriptStore,
  ) {
    this.tokens = new AggregateHandler(store, joinTokenDecider);
    this.clusters = new AggregateHandler(store, clusterDecider);
    this.nodes = new AggregateHandler(store, nodeDecider);
  }

  private now(): string {
    return this.clock().toISOString();
  }

  private read(trx?: Trx): SchemaQueries {
    return inSchema(trx ?? this.db, this.schema);
  }

  async create(input: CreateTokenInput): Promise<{ token: TokenView; tokenText: string; join: JoinCommand }> {
    const cluster = await resolveCluster(this.read(), input.cluster);
    const clusterId = cluster.spec.clusterId;
    const tokenId = this.ids.tokenId();
    const secret = generateTokenSecret();
    const pre = installScriptText(input.preInstallScript);
    const post = installScriptText(input.postInstallScript);
    // The event carries the scripts' hashes; their text goes to the sealed script store in the
    // same transaction, so a token is never announced without its scripts.
    const result = await withVersionRetry(() =>
      this.db.transaction().execute(async (trx) => {
        const handled = await this.tokens.handle(
          joinTokenStreamId(tokenId),
          {
            type: 'CreateJoinToken',
            tokenId,
            clusterId,
            secretHash: hashTokenSecret(secret),
            ttlSeconds: input.ttlSeconds || undefined,
            containerDir: input.containerDir,
            preInstallScript: pre,
            postInstallScript: post,
            cluster: joinContextOf(cluster, clusterId),
            now: this.now(),
          },
          { trx },
        );
        if (handled.events.length > 0) {
          if (pre !== null) await this.scripts.put(trx, tokenId, clusterId, 'pre', pre);
          if (post !== null) await this.scripts.put(trx, tokenId, clusterId, 'post', post);
        }
        return handled;
      }),
    );
    if (result.state.status === 'absent')
      throw new IllegalStateError(`join token ${tokenId} was not created`);
    const tokenText = formatJoinToken(tokenId, secret);
    const privateAccess = cluster.access.privateAccess.enabled
      ? {
          apiServerHost: this.config.CLUSTER_PRIVATE_APISERVER_HOST.replaceAll('{clusterId}', clusterId),
          vpcAddress: this.config.CLUSTER_PRIVATE_APISERVER_ADDRESS,
        }
      : undefined;
    const join = renderJoinCommand({
      server: this.joinServer.url,
      pins: await this.joinServer.pins(),
      token: tokenText,
      containerDir: result.state.containerDir,
      hasPreInstallScript: result.state.preInstallScript !== null,
      hasPostInstallScript: result.state.postInstallScript !== null,
      privateAccess,
    });
    const summary = await this.requireToken(tokenId);
    return { token: tokenView(summary, cluster.spec.name, this.now()), tokenText, join };
  }

  async list(
    ref: ClusterRefInput | null | undefined,
    page: PageRequest,
  ): Promise<{ items: TokenView[]; nextPageToken: string }> {
    const cluster = await resolveCluster(this.read(), ref);
    const { items, nextPageToken } = await listTokensPage(this.read(), cluster.spec.clusterId, page);
    const now = this.now();
    return { items: items.map((t) => tokenView(t, cluster.spec.name, now)), nextPageToken };
  }

  async revoke(tokenId: string): Promise<TokenView> {
    await this.tokens.handle(joinTokenStreamId(tokenId), {
      type: 'RevokeJoinToken',
      tokenId,
      now: this.now(),
    });
    const summary = await this.requireToken(tokenId);
    const cluster = await findCluster(this.read(), summary.clusterId);
    return tokenView(summary, cluster?.spec.name ?? '', this.now());
  }

  /**
   * A node redeems a token: the three states loaded, the node's certificate signed from its CSR,
   * the pure decision (redemption.decide.ts), and its events appended to the three streams in one
   * statement. A lost race with another writer is retried on fresh state.
   */
  async redeem(input: RedeemInput): Promise<RedeemResult> {
    const parsed = parseJoinToken(input.token ?? '');
    if (!parsed) throw new UnauthenticatedError('the join token is not valid (expected <id>.<secret>)');
    const presentedSecretHash = hashTokenSecret(parsed.secret);
    return withVersionRetry(() =>
      this.db.transaction().execute((trx) => this.redeemIn(trx, parsed.tokenId, presentedSecretHash, input)),
    );
  }

  private async redeemIn(
    trx: Trx,
    tokenId: string,
    presentedSecretHash: string,
    input: RedeemInput,
  ): Promise<RedeemResult> {
    const now = this.now();
    const nodeName = input.nodeName ?? '';
    const tokenStream = joinTokenStreamId(tokenId);
    // A whole site joins at once with one reusable token: redemptions of a token, and then of a
    // cluster, take turns (transaction-scoped locks, token before cluster) instead of racing on
    // the token's and the cluster's stream versions and failing with ABORTED.
    await lockForTransaction(trx, `edgeplane:join-token:${tokenId}`);
    const token = await this.tokens.load(tokenStream, trx);
    const clusterId = token.state.status === 'absent' ? '' : token.state.clusterId;
    if (clusterId) await lockForTransaction(trx, `edgeplane:cluster:${clusterId}`);
    const clusterStream = clusterStreamId(clusterId);
    const cluster = clusterId
      ? await this.clusters.load(clusterStream, trx)
      : { state: initialClusterState, version: 0 };
    const nodeStream = nodeStreamId(clusterId, nodeName);
    const node = await this.nodes.load(nodeStream, trx);
    const signed = await this.signNodeCertificate(trx, clusterId, input.csrPem ?? '', nodeName, now);

    const { token: redeemed, events } = decideRedemption(
      {
        type: 'RedeemJoinTokenForNode',
        tokenId,
        presentedSecretHash,
        nodeName,
        inventory: {
          arch: input.arch,
          os: input.os,
          interface: input.interface,
          ips: input.ips,
          gpuModel: input.gpuModel || null,
        },
        certificate: signed.certificate,
        now,
      },
      { token: token.state, cluster: cluster.state, node: node.state },
    );
    await this.store.appendMany(
      [
        { streamId: tokenStream, expectedVersion: token.version, events: events.token },
        { streamId: clusterStream, expectedVersion: cluster.version, events: events.cluster },
        { streamId: nodeStream, expectedVersion: node.version, events: events.node },
      ],
      { trx },
    );

    const cordon = events.node.flatMap((e) => (e.type === 'NodeCordoned' ? [e.data] : []))[0];
    return {
      clusterId,
      nodeName,
      certificatePem: signed.certPem,
      caCertificatePem: signed.caCertPem,
      containerDir: redeemed.containerDir,
      // only an accepted redemption gets here: the scripts go to that node and nowhere else
      preInstallScript: await this.scripts.get(trx, tokenId, 'pre', redeemed.preInstallScript),
      postInstallScript: await this.scripts.get(trx, tokenId, 'post', redeemed.postInstallScript),
      cordoned: cordon !== undefined,
      cordonReason: cordon?.reason ?? '',
    };
  }

  /**
   * Signs the node's certificate with its cluster's CA before the decision (crypto is async and
   * needs the key store); the decision judges the outcome in its place among the rules, and
   * nothing signed here leaves the service unless the redemption is accepted.
   */
  private async signNodeCertificate(
    trx: Trx,
    clusterId: string,
    csrPem: string,
    nodeName: string,
    now: string,
  ): Promise<{ certificate: NodeCertificate; certPem: string; caCertPem: string }> {
    const keys = clusterId ? await this.keys.get(clusterId, trx) : undefined;
    if (!keys) return { certificate: { status: 'no-ca' }, certPem: '', caCertPem: '' };
    try {
      const cert = await signNodeCertificate({
        ca: { certPem: keys.caCertPem, privateKeyPem: keys.caKeyPem },
        csrPem,
        nodeName,
        now,
      });
      return {
        certificate: { status: 'signed', credential: certificateFacts(cert) },
        certPem: cert.certPem,
        caCertPem: keys.caCertPem,
      };
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return { certificate: { status: 'refused', violations: error.violations }, certPem: '', caCertPem: '' };
    }
  }

  private async requireToken(tokenId: string): Promise<JoinTokenSummary> {
    const summary = await findToken(this.read(), tokenId);
    if (!summary) throw new IllegalStateError(`join token ${tokenId} belongs to a deleted cluster`);
    return summary;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { ValidationError } from '@edgeplane/es-kit';
import { AggregateHandler, type EventStore, type HandleResult, type Trx } from '@edgeplane/eventstore';
import { EVENT_STORE } from '@edgeplane/service-kit';
import type { SchemaQueries } from '../db/database.js';
import type { PortRange } from '../kins/kins.rules.js';
import { hashProxyPassword } from '../kins/proxy-password.js';
import { DEFAULT_UNIT_NAME, type NodeUnitSpecInput } from '../model/node-unit.model.js';
import { hostOf, resolveCluster } from '../read-model/clusters.queries.js';
import { listUnits, unitView, type UnitView } from '../read-model/units.queries.js';
import { worldOf } from '../read-model/world.queries.js';
import { ClusterLock } from '../reconciler/cluster-lock.js';
import { MembershipReconciler } from '../reconciler/membership.reconciler.js';
import { CLOCK, SCHEMA_QUERIES, type Clock } from '../tokens.js';
import {
  nodeUnitDecider,
  nodeUnitStreamId,
  type KinsCommand,
  type NodeUnitCommand,
  type NodeUnitEvent,
  type NodeUnitState,
} from './node-unit.decider.js';
import { activeUnit, type ActiveUnitState } from './node-unit.state.js';
import { takenKinsRanges } from './node-unit.views.js';

/** A unit as the operator addresses it: the cluster by name or id. */
export interface UnitRef {
  cluster: string;
  name: string;
}

export interface PromoteInput extends UnitRef {
  mode: string;
  servers?: string[];
  serviceCidr?: string;
  nodePortRange?: PortRange;
}

export interface PublicAccessInput extends UnitRef {
  enabled: boolean;
  /** plaintext, hashed here before any command exists */
  password: string;
}

export type KinsReport = UnitRef &
  Omit<Extract<KinsCommand, { type: 'ReportKinsStatus' }>, 'type' | 'clusterId' | 'name' | 'now'>;

/**
 * Application service of the NodeUnit aggregate: resolves the cluster, reads the clock and what
 * the decider needs (the cluster's world, the K3s ranges taken), decides and appends under the
 * cluster's lock — and for changes to membership runs the reconciler in the same transaction.
 */
@Injectable()
export class NodeUnitHandler {
  private readonly units: AggregateHandler<NodeUnitState, NodeUnitCommand, NodeUnitEvent>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(SCHEMA_QUERIES) private readonly db: SchemaQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ClusterLock) private readonly lock: ClusterLock,
    @Inject(MembershipReconciler) private readonly reconciler: MembershipReconciler,
  ) {
    this.units = new AggregateHandler(store, nodeUnitDecider);
  }

  /** Load → decide → append on the unit's stream, inside the caller's transaction. */
  decide(trx: Trx, command: NodeUnitCommand): Promise<HandleResult<NodeUnitState>> {
    const name = command.type === 'EnsureDefaultNodeUnit' ? DEFAULT_UNIT_NAME : command.name;
    return this.units.handle(nodeUnitStreamId(command.clusterId, name), command, { trx });
  }

  create(ref: UnitRef, spec: NodeUnitSpecInput): Promise<UnitView> {
    return this.write('CreateNodeUnit', ref, spec);
  }

  update(ref: UnitRef, spec: NodeUnitSpecInput): Promise<UnitView> {
    return this.write('UpdateNodeUnit', ref, spec);
  }

  /** Create and update differ only in the command: decide against the cluster's world, reconcile. */
  private async write(type: 'CreateNodeUnit' | 'UpdateNodeUnit', ref: UnitRef, spec: NodeUnitSpecInput) {
    const { clusterId } = await resolveCluster(this.db, ref.cluster);
    const now = this.now();
    return this.lock.run(clusterId, async (trx, db) => {
      const world = await worldOf(db, clusterId);
      await this.decide(trx, { type, clusterId, name: ref.name, spec, world, now });
      await this.reconciler.reconcile(trx, clusterId, now);
      return unitView(db, clusterId, ref.name);
    });
  }

  async delete(ref: UnitRef): Promise<void> {
    const { clusterId } = await resolveCluster(this.db, ref.cluster);
    const now = this.now();
    await this.lock.run(clusterId, async (trx) => {
      await this.decide(trx, { type: 'DeleteNodeUnit', clusterId, name: ref.name, now });
      await this.reconciler.reconcile(trx, clusterId, now);
    });
  }

  /** Every cluster has the default unit (consumer of ClusterCreated, in its transaction). */
  async ensureDefault(trx: Trx, clusterId: string, now: string): Promise<void> {
    await this.decide(trx, { type: 'EnsureDefaultNodeUnit', clusterId, now });
  }

  async promote(input: PromoteInput): Promise<ActiveUnitState> {
    const cluster = await resolveCluster(this.db, input.cluster);
    const { clusterId } = cluster;
    const now = this.now();
    return this.lock.run(clusterId, async (trx, db) => {
      const { state } = await this.decide(trx, {
        type: 'PromoteNodeUnit',
        clusterId,
        name: input.name,
        now,
        mode: input.mode,
        host: hostOf(cluster),
        taken: takenKinsRanges(await listUnits(db, clusterId)),
        ...(input.serviceCidr !== undefined ? { serviceCidr: input.serviceCidr } : {}),
        ...(input.nodePortRange !== undefined ? { nodePortRange: input.nodePortRange } : {}),
        ...(input.servers !== undefined ? { servers: input.servers } : {}),
      });
      return activeUnit(state, input.name);
    });
  }

  async demote(ref: UnitRef): Promise<ActiveUnitState> {
    const { clusterId } = await resolveCluster(this.db, ref.cluster);
    return this.kins(clusterId, ref.name, (base) => ({ ...base, type: 'DemoteNodeUnit' }));
  }

  /** The password is hashed (bcrypt) before any command exists: plaintext is never stored or emitted. */
  async setPublicAccess(input: PublicAccessInput): Promise<ActiveUnitState> {
    const { clusterId } = await resolveCluster(this.db, input.cluster);
    if (input.enabled && !input.password) {
      throw ValidationError.field('password', 'public access requires an operator-set proxy password');
    }
    const passwordHash = input.enabled ? await hashProxyPassword(input.password) : '';
    return this.kins(clusterId, input.name, (base) =>
      input.enabled
        ? { ...base, type: 'EnableKinsPublicAccess', passwordHash }
        : { ...base, type: 'DisableKinsPublicAccess' },
    );
  }

  /** From the unit's agents: the K3s cluster of a promotion generation is running, failed or gone. */
  async reportKinsStatus({ cluster, name, ...report }: KinsReport): Promise<void> {
    const { clusterId } = await resolveCluster(this.db, cluster);
    await this.kins(clusterId, name, (base) => ({ ...base, ...report, type: 'ReportKinsStatus' }));
  }

  /** One Kins command on one unit, under the cluster's lock; no reconcile (Kins changes no membership). */
  private async kins(
    clusterId: string,
    name: string,
    command: (base: { clusterId: string; name: string; now: string }) => KinsCommand,
  ): Promise<ActiveUnitState> {
    const now = this.now();
    return this.lock.run(clusterId, async (trx) => {
      const { state } = await this.decide(trx, command({ clusterId, name, now }));
      return activeUnit(state, name);
    });
  }

  private now(): string {
    return this.clock().toISOString();
  }
}

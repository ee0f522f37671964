import type { AnyDb, Trx } from '@edgeplane/eventstore';
import { computeUnitStatus } from '../unit-status/unit-status.js';
import type { NodepoolReadModel } from '../read-model/nodepool.read-model.js';
import type { ActiveUnitState } from '../projections/nodepool.projections.js';
import { unitMessage } from './nodepool.mapping.js';

/** NodeUnit messages with their groups and live status (members × latest verdicts). */
export async function unitMessages(
  read: NodepoolReadModel,
  q: AnyDb | Trx,
  clusterId: string,
  units: ActiveUnitState[],
) {
  const [groups, readiness] = await Promise.all([read.groups(q, clusterId), read.readiness(q, clusterId)]);
  return units.map((u) =>
    unitMessage(
      u,
      groups.filter((g) => g.units.includes(u.name)).map((g) => g.name),
      computeUnitStatus(u.members, readiness),
    ),
  );
}

export async function unitMessageOf(
  read: NodepoolReadModel,
  q: AnyDb | Trx,
  clusterId: string,
  name: string,
) {
  const [message] = await unitMessages(read, q, clusterId, [await read.unit(q, clusterId, name)]);
  return message!;
}

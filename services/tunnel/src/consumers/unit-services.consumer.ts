import { Inject, Injectable } from '@nestjs/common';
import { GridApplied, GridDeleted, ServiceEndpointsChanged, type EnvelopeOf } from '@edgeplane/contracts';
import { JetStreamHandler, type HandlerContext } from '@edgeplane/messaging';
import { SCHEMA } from '@edgeplane/service-kit';
import { metaDigest, serviceGridMeta, unitEndpointsOf } from '../gateway/unit-services.js';
import { notifyDirectory } from '../read-model/directory.queries.js';
import {
  deleteServiceGrid,
  nodesInUnits,
  setServiceGrid,
  setUnitEndpoints,
  unitsOfGrid,
} from '../read-model/unit-services.queries.js';

const SERVICE_GRID_EVENTS = [ServiceEndpointsChanged, GridApplied, GridDeleted] as const;

/**
 * ServiceGrids as the agents of each unit resolve them (SPEC F-GR-3): the grid service's
 * per-unit endpoints (ServiceEndpointsChanged) and the Service's name, namespace and ports
 * (GridApplied/GridDeleted of a ServiceGrid), kept per (cluster, grid, unit). All three come from
 * the grid's own stream, so its position orders them: replicas share this durable and may apply
 * two of them at once, in either order — an older event never overwrites a newer row. The nodes
 * of the units concerned are told to reload (their desired state carries the services).
 */
@Injectable()
export class UnitServicesConsumer {
  constructor(@Inject(SCHEMA) private readonly schema: string) {}

  @JetStreamHandler({ durable: 'tunnel__unit-services', events: SERVICE_GRID_EVENTS })
  async onServiceGrid(envelope: EnvelopeOf<typeof SERVICE_GRID_EVENTS>, ctx: HandlerContext): Promise<void> {
    const pos = envelope.streamPosition;
    let units: string[] = [];
    switch (envelope.type) {
      case 'ServiceEndpointsChanged': {
        const d = envelope.data;
        const { endpoints, digest } = unitEndpointsOf(d);
        const applied = await setUnitEndpoints(ctx.trx, this.schema, {
          clusterId: d.clusterId,
          grid: d.name,
          unit: d.unit,
          service: d.service,
          endpoints,
          removed: d.removed,
          digest,
          pos,
        });
        if (applied) units = [d.unit];
        break;
      }
      case 'GridApplied': {
        const d = envelope.data;
        if (d.kind !== 'ServiceGrid') return;
        const { namespace, ports } = serviceGridMeta(d.manifest);
        const service = serviceNameOf(d.name);
        const applied = await setServiceGrid(ctx.trx, this.schema, {
          clusterId: d.clusterId,
          grid: d.name,
          service,
          namespace,
          ports,
          digest: metaDigest(service, namespace, ports),
          pos,
        });
        if (applied) units = await unitsOfGrid(ctx.trx, this.schema, d.clusterId, d.name);
        break;
      }
      case 'GridDeleted': {
        const d = envelope.data;
        if (d.kind !== 'ServiceGrid') return;
        units = await unitsOfGrid(ctx.trx, this.schema, d.clusterId, d.name);
        const applied = await deleteServiceGrid(ctx.trx, this.schema, {
          clusterId: d.clusterId,
          grid: d.name,
          service: serviceNameOf(d.name),
          pos,
        });
        if (!applied) units = [];
        break;
      }
    }
    if (units.length === 0) return;
    const clusterId = envelope.data.clusterId;
    const nodes = await nodesInUnits(ctx.trx, this.schema, clusterId, units);
    if (nodes.length > 0) await notifyDirectory(ctx.trx, this.schema, clusterId, nodes);
  }
}

/**
 * The Service a ServiceGrid renders is `<grid>-svc` (SuperEdge). GridApplied does not carry it;
 * the endpoint rows do (ServiceEndpointsChanged.service), and they win when both are known —
 * this is only the name a grid without endpoint rows yet is stored under.
 */
function serviceNameOf(grid: string): string {
  return `${grid}-svc`;
}

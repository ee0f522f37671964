import type { Metadata } from '@grpc/grpc-js';
import { currentActor } from '@edgeplane/observability';
import type { EdgeplaneHealthV1 } from '@edgeplane/proto';
import { z } from 'zod';
import type { HealthConfigView } from '../read-model/settings.queries.js';

/** Settings ↔ edgeplane.health.v1 messages (field names as proto-loader hands them over: camelCase). */

/** A cluster as every HealthService request names it: its name or its id. */
export const ClusterRef = z.string().trim().min(1, 'names the cluster (its name or id)');

/**
 * proto3 `optional`: present only when its synthetic oneof names it (proto-loader `oneofs:
 * true`). Unvalidated: the request schema checks the value.
 */
export function present(request: Record<string, unknown>, field: string): unknown {
  const oneof = request[`_${field}`];
  if (oneof !== undefined) return oneof === field ? request[field] : undefined;
  return request[field];
}

/**
 * Who makes a change: the authenticated caller (the service kit's access interceptor); the
 * request's `actor` and the `edgeplane-actor` metadata only where no call is being served (a
 * client-supplied string never names the actor of an authenticated call).
 */
export function actorOf(requested: string, metadata?: Metadata): string {
  const authenticated = currentActor();
  if (authenticated) return authenticated;
  if (requested.trim() !== '') return requested.trim();
  const fromMd = metadata?.get?.('edgeplane-actor')?.[0];
  return typeof fromMd === 'string' && fromMd.trim() !== '' ? fromMd.trim() : 'anonymous';
}

export function healthConfigMessage(c: HealthConfigView): EdgeplaneHealthV1.HealthConfig {
  return {
    clusterId: c.clusterId,
    multiRegion: c.settings.multiRegion,
    noEviction: c.settings.noEviction,
    graceSeconds: c.settings.graceSeconds,
    voteTtlSeconds: c.settings.voteTtlSeconds,
    disabledUnits: [...c.settings.disabledUnits],
    changedBy: c.changedBy,
    changedAt: c.changedAt,
  };
}

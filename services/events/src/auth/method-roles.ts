import { currentActor } from '@edgeplane/observability';

/**
 * The role each method of edgeplane.events.v1.EventService needs (the service kit's access
 * interceptor reads it: `ServiceDefinition.access`). subscriber < view < edit < cluster-admin: a
 * higher role may do what a lower one may. A credential limited to some clusters (OU
 * `cluster:<id>`) is refused by the interceptor here, since these requests name no top-level
 * cluster; reading events of only its clusters is not offered yet.
 */
export const EVENTS_METHOD_ROLES: Readonly<Record<string, 'subscriber' | 'view' | 'edit'>> = {
  'edgeplane.events.v1.EventService/Subscribe': 'subscriber',
  'edgeplane.events.v1.EventService/GetEvent': 'subscriber',
  'edgeplane.events.v1.EventService/CreateWebhook': 'edit',
  'edgeplane.events.v1.EventService/DeleteWebhook': 'edit',
  'edgeplane.events.v1.EventService/Redeliver': 'edit',
  'edgeplane.events.v1.EventService/ListWebhooks': 'view',
  'edgeplane.events.v1.EventService/ListDeliveries': 'view',
};

/**
 * The clusters the caller may read events of, undefined = all: a caller limited to some clusters
 * does not get past the interceptor (see above), so every caller served here may read all.
 */
export function callerClusters(): ReadonlySet<string> | undefined {
  return undefined;
}

/** Who the caller is, for `created_by`: the actor the access interceptor set (`user:alice`). */
export function callerName(): string {
  return currentActor() ?? 'anonymous';
}

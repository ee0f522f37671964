import type { AccessTable } from '@edgeplane/service-kit';

/**
 * The role each method of edgeplane.events.v1.EventService needs (the service kit's access
 * interceptor reads it: `ServiceDefinition.access`). subscriber < view < edit < cluster-admin: a
 * higher role may do what a lower one may. Every method serves a credential limited to some
 * clusters (OU `cluster:<id>`) itself (`clusters: 'handler'`): Subscribe and GetEvent only events
 * of those clusters, webhooks only those filtered to one of them (a request naming another
 * cluster is PERMISSION_DENIED naming it; another cluster's webhook or event is NOT_FOUND).
 */
const scoped = (role: 'subscriber' | 'view' | 'edit') => ({ role, clusters: 'handler' as const });

export const EVENTS_ACCESS: AccessTable = {
  'edgeplane.events.v1.EventService/Subscribe': scoped('subscriber'),
  'edgeplane.events.v1.EventService/GetEvent': scoped('subscriber'),
  'edgeplane.events.v1.EventService/CreateWebhook': scoped('edit'),
  'edgeplane.events.v1.EventService/DeleteWebhook': scoped('edit'),
  'edgeplane.events.v1.EventService/Redeliver': scoped('edit'),
  'edgeplane.events.v1.EventService/ListWebhooks': scoped('view'),
  'edgeplane.events.v1.EventService/ListDeliveries': scoped('view'),
};

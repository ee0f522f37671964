/**
 * The role each method of edgeplane.events.v1.EventService needs (the service kit's access
 * interceptor reads it: `ServiceDefinition.access`). subscriber < view < edit < cluster-admin: a
 * higher role may do what a lower one may. A credential limited to some clusters (OU
 * `cluster:<id>`) is refused by the interceptor here, since these requests name no top-level
 * cluster; reading events of only its clusters is not offered yet.
 */
export const EVENTS_ACCESS: Readonly<Record<string, 'subscriber' | 'view' | 'edit'>> = {
  'edgeplane.events.v1.EventService/Subscribe': 'subscriber',
  'edgeplane.events.v1.EventService/GetEvent': 'subscriber',
  'edgeplane.events.v1.EventService/CreateWebhook': 'edit',
  'edgeplane.events.v1.EventService/DeleteWebhook': 'edit',
  'edgeplane.events.v1.EventService/Redeliver': 'edit',
  'edgeplane.events.v1.EventService/ListWebhooks': 'view',
  'edgeplane.events.v1.EventService/ListDeliveries': 'view',
};

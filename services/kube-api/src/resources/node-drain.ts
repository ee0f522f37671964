import { authorize, type RequestAttributes } from '../auth/authorize.js';
import { ApiError, badRequest } from '../http/status.js';
import { nodesResource } from './nodes.js';
import type { KubeObject, RequestContext } from './resource.js';

/**
 * `POST nodes/{name}/drain` — the cluster service's DrainNode (cordon + ask the grid service to
 * move the node's pods away), which kubectl reaches by evicting pod after pod; here pods follow
 * their grid, so the drain is one command. Body optional: `{"gracePeriodSeconds": 0–3600}`
 * (default 30). Answers the Node (`spec.unschedulable`, annotation `edgeplane.io/draining`).
 * Progress is the node's pods going away: a watch of `pods?fieldSelector=spec.nodeName=<name>`.
 * Authorized as `create nodes/drain` (edit and cluster-admin; view and nodes are refused).
 */
export const NODE_DRAIN = 'drain';

export function drainAttributes(name: string): RequestAttributes {
  return { verb: 'create', group: '', resource: 'nodes', subresource: NODE_DRAIN, name };
}

/** The body's grace period: absent → the owner's default; else a whole number 0–3600. */
export function drainGracePeriod(body: unknown): number | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'object' || Array.isArray(body))
    throw badRequest('the drain body must be a JSON object: {"gracePeriodSeconds": N}');
  const unknown = Object.keys(body).filter((k) => !['gracePeriodSeconds', 'kind', 'apiVersion'].includes(k));
  if (unknown.length)
    throw badRequest(`unknown field(s) in the drain body: ${unknown.slice(0, 5).join(', ')}`);
  const g = (body as { gracePeriodSeconds?: unknown }).gracePeriodSeconds;
  if (g === undefined) return undefined;
  if (typeof g !== 'number' || !Number.isInteger(g) || g < 0 || g > 3600)
    throw badRequest(
      `gracePeriodSeconds: must be a whole number of seconds 0–3600, got ${JSON.stringify(g)}`,
    );
  return g;
}

export async function drainNode(ctx: RequestContext, name: string, body: unknown): Promise<KubeObject> {
  const forbidden = authorize(ctx.identity, drainAttributes(name));
  if (forbidden) throw forbidden;
  const gracePeriodSeconds = drainGracePeriod(body);
  const node = { cluster: { id: ctx.clusterId }, name };
  const existing = await ctx.upstream.getNode({ node });
  if (!existing.node)
    throw new ApiError(404, 'NotFound', `nodes "${name}" not found`, { name, kind: 'nodes' });
  await ctx.upstream.drainNode({
    node,
    ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}),
  });
  return nodesResource.get(ctx, name);
}

import { z } from 'zod';

/**
 * Request shapes every grid controller shares. They only check shapes (proto-loader already typed
 * the wire; the input guard bounded every string); the domain parser validates manifests with
 * field paths.
 */
export const ClusterField = z.string().min(1, 'is required (the cluster name or id)');
export const NameField = z.string().min(1, 'is required');

export const RefRequest = z.object({ cluster: ClusterField, name: NameField });

export const ApplyRequest = z.object({
  cluster: ClusterField,
  yaml: z.string().min(1, 'is required (one or more superedge.io/v1 grid documents)'),
  dryRun: z.boolean().default(false),
});

export const ListGridsRequest = z.object({
  cluster: ClusterField,
  kind: z.enum(['', 'DeploymentGrid', 'StatefulSetGrid', 'ServiceGrid']).default(''),
  pageToken: z.string().default(''),
  pageSize: z.number().int().default(0),
});

export const RenderRequest = RefRequest.extend({ unit: z.string().default('') });

export const ListPodsRequest = z.object({
  cluster: ClusterField,
  grid: z.string().default(''),
  unit: z.string().default(''),
  node: z.string().default(''),
  pageToken: z.string().default(''),
  pageSize: z.number().int().default(0),
});

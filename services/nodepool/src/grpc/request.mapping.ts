import { z } from 'zod';
import type { LabelSelector, LabelSelectorInput } from '../shared/label-selector.js';

/**
 * Proto ↔ domain pieces every nodepool controller shares. Request schemas only check shapes
 * (proto-loader already typed the wire); the deciders validate meaning (names, label syntax,
 * rules) with field paths.
 */
export const StringMap = z.record(z.string(), z.string()).default({});
export const Strings = z.array(z.string()).default([]);

export const ClusterField = z.string().min(1, 'is required (the cluster name or id)');
export const NameField = z.string().min(1, 'is required');

/** `{cluster, name}`: Get/Delete of a unit or group. */
export const RefRequest = z.object({ cluster: ClusterField, name: NameField });

/** `{cluster, pageToken, pageSize}`: List of units or groups. */
export const ListRequest = z.object({
  cluster: ClusterField,
  pageToken: z.string().default(''),
  pageSize: z.number().int().default(0),
});

export const SelectorMessage = z
  .object({
    matchLabels: StringMap,
    matchExpressions: z
      .array(z.object({ key: z.string(), operator: z.string(), values: Strings }))
      .default([]),
  })
  .nullish();

export function selectorInput(s: z.infer<typeof SelectorMessage>): LabelSelectorInput | undefined {
  if (!s) return undefined;
  return { matchLabels: s.matchLabels, matchExpressions: s.matchExpressions };
}

export function selectorMessage(s: LabelSelector | undefined) {
  return s ? { matchLabels: s.matchLabels, matchExpressions: s.matchExpressions } : null;
}

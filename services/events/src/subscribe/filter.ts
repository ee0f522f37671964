import { isPublicEvent } from '@edgeplane/contracts';
import { z } from 'zod';

const name = z
  .string()
  .max(253)
  .regex(/^[A-Za-z0-9._:-]*$/, 'letters, digits, ".", "_", ":" and "-" only');

/** edgeplane.events.v1.EventFilter: public types only, ids and names bounded. */
export const EventFilterSchema = z
  .object({
    types: z
      .array(
        z.string().refine((t) => isPublicEvent(t), {
          message: 'is not a public event type (see the catalogue, docs/events/asyncapi.yaml)',
        }),
      )
      .max(100)
      .default([]),
    cluster: name.default(''),
    node: name.default(''),
    unit: name.default(''),
  })
  .nullish()
  .transform((f) => ({
    types: [...new Set(f?.types ?? [])],
    cluster: f?.cluster ?? '',
    node: f?.node ?? '',
    unit: f?.unit ?? '',
  }));

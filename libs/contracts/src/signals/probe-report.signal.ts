import { z } from 'zod';
import { defineSignal, SubjectTokenId } from './define-signal.js';

/** Upper bound of results in one report; one report must hold one whole probe round (see below). */
export const MAX_PROBE_RESULTS = 10_000;

/**
 * ProbeReport — node A's view of its peers after one probe round (SPEC F-HE-1, peer view; SuperEdge
 * edge-health's "check results"). The agent probes every peer of its check scope (port 51005) each
 * probe period (default 10 s) and sends ONE report per round up its tunnel; the gateway publishes
 * it to `signalSubject('probe', clusterId)`. Consumed by the health-arbiter.
 * Invariants: `reporter` is the node name as authenticated by the gateway; a report holds a whole
 * round (it is never split: the arbiter treats a reporter whose latest report has no healthy peer
 * as isolated and lets it abstain); the arbiter stamps every result with the JetStream receipt
 * time of the message — `sentAt` and `probedAt` are the agent's clock and informational only;
 * results about the reporter itself or about nodes outside its check scope are ignored.
 */
export const ProbeReport = defineSignal({
  kind: 'probe',
  version: 1,
  publisher: 'tunnel',
  consumer: 'health-arbiter',
  schema: z.object({
    v: z.literal(1),
    clusterId: SubjectTokenId,
    reporter: z.string().min(1).max(253),
    /** Agent clock, ISO-8601. Informational only. */
    sentAt: z.string().optional(),
    results: z
      .array(
        z.object({
          peer: z.string().min(1).max(253),
          healthy: z.boolean(),
          /** Agent clock, ISO-8601. Informational only. */
          probedAt: z.string().optional(),
        }),
      )
      .max(MAX_PROBE_RESULTS),
  }),
});
export type ProbeReportData = z.infer<typeof ProbeReport.schema>;
export type ProbeResult = ProbeReportData['results'][number];

import {
  catalogue,
  isPublicEvent,
  publicEventScope,
  streamOfSubject,
  type Envelope,
  type StreamDeclaration,
} from '@edgeplane/contracts';

/**
 * Where public events are read: the JetStream streams (one per emitting service) holding at
 * least one public event type. Each is totally ordered by its sequence; nothing orders events of
 * different sources, so a position in "all public events" is a sequence per source.
 */
export function publicSources(): StreamDeclaration[] {
  const out = new Map<string, StreamDeclaration>();
  for (const def of catalogue.all())
    if (isPublicEvent(def.type)) {
      const stream = streamOfSubject(def.subject);
      out.set(stream.name, stream);
    }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export interface EventFilter {
  /** public types; empty = all */
  types: string[];
  /** cluster id; '' = any */
  cluster: string;
  node: string;
  unit: string;
}

/** Public event types known to the catalogue (every version). */
export function publicTypes(): string[] {
  return [...new Set(catalogue.all().map((d) => d.type))].filter(isPublicEvent).sort();
}

/**
 * The sources a filter reads and, per source, the narrowest one filter subject (NATS 2.9 takes
 * one): the single subject when the filter's types of that source share it, else the stream's.
 */
export function sourcePlan(filter: EventFilter): { source: StreamDeclaration; filterSubject: string }[] {
  const types = filter.types.length > 0 ? new Set(filter.types) : undefined;
  const plan: { source: StreamDeclaration; filterSubject: string }[] = [];
  for (const source of publicSources()) {
    const subjects = new Set(
      catalogue
        .all()
        .filter((d) => isPublicEvent(d.type) && (!types || types.has(d.type)))
        .filter((d) => streamOfSubject(d.subject).name === source.name)
        .map((d) => d.subject),
    );
    if (subjects.size === 0) continue;
    plan.push({
      source,
      filterSubject: subjects.size === 1 ? [...subjects][0]! : source.subjects[0]!,
    });
  }
  return plan;
}

/**
 * Whether a (decoded, upcast) event passes: public, of a wanted type, about the wanted
 * cluster/node/unit, and inside the clusters the caller may read (`allowedClusters` undefined =
 * all).
 */
export function matches(
  envelope: Pick<Envelope, 'type' | 'data'>,
  filter: EventFilter,
  allowedClusters?: ReadonlySet<string>,
): boolean {
  const scope = publicEventScope(envelope.type, envelope.data);
  if (!scope) return false;
  if (filter.types.length > 0 && !filter.types.includes(envelope.type)) return false;
  if (filter.cluster && scope.clusterId !== filter.cluster) return false;
  if (allowedClusters && !allowedClusters.has(scope.clusterId)) return false;
  if (filter.node && !scope.nodes.includes(filter.node)) return false;
  if (filter.unit && !scope.units.includes(filter.unit)) return false;
  return true;
}

import { Alert, Title } from '@patternfly/react-core';
import { Link, useParams } from 'react-router';
import { LiveBadge } from '../NodesPage';
import { EventRows } from './EventsPage';
import { useEvents, type EventFilter } from './events';

/**
 * The event timeline of one object (the node page's "Events"), newest first, live: a Node's
 * includes what is about it elsewhere (its units' membership changes, its pods' placements);
 * any other kind, the events whose involved object it is. Links to the events view with the
 * same filter.
 */
export function EventTimeline({ kind, name }: { kind: string; name: string }) {
  const { clusterId = '' } = useParams();
  const filter: EventFilter =
    kind === 'Node'
      ? { node: name, since: '7d' }
      : kind === 'NodeUnit'
        ? { unit: name, since: '7d' }
        : { kind, name, since: '7d' };
  const { events, error, isPending, live, hasNextPage, fetchNextPage, isFetchingNextPage } = useEvents(
    clusterId,
    filter,
    20,
  );
  const more = new URLSearchParams({
    ...(filter.node ? { node: filter.node } : {}),
    ...(filter.unit ? { unit: filter.unit } : {}),
    since: '7d',
  });
  return (
    <section data-testid="event-timeline" aria-label={`Events of ${kind} ${name}`}>
      <Title headingLevel="h2" size="lg">
        Events <LiveBadge live={live} />{' '}
        <Link to={`/clusters/${encodeURIComponent(clusterId)}/events?${more}`} style={{ fontSize: 14 }}>
          all events
        </Link>
      </Title>
      {error && (
        <Alert variant="danger" title="The kube API refused the events list" isInline>
          {error.message}
        </Alert>
      )}
      {isPending ? (
        <p>Loading…</p>
      ) : (
        <EventRows
          clusterId={clusterId}
          events={events}
          hasMore={!!hasNextPage}
          loading={isFetchingNextPage}
          loadMore={() => void fetchNextPage()}
          compact
        />
      )}
    </section>
  );
}

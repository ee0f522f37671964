import {
  Alert,
  Button,
  FormSelect,
  FormSelectOption,
  Label,
  PageSection,
  TextInput,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { LiveBadge } from '../NodesPage';
import { ago, eventTime, useEvents, type EventFilter, type KubeEvent } from './events';

/** The domain event types that are Events (services/kube-api src/events/event-mapping.ts), for the type filter. */
export const EVENT_REASONS = [
  'ClusterCreated',
  'NodeJoined',
  'NodeRemoved',
  'NodeCordoned',
  'NodeUncordoned',
  'NodeLabelsChanged',
  'NodeTaintsChanged',
  'NodeDrainRequested',
  'NodeVerdictChanged',
  'NodeEvictionRequested',
  'NodeUnitCreated',
  'NodeUnitUpdated',
  'NodeUnitDeleted',
  'NodeUnitMembersChanged',
  'NodeUnitUpgradedToK3s',
  'NodeUnitDemotedFromK3s',
  'KinsClusterFailed',
  'NodeGroupCreated',
  'NodeGroupUpdated',
  'NodeGroupDeleted',
  'NodeGroupUnitsChanged',
  'GridApplied',
  'GridDeleted',
  'RolloutWaveStarted',
  'RolloutWaveCompleted',
  'RolloutWaveHalted',
  'RolloutProgressed',
  'RolloutPaused',
  'RolloutResumed',
  'RolloutUndone',
  'PodScheduled',
  'PodUnscheduled',
];

const RANGES: [string, string][] = [
  ['15m', 'Last 15 minutes'],
  ['1h', 'Last hour'],
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
  ['custom', 'Custom (since / until)'],
];
const FIELDS = ['node', 'unit', 'grid', 'reason', 'type', 'since', 'until'] as const;

/** The filter in the URL query: /clusters/<id>/events?node=bj-1&type=Warning&since=1h */
function filterOf(params: URLSearchParams): EventFilter {
  const f: EventFilter = {};
  for (const k of FIELDS) {
    const v = params.get(k);
    if (v) f[k] = v;
  }
  return f;
}

/** Where an event's object lives in the console. */
export function objectLink(clusterId: string, e: KubeEvent): string | undefined {
  const base = `/clusters/${encodeURIComponent(clusterId)}`;
  const o = e.involvedObject;
  if (o.kind === 'Node') return `${base}/nodes/${encodeURIComponent(o.name)}`;
  if (o.kind === 'NodeUnit') return `${base}/nodeunits/${encodeURIComponent(o.name)}`;
  if (o.kind === 'NodeGroup') return `${base}/nodegroups/${encodeURIComponent(o.name)}`;
  if (o.kind.endsWith('Grid')) return `${base}/grids/${o.kind}/${encodeURIComponent(o.name)}`;
  return undefined;
}

export function TypeLabel({ type }: { type: string }) {
  return (
    <Label color={type === 'Warning' ? 'orange' : 'blue'} isCompact>
      {type}
    </Label>
  );
}

/** The rows of an event table, older pages loaded when the last row scrolls into view. */
export function EventRows({
  clusterId,
  events,
  hasMore,
  loadMore,
  loading,
  compact,
}: {
  clusterId: string;
  events: KubeEvent[];
  hasMore: boolean;
  loadMore: () => void;
  loading: boolean;
  compact?: boolean;
}) {
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasMore) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((x) => x.isIntersecting) && !loading) loadMore();
    });
    io.observe(el);
    return () => io.disconnect();
  }, [hasMore, loading, loadMore]);
  const now = Date.now();
  return (
    <>
      <Table aria-label="Events" variant="compact" data-testid="events-table">
        <Thead>
          <Tr>
            <Th width={15}>Time</Th>
            <Th width={10}>Type</Th>
            <Th width={15}>Reason</Th>
            {!compact && <Th width={15}>Object</Th>}
            <Th>Message</Th>
          </Tr>
        </Thead>
        <Tbody>
          {events.map((e) => {
            const link = objectLink(clusterId, e);
            const object = `${e.involvedObject.kind}/${e.involvedObject.name}`;
            return (
              <Tr key={e.metadata.name} data-testid="event-row" data-reason={e.reason} data-object={object}>
                <Td dataLabel="Time">
                  <time dateTime={eventTime(e)} title={eventTime(e)}>
                    {ago(eventTime(e), now)}
                  </time>
                </Td>
                <Td dataLabel="Type">
                  <TypeLabel type={e.type} />
                </Td>
                <Td dataLabel="Reason">{e.reason}</Td>
                {!compact && <Td dataLabel="Object">{link ? <Link to={link}>{object}</Link> : object}</Td>}
                <Td dataLabel="Message" modifier="breakWord">
                  {e.message}
                </Td>
              </Tr>
            );
          })}
        </Tbody>
      </Table>
      <div ref={sentinel} style={{ padding: 8 }}>
        {hasMore ? (
          <Button variant="link" onClick={loadMore} isLoading={loading} data-testid="events-older">
            Older events
          </Button>
        ) : (
          <span style={{ color: 'var(--pf-t--global--text--color--subtle)' }} data-testid="events-end">
            {events.length ? 'No older events in this range.' : 'No events in this range.'}
          </span>
        )}
      </div>
    </>
  );
}

export function EventsPage() {
  const { clusterId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const filter = filterOf(params);
  const range =
    filter.until || (filter.since && !RANGES.some(([v]) => v === filter.since))
      ? 'custom'
      : (filter.since ?? '24h');
  const [draft, setDraft] = useState<EventFilter>(filter);
  const [custom, setCustom] = useState(range === 'custom');
  // the URL is the truth: back/forward and a pasted link set the form
  const query = params.toString();
  useEffect(() => {
    setDraft(filterOf(new URLSearchParams(query)));
  }, [query]);
  // page size (10–500, default 100): `limit` in the URL
  const limit = Math.min(500, Math.max(10, Number(params.get('limit')) || 100));
  const { events, error, isPending, live, hasNextPage, fetchNextPage, isFetchingNextPage } = useEvents(
    clusterId,
    { ...filter, since: filter.since ?? (filter.until ? undefined : '24h') },
    limit,
  );
  const apply = (next: EventFilter) => {
    const p = new URLSearchParams();
    for (const k of FIELDS) {
      const v = next[k]?.trim();
      if (v) p.set(k, v);
    }
    if (params.get('limit')) p.set('limit', params.get('limit')!);
    setParams(p);
  };
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    apply(draft);
  };
  const text = (k: 'node' | 'unit' | 'grid' | 'since' | 'until', label: string, placeholder: string) => (
    <ToolbarItem>
      <TextInput
        aria-label={label}
        placeholder={placeholder}
        value={draft[k] ?? ''}
        onChange={(_e, v) => setDraft({ ...draft, [k]: v })}
        data-testid={`filter-${k}`}
        style={{ width: k === 'since' || k === 'until' ? 200 : 130 }}
      />
    </ToolbarItem>
  );
  return (
    <PageSection>
      <Title headingLevel="h1" size="xl">
        Events <LiveBadge live={live} />
      </Title>
      <form onSubmit={submit} aria-label="Filter events">
        <Toolbar>
          <ToolbarContent>
            {text('node', 'Node', 'node')}
            {text('unit', 'NodeUnit', 'unit')}
            {text('grid', 'Grid', 'grid')}
            <ToolbarItem>
              <FormSelect
                aria-label="Event type"
                value={draft.reason ?? ''}
                onChange={(_e, v) => apply({ ...draft, reason: v })}
                data-testid="filter-reason"
                style={{ width: 210 }}
              >
                <FormSelectOption value="" label="Any event type" />
                {EVENT_REASONS.map((r) => (
                  <FormSelectOption key={r} value={r} label={r} />
                ))}
              </FormSelect>
            </ToolbarItem>
            <ToolbarItem>
              <FormSelect
                aria-label="Normal or Warning"
                value={draft.type ?? ''}
                onChange={(_e, v) => apply({ ...draft, type: v })}
                data-testid="filter-type"
                style={{ width: 170 }}
              >
                <FormSelectOption value="" label="Normal + Warning" />
                <FormSelectOption value="Normal" label="Normal" />
                <FormSelectOption value="Warning" label="Warning" />
              </FormSelect>
            </ToolbarItem>
            <ToolbarItem>
              <FormSelect
                aria-label="Time range"
                value={custom ? 'custom' : range}
                onChange={(_e, v) => {
                  if (v === 'custom') return setCustom(true);
                  setCustom(false);
                  apply({ ...draft, since: v === '24h' ? '' : v, until: '' });
                }}
                data-testid="filter-range"
                style={{ width: 190 }}
              >
                {RANGES.map(([v, l]) => (
                  <FormSelectOption key={v} value={v} label={l} />
                ))}
              </FormSelect>
            </ToolbarItem>
            {custom && text('since', 'Since', 'since: 2h or 2026-11-28T18:00:00Z')}
            {custom && text('until', 'Until', 'until: RFC 3339 time')}
            <ToolbarItem>
              <Button type="submit" variant="primary" data-testid="filter-apply">
                Apply
              </Button>
            </ToolbarItem>
            <ToolbarItem>
              <Button
                variant="link"
                onClick={() => {
                  setCustom(false);
                  apply({});
                }}
              >
                Clear
              </Button>
            </ToolbarItem>
            <ToolbarItem align={{ default: 'alignEnd' }} data-testid="events-count">
              {events.length} event{events.length === 1 ? '' : 's'}
              {hasNextPage ? ' (older ones on scroll)' : ''}
            </ToolbarItem>
          </ToolbarContent>
        </Toolbar>
      </form>
      {error && (
        <Alert
          variant="danger"
          title="The kube API refused the events list"
          isInline
          data-testid="events-error"
        >
          {error.message}
        </Alert>
      )}
      {isPending ? (
        <p>Loading…</p>
      ) : (
        <div style={{ overflowX: 'auto' }}>
          <EventRows
            clusterId={clusterId}
            events={events}
            hasMore={!!hasNextPage}
            loading={isFetchingNextPage}
            loadMore={() => void fetchNextPage()}
          />
        </div>
      )}
    </PageSection>
  );
}

import {
  Alert,
  Label,
  PageSection,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
  SearchInput,
} from '@patternfly/react-core';
import { Table, Tbody, Th, Thead, Tr } from '@patternfly/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { AddNodeButton } from './clusters/AddNodeDialog';
import {
  age,
  nodeRoles,
  nodeStatus,
  nodeUnits,
  taintText,
  useNodes,
  type KubeNode,
  type LiveState,
} from './nodes';

const ROW_HEIGHT = 44;
const TR = 'pf-v6-c-table__tr';
const TD = 'pf-v6-c-table__td';
const TD_TRUNCATE = 'pf-v6-c-table__td pf-m-truncate';

export function LiveBadge({ live }: { live: LiveState }) {
  const color = live === 'live' ? 'green' : live === 'reconnecting' ? 'orange' : 'grey';
  return (
    <Label color={color} data-testid="live-state">
      {live === 'live' ? 'Live' : live === 'reconnecting' ? 'Reconnecting…' : 'Connecting…'}
    </Label>
  );
}

/**
 * PatternFly's compact Label as plain markup (its classes, PatternFly 6): the Label component
 * measures its text in a layout effect (a forced layout per label), too dear for rows that mount
 * on every frame of a scroll.
 */
function RowLabel({ color, children }: { color?: 'green' | 'red' | 'orange'; children: string }) {
  return (
    <span className={`pf-v6-c-label${color ? ` pf-m-${color}` : ''} pf-m-filled pf-m-compact`}>
      <span className="pf-v6-c-label__content">
        <span className="pf-v6-c-label__text">{children}</span>
      </span>
    </span>
  );
}

function StatusLabel({ status }: { status: string }) {
  const [ready, ...rest] = status.split(',');
  const color = ready === 'Ready' ? 'green' : ready === 'NotReady' ? 'red' : undefined;
  return (
    <>
      <RowLabel color={color}>{ready}</RowLabel>
      {rest.map((r) => (
        <span key={r} style={{ marginLeft: 4 }}>
          <RowLabel color="orange">{r}</RowLabel>
        </span>
      ))}
    </>
  );
}

/**
 * One row, redrawn only when its node object (a watch event replaces it), its cluster or its AGE
 * text change: while scrolling, the rows that stay in view are not rendered again.
 */
const NodeRow = memo(function NodeRow({
  node,
  clusterId,
  ageText,
}: {
  node: KubeNode;
  clusterId: string;
  ageText: string;
}) {
  const name = node.metadata.name;
  // one line per row (truncated, full text on hover): the virtual rows have one height
  const units = nodeUnits(node);
  const taints = (node.spec?.taints ?? []).map(taintText).join(', ') || '<none>';
  // plain <tr>/<td> with PatternFly's table classes: its Td measures every cell in an effect (a
  // forced layout per cell); the truncated cells show their full text on hover (title)
  return (
    <tr className={TR} style={{ height: ROW_HEIGHT }} data-testid={`node-row-${name}`}>
      <td className={TD} data-label="Name">
        <Link to={`/clusters/${encodeURIComponent(clusterId)}/nodes/${encodeURIComponent(name)}`}>
          {name}
        </Link>
      </td>
      <td className={TD} data-label="Status">
        <StatusLabel status={nodeStatus(node)} />
      </td>
      <td className={TD} data-label="Roles">
        {nodeRoles(node)}
      </td>
      <td className={TD_TRUNCATE} data-label="Unit" title={units}>
        {units}
      </td>
      <td className={TD_TRUNCATE} data-label="Taints" title={taints}>
        {taints}
      </td>
      <td className={TD} data-label="Age">
        {ageText}
      </td>
      <td className={TD} data-label="Version">
        {node.status?.nodeInfo?.kubeletVersion ?? ''}
      </td>
    </tr>
  );
});

const NodesHead = memo(function NodesHead() {
  return (
    <Thead>
      <Tr>
        <Th width={20}>Name</Th>
        <Th width={15}>Status</Th>
        <Th width={10}>Roles</Th>
        <Th width={15}>Unit</Th>
        <Th width={20}>Taints</Th>
        <Th width={10}>Age</Th>
        <Th width={10}>Version</Th>
      </Tr>
    </Thead>
  );
});

/**
 * The virtualized table on its own: a scroll re-renders this and the rows that came into view,
 * not the page's toolbar (title, filter, Add node, count).
 */
const NodesTable = memo(function NodesTable({
  rows,
  clusterId,
  filter,
}: {
  rows: KubeNode[];
  clusterId: string;
  filter: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    // rows drawn beyond the visible ones (each frame of a fast scroll renders the newly visible)
    overscan: 6,
  });
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  // AGE is redrawn every 10 s from the objects held (no request)
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 10_000);
    return () => clearInterval(t);
  }, []);
  return (
    <div ref={scrollRef} style={{ height: 'calc(100vh - 200px)', minHeight: 240, overflow: 'auto' }}>
      <Table
        aria-label="Nodes"
        variant="compact"
        isStickyHeader
        data-testid="nodes-table"
        gridBreakPoint=""
        style={{ tableLayout: 'fixed', minWidth: 880 }}
      >
        <NodesHead />
        <Tbody>
          {top > 0 && <tr style={{ height: top }} aria-hidden />}
          {items.map((v) => {
            const n = rows[v.index];
            return (
              <NodeRow
                key={n.metadata.name}
                node={n}
                clusterId={clusterId}
                ageText={age(n.metadata.creationTimestamp, now)}
              />
            );
          })}
          {bottom > 0 && <tr style={{ height: bottom }} aria-hidden />}
        </Tbody>
      </Table>
      {rows.length === 0 && (
        <p style={{ padding: 16 }}>
          No nodes{filter ? ' match the filter' : ' have joined this cluster yet'}.
        </p>
      )}
    </div>
  );
});

export function NodesPage() {
  const { clusterId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const filter = params.get('q') ?? '';
  // the first page shows at once; the others are added as they come (then the watch)
  const { data, error, isPending, live, complete } = useNodes(clusterId, { partial: true });
  const rows = useMemo(() => {
    // by name as kubectl sorts (code units; localeCompare took ~10x longer on 10,000 names)
    const all = [...(data?.byName.values() ?? [])].sort((a, b) =>
      a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0,
    );
    return filter ? all.filter((n) => n.metadata.name.includes(filter)) : all;
  }, [data, filter]);
  return (
    <PageSection>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <Title headingLevel="h1">Nodes</Title>
          </ToolbarItem>
          <ToolbarItem>
            <LiveBadge live={live} />
          </ToolbarItem>
          <ToolbarItem>
            <SearchInput
              aria-label="Filter by name"
              placeholder="Filter by name"
              value={filter}
              onChange={(_e, v) => setParams(v ? { q: v } : {}, { replace: true })}
              onClear={() => setParams({}, { replace: true })}
            />
          </ToolbarItem>
          <ToolbarItem>
            <AddNodeButton clusterId={clusterId} />
          </ToolbarItem>
          {data && !complete && !data.restError && (
            <ToolbarItem data-testid="nodes-loading">
              <Label color="blue" isCompact>
                Loading… {data.byName.size} so far
              </Label>
            </ToolbarItem>
          )}
          <ToolbarItem align={{ default: 'alignEnd' }} data-testid="node-count">
            {data ? `${rows.length} of ${data.byName.size} nodes` : ''}
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {error && (
        <Alert variant="danger" isInline title="Cannot list nodes">
          {error.message}
        </Alert>
      )}
      {data?.restError && (
        <Alert variant="danger" isInline title={`Listed ${data.byName.size} nodes; cannot read the rest`}>
          {data.restError}
        </Alert>
      )}
      {isPending && <p>Loading nodes…</p>}
      {data && <NodesTable rows={rows} clusterId={clusterId} filter={filter} />}
    </PageSection>
  );
}

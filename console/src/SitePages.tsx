import {
  Alert,
  Button,
  Label,
  PageSection,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useParams } from 'react-router';
import { LiveBadge } from './NodesPage';
import { age, useNodes } from './nodes';
import { useNodeGroups, useNodeUnits } from './site';

function selectorText(sel: unknown): string {
  const s = sel as {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  };
  if (!s) return '';
  const parts = [
    ...Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(s.matchExpressions ?? []).map(
      (e) => `${e.key} ${e.operator}${e.values?.length ? ` (${e.values.join(',')})` : ''}`,
    ),
  ];
  return parts.join(', ');
}

/**
 * NodeUnits: the kube API has no watch for them, so the list is read again when the nodes watch
 * (running here) sees a member's unit labels or readiness change, or on Refresh.
 */
export function NodeUnitsPage() {
  const { clusterId = '' } = useParams();
  const { live } = useNodes(clusterId);
  const units = useNodeUnits(clusterId);
  return (
    <PageSection>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <Title headingLevel="h1">NodeUnits</Title>
          </ToolbarItem>
          <ToolbarItem>
            <LiveBadge live={live} />
          </ToolbarItem>
          <ToolbarItem>
            <Button variant="secondary" onClick={() => void units.refetch()} isLoading={units.isFetching}>
              Refresh
            </Button>
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {units.error && (
        <Alert variant="danger" isInline title="Cannot list NodeUnits">
          {units.error.message}
        </Alert>
      )}
      {units.data && (
        <Table aria-label="NodeUnits" variant="compact" data-testid="units-table">
          <Thead>
            <Tr>
              <Th>Name</Th>
              <Th>Type</Th>
              <Th>Ready</Th>
              <Th>Nodes</Th>
              <Th>Selector</Th>
              <Th>Age</Th>
            </Tr>
          </Thead>
          <Tbody>
            {units.data.map((u) => {
              const ready = u.status?.readyNodes ?? [];
              const notReady = u.status?.notReadyNodes ?? [];
              return (
                <Tr key={u.metadata.name} data-testid={`unit-row-${u.metadata.name}`}>
                  <Td dataLabel="Name">{u.metadata.name}</Td>
                  <Td dataLabel="Type">{u.spec.type ?? 'edge'}</Td>
                  <Td dataLabel="Ready">
                    <Label
                      color={
                        notReady.length === 0 && ready.length > 0 ? 'green' : notReady.length ? 'red' : 'grey'
                      }
                      isCompact
                    >
                      {u.status?.readyRate ?? '0/0'}
                    </Label>
                  </Td>
                  <Td dataLabel="Nodes">{[...ready, ...notReady].sort().join(', ') || '<none>'}</Td>
                  <Td dataLabel="Selector">{selectorText(u.spec.selector) || '—'}</Td>
                  <Td dataLabel="Age">{age(u.metadata.creationTimestamp)}</Td>
                </Tr>
              );
            })}
          </Tbody>
        </Table>
      )}
      {units.data?.length === 0 && <p style={{ padding: 16 }}>No NodeUnits in this cluster.</p>}
    </PageSection>
  );
}

export function NodeGroupsPage() {
  const { clusterId = '' } = useParams();
  const { live } = useNodes(clusterId);
  const groups = useNodeGroups(clusterId);
  return (
    <PageSection>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <Title headingLevel="h1">NodeGroups</Title>
          </ToolbarItem>
          <ToolbarItem>
            <LiveBadge live={live} />
          </ToolbarItem>
          <ToolbarItem>
            <Button variant="secondary" onClick={() => void groups.refetch()} isLoading={groups.isFetching}>
              Refresh
            </Button>
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {groups.error && (
        <Alert variant="danger" isInline title="Cannot list NodeGroups">
          {groups.error.message}
        </Alert>
      )}
      {groups.data && (
        <Table aria-label="NodeGroups" variant="compact" data-testid="groups-table">
          <Thead>
            <Tr>
              <Th>Name</Th>
              <Th>Units</Th>
              <Th>Named units</Th>
              <Th>Selector</Th>
              <Th>Auto-find keys</Th>
              <Th>Age</Th>
            </Tr>
          </Thead>
          <Tbody>
            {groups.data.map((g) => (
              <Tr key={g.metadata.name} data-testid={`group-row-${g.metadata.name}`}>
                <Td dataLabel="Name">{g.metadata.name}</Td>
                <Td dataLabel="Units">{(g.status?.nodeUnits ?? []).join(', ') || '<none>'}</Td>
                <Td dataLabel="Named units">{(g.spec.nodeUnits ?? []).join(', ') || '—'}</Td>
                <Td dataLabel="Selector">{selectorText(g.spec.selector) || '—'}</Td>
                <Td dataLabel="Auto-find keys">{(g.spec.autoFindNodeKeys ?? []).join(', ') || '—'}</Td>
                <Td dataLabel="Age">{age(g.metadata.creationTimestamp)}</Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      {groups.data?.length === 0 && <p style={{ padding: 16 }}>No NodeGroups in this cluster.</p>}
    </PageSection>
  );
}

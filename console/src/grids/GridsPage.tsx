import {
  Alert,
  Label,
  PageSection,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { LiveBadge } from '../NodesPage';
import { age } from '../nodes';
import { KIND_PATHS, KINDS, useGridList, type Grid, type KindPath } from './grids';
import { ImportYamlButton } from '../sites/ImportYaml';
import { worst } from './live';

/** Import YAML (src/sites/ImportYaml.tsx) for whoever may apply a grid of any kind in `default`. */
const GRID_IMPORT = (['deploymentgrids', 'statefulsetgrids', 'servicegrids'] as const).map((resource) => ({
  verb: 'patch' as const,
  group: 'superedge.io',
  resource,
  namespace: 'default',
}));

export function RolloutLabel({ state }: { state: string | undefined }) {
  if (!state) return <>{'<none>'}</>;
  const color =
    state === 'Complete'
      ? 'green'
      : state === 'Progressing'
        ? 'blue'
        : state === 'Paused'
          ? 'orange'
          : state === 'Failed'
            ? 'red'
            : 'grey';
  return (
    <Label color={color} isCompact data-testid="rollout-state">
      {state === 'Failed' ? 'Halted' : state}
    </Label>
  );
}

/** UNITS and SCHEDULED as `kubectl get dg` shows them (ServiceGrid: its endpoints). */
function counts(g: Grid): { units: number; scheduled: string } {
  const states = Object.values(g.status?.states ?? {});
  if (g.kind === 'ServiceGrid')
    return {
      units: states.length,
      scheduled: `${states.reduce((n, s) => n + (s.endpoints ?? 0), 0)} endpoints`,
    };
  const desired = states.reduce((n, s) => n + (s.replicas ?? 0), 0);
  const scheduled = states.reduce((n, s) => n + (s.scheduledReplicas ?? 0), 0);
  return { units: states.length, scheduled: `${scheduled}/${desired}` };
}

/** Every DeploymentGrid, StatefulSetGrid and ServiceGrid of the cluster: one list + watch per kind. */
export function GridsPage() {
  const { clusterId = '' } = useParams();
  const deployments = useGridList(clusterId, 'deploymentgrids');
  const statefulSets = useGridList(clusterId, 'statefulsetgrids');
  const services = useGridList(clusterId, 'servicegrids');
  const byKind: Record<KindPath, typeof deployments> = {
    deploymentgrids: deployments,
    statefulsetgrids: statefulSets,
    servicegrids: services,
  };
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 10_000);
    return () => clearInterval(t);
  }, []);
  const rows = KIND_PATHS.flatMap((kind) =>
    [...(byKind[kind].data?.byKey.values() ?? [])].map((g) => ({ kind, g })),
  ).sort((a, b) => a.g.metadata.name.localeCompare(b.g.metadata.name));
  const errors = KIND_PATHS.map((k) => [k, byKind[k].error] as const).filter(([, e]) => e);
  const loaded = KIND_PATHS.every((k) => byKind[k].data);
  const base = `/clusters/${encodeURIComponent(clusterId)}/grids`;
  return (
    <PageSection>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <Title headingLevel="h1">Grids</Title>
          </ToolbarItem>
          <ToolbarItem>
            <LiveBadge live={worst(deployments.live, statefulSets.live, services.live)} />
          </ToolbarItem>
          <ToolbarItem align={{ default: 'alignEnd' }} data-testid="grid-count">
            {loaded ? `${rows.length} grids` : ''}
          </ToolbarItem>
          <ToolbarItem>
            <ImportYamlButton kinds={GRID_IMPORT} />
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {errors.map(([k, e]) => (
        <Alert key={k} variant="danger" isInline title={`Cannot list ${KINDS[k]}s`}>
          {e?.message}
        </Alert>
      ))}
      {!loaded && errors.length === 0 && <p>Loading grids…</p>}
      <div style={{ overflowX: 'auto' }}>
        <Table
          aria-label="Grids"
          variant="compact"
          data-testid="grids-table"
          gridBreakPoint=""
          style={{ minWidth: 760 }}
        >
          <Thead>
            <Tr>
              <Th>Name</Th>
              <Th>Kind</Th>
              <Th>Namespace</Th>
              <Th>Units</Th>
              <Th>Scheduled</Th>
              <Th>Rollout</Th>
              <Th>Age</Th>
            </Tr>
          </Thead>
          <Tbody>
            {rows.map(({ kind, g }) => {
              const c = counts(g);
              return (
                <Tr key={`${kind}/${g.metadata.name}`} data-testid={`grid-row-${g.metadata.name}`}>
                  <Td dataLabel="Name">
                    <Link to={`${base}/${kind}/${encodeURIComponent(g.metadata.name)}`}>
                      {g.metadata.name}
                    </Link>
                  </Td>
                  <Td dataLabel="Kind">{KINDS[kind]}</Td>
                  <Td dataLabel="Namespace">{g.metadata.namespace}</Td>
                  <Td dataLabel="Units">{c.units}</Td>
                  <Td dataLabel="Scheduled">{c.scheduled}</Td>
                  <Td dataLabel="Rollout">
                    {kind === 'servicegrids' ? '—' : <RolloutLabel state={g.status?.rollout?.state} />}
                  </Td>
                  <Td dataLabel="Age">{age(g.metadata.creationTimestamp, now)}</Td>
                </Tr>
              );
            })}
          </Tbody>
        </Table>
      </div>
      {loaded && rows.length === 0 && <p style={{ padding: 16 }}>No grids in this cluster yet.</p>}
    </PageSection>
  );
}

import {
  Alert,
  Breadcrumb,
  BreadcrumbItem,
  Button,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Label,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  PageSection,
  Progress,
  Spinner,
  Title,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { LiveBadge } from '../NodesPage';
import { age } from '../nodes';
import { useCan } from '../auth/can';
import { RolloutLabel } from './GridsPage';
import {
  isKindPath,
  KINDS,
  podPendingReason,
  podReady,
  podStatus,
  rolloutAction,
  rolloutActive,
  UNIT_LABEL,
  useGrid,
  useGridPods,
  type Grid,
  type KindPath,
  type Pod,
  type RolloutAction,
  type RolloutStatus,
} from './grids';
import { worst } from './live';

const ACTION_TEXT: Record<RolloutAction, { title: string; body: string }> = {
  pause: {
    title: 'Pause the rollout',
    body: 'No further wave starts until it is resumed; units updating now finish.',
  },
  resume: { title: 'Resume the rollout', body: 'The next wave starts once the current one is done.' },
  undo: {
    title: 'Undo the rollout',
    body: 'Every unit that started moves back to the previous revision at once.',
  },
};

/** One grid: children and pods per unit, the staged rollout with its waves and actions; live. */
export function GridDetailPage() {
  const { clusterId = '', kind = '', name = '' } = useParams();
  const client = useQueryClient();
  const kindPath: KindPath = isKindPath(kind) ? kind : 'deploymentgrids';
  // a grid event (children, placement, rollout progress) may change the pods' status: read them again
  const { grid, data, error, live } = useGrid(clusterId, kindPath, name, () => {
    void client.invalidateQueries({ queryKey: ['grid-pods', clusterId, name] });
  });
  const pods = useGridPods(clusterId, name);
  const base = `/clusters/${encodeURIComponent(clusterId)}`;
  if (!isKindPath(kind))
    return (
      <PageSection>
        <Alert variant="danger" isInline title={`"${kind}" is not a grid kind`}>
          Grid kinds: deploymentgrids, statefulsetgrids, servicegrids.
        </Alert>
      </PageSection>
    );
  const podsByUnit = new Map<string, Pod[]>();
  for (const p of pods.data?.byKey.values() ?? []) {
    const unit = p.metadata.labels?.[UNIT_LABEL] ?? '';
    podsByUnit.set(unit, [...(podsByUnit.get(unit) ?? []), p]);
  }
  const units = [...new Set([...Object.keys(grid?.status?.states ?? {}), ...podsByUnit.keys()])].sort();
  return (
    <PageSection>
      <Breadcrumb>
        <BreadcrumbItem>
          <Link to={`${base}/grids`}>Grids</Link>
        </BreadcrumbItem>
        <BreadcrumbItem isActive>{name}</BreadcrumbItem>
      </Breadcrumb>
      <Title headingLevel="h1" style={{ margin: '12px 0' }}>
        {KINDS[kindPath]} {name} <LiveBadge live={worst(live, pods.live)} />
      </Title>
      {error && (
        <Alert variant="danger" isInline title="Cannot read the grid">
          {error.message}
        </Alert>
      )}
      {pods.error && (
        <Alert variant="danger" isInline title="Cannot list the grid's pods">
          {pods.error.message}
        </Alert>
      )}
      {data && !grid && (
        <Alert variant="warning" isInline title={`No ${KINDS[kindPath]} "${name}" in this cluster`} />
      )}
      {grid && (
        <>
          <DescriptionList isHorizontal columnModifier={{ default: '1Col', lg: '2Col' }}>
            <DescriptionListGroup>
              <DescriptionListTerm>Namespace</DescriptionListTerm>
              <DescriptionListDescription>{grid.metadata.namespace}</DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>NodeGroup (gridUniqKey)</DescriptionListTerm>
              <DescriptionListDescription>{grid.spec.gridUniqKey}</DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Generation</DescriptionListTerm>
              <DescriptionListDescription data-testid="grid-generation">
                {grid.metadata.generation}
              </DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Age</DescriptionListTerm>
              <DescriptionListDescription>{age(grid.metadata.creationTimestamp)}</DescriptionListDescription>
            </DescriptionListGroup>
          </DescriptionList>
          {kindPath !== 'servicegrids' && <RolloutPanel kind={kindPath} grid={grid} />}
          <Title headingLevel="h2" style={{ marginTop: 24 }}>
            Units
          </Title>
          {units.length === 0 && <p>No unit of the NodeGroup has a child yet.</p>}
          {units.map((u) => (
            <UnitSection
              key={u}
              clusterBase={base}
              unit={u}
              grid={grid}
              pods={podsByUnit.get(u) ?? []}
              service={kindPath === 'servicegrids'}
            />
          ))}
        </>
      )}
    </PageSection>
  );
}

function UnitSection(props: {
  clusterBase: string;
  unit: string;
  grid: Grid;
  pods: Pod[];
  service: boolean;
}) {
  const { unit, grid, pods, service, clusterBase } = props;
  const s = grid.status?.states?.[unit];
  const unitState = grid.status?.rollout?.unitStates?.[unit];
  return (
    <section data-testid={`unit-${unit}`} style={{ marginTop: 16 }}>
      <Title headingLevel="h3">
        Unit {unit}{' '}
        {unitState && (
          <Label isCompact color={unitState === 'Done' ? 'green' : unitState === 'Failed' ? 'red' : 'blue'}>
            {unitState}
          </Label>
        )}
      </Title>
      {service ? (
        <p data-testid={`unit-endpoints-${unit}`}>
          {s?.endpoints ?? 0} endpoint(s){s?.addresses?.length ? `: ${s.addresses.join(', ')}` : ''}
        </p>
      ) : (
        <p data-testid={`unit-child-${unit}`}>
          child <strong>{s?.name ?? '—'}</strong> · revision <code>{s?.revision ?? '—'}</code> · replicas{' '}
          {s?.replicas ?? 0} · scheduled {s?.scheduledReplicas ?? 0} · pending {s?.pendingReplicas ?? 0}
        </p>
      )}
      {!service && (
        <div style={{ overflowX: 'auto' }}>
          <Table aria-label={`Pods of ${unit}`} variant="compact" gridBreakPoint="" style={{ minWidth: 640 }}>
            <Thead>
              <Tr>
                <Th>Pod</Th>
                <Th>Status</Th>
                <Th>Ready</Th>
                <Th>Node</Th>
                <Th>IP</Th>
                <Th>Logs</Th>
              </Tr>
            </Thead>
            <Tbody>
              {pods
                .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
                .map((p) => {
                  const ns = p.metadata.namespace ?? 'default';
                  const reason = podPendingReason(p);
                  return (
                    <Tr key={p.metadata.name} data-testid={`pod-row-${p.metadata.name}`}>
                      <Td dataLabel="Pod">{p.metadata.name}</Td>
                      <Td dataLabel="Status" title={reason || undefined}>
                        {podStatus(p)}
                        {reason ? ` (${reason})` : ''}
                      </Td>
                      <Td dataLabel="Ready">{podReady(p) ? '1/1' : '0/1'}</Td>
                      <Td dataLabel="Node">
                        {p.spec?.nodeName ? (
                          <Link to={`${clusterBase}/nodes/${encodeURIComponent(p.spec.nodeName)}`}>
                            {p.spec.nodeName}
                          </Link>
                        ) : (
                          '<none>'
                        )}
                      </Td>
                      <Td dataLabel="IP">{p.status?.podIP ?? ''}</Td>
                      <Td dataLabel="Logs">
                        {p.spec?.nodeName ? (
                          <Link
                            data-testid={`pod-logs-${p.metadata.name}`}
                            to={`${clusterBase}/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(p.metadata.name)}/logs?grid=${encodeURIComponent(`${grid.kind}`)}`}
                          >
                            Logs
                          </Link>
                        ) : (
                          '—'
                        )}
                      </Td>
                    </Tr>
                  );
                })}
            </Tbody>
          </Table>
          {pods.length === 0 && <p>No pods in this unit.</p>}
        </div>
      )}
    </section>
  );
}

function waveVariant(state: string): 'success' | 'danger' | undefined {
  return state === 'completed' ? 'success' : state === 'halted' ? 'danger' : undefined;
}

function RolloutPanel({ kind, grid }: { kind: KindPath; grid: Grid }) {
  const r: RolloutStatus | undefined = grid.status?.rollout;
  // the buttons only for who may act (SelfSubjectAccessReview); the API refuses the others anyway
  const mayAct = useCan({
    verb: 'create',
    group: 'superedge.io',
    resource: kind,
    subresource: 'rollout',
    namespace: grid.metadata.namespace ?? 'default',
    name: grid.metadata.name,
  });
  const [confirm, setConfirm] = useState<RolloutAction | undefined>();
  const [pending, setPending] = useState<RolloutAction | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [started, setStarted] = useState<RolloutAction | undefined>();
  if (!r) return null;
  const act = async (action: RolloutAction) => {
    setConfirm(undefined);
    setPending(action);
    setFailure(undefined);
    try {
      await rolloutAction(kind, grid.metadata.namespace ?? 'default', grid.metadata.name, action);
      setStarted(action);
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setPending(undefined);
    }
  };
  const percent = r.totalUnits ? Math.round((r.updatedUnits * 100) / r.totalUnits) : 100;
  const active = rolloutActive(r);
  return (
    <section data-testid="rollout" style={{ marginTop: 24 }}>
      <Title headingLevel="h2">
        Rollout <RolloutLabel state={r.state} />{' '}
        {r.undo && (
          <Label isCompact color="purple">
            undo
          </Label>
        )}
      </Title>
      <p data-testid="rollout-message" style={{ margin: '8px 0' }}>
        Revision {r.generation}
        {r.fromGeneration ? ` (from ${r.fromGeneration})` : ''}: {r.message ?? ''}
      </p>
      <Progress
        data-testid="rollout-progress"
        title={`${r.updatedUnits}/${r.totalUnits} units updated`}
        value={percent}
        label={`${r.updatedUnits}/${r.totalUnits}`}
        valueText={`${r.updatedUnits} of ${r.totalUnits} units`}
        measureLocation="outside"
        variant={r.state === 'Failed' ? 'danger' : r.state === 'Complete' ? 'success' : undefined}
      />
      {started && (
        <p data-testid="rollout-following" style={{ marginTop: 8 }}>
          {r.state === 'Progressing' ? (
            <>
              <Spinner size="sm" aria-label="in progress" /> {started} accepted: following the rollout until
              it is done…
            </>
          ) : r.state === 'Paused' ? (
            <>
              {started} accepted; the rollout is paused at wave {(r.currentWave ?? 0) + 1}: Resume to go on.
            </>
          ) : (
            <>
              {started} accepted; the rollout is {r.state === 'Failed' ? 'halted' : r.state.toLowerCase()}.
            </>
          )}
        </p>
      )}
      {r.halted && (
        <Alert
          variant="danger"
          isInline
          title={`Halted at unit ${r.halted.unit}`}
          data-testid="rollout-halted"
        >
          {r.halted.pod ? `pod ${r.halted.pod}: ` : ''}
          {r.halted.reason}
        </Alert>
      )}
      {failure && (
        <Alert variant="danger" isInline title="The API refused" data-testid="rollout-error">
          {failure}
        </Alert>
      )}
      {mayAct && (
        <div style={{ display: 'flex', gap: 8, margin: '12px 0' }}>
          <Button
            variant="secondary"
            data-testid="rollout-pause"
            isDisabled={r.state !== 'Progressing' || !!pending}
            isLoading={pending === 'pause'}
            onClick={() => setConfirm('pause')}
          >
            Pause
          </Button>
          <Button
            variant="secondary"
            data-testid="rollout-resume"
            isDisabled={r.state !== 'Paused' || !!pending}
            isLoading={pending === 'resume'}
            onClick={() => setConfirm('resume')}
          >
            Resume
          </Button>
          <Button
            variant="danger"
            data-testid="rollout-undo"
            isDisabled={!r.fromGeneration || !!pending}
            isLoading={pending === 'undo'}
            onClick={() => setConfirm('undo')}
          >
            Undo
          </Button>
        </div>
      )}
      {(r.waves ?? []).length > 0 && (
        <div data-testid="rollout-waves" style={{ display: 'grid', gap: 12, marginTop: 12 }}>
          {(r.waves ?? []).map((w) => {
            const total = w.totalUnits ?? w.units.length;
            const done = w.updatedUnits ?? (w.state === 'completed' ? total : 0);
            return (
              <div key={w.index} data-testid={`wave-${w.index}`}>
                <Progress
                  title={
                    <>
                      Wave {w.index + 1} {w.name ? `"${w.name}"` : ''}
                      {w.index === r.currentWave && active ? ' (current)' : ''} · {w.state} ·{' '}
                      {w.units.join(', ')}
                    </>
                  }
                  value={total ? Math.round((done * 100) / total) : 100}
                  label={`${done}/${total} units`}
                  valueText={`${done} of ${total} units`}
                  measureLocation="outside"
                  variant={waveVariant(w.state)}
                />
              </div>
            );
          })}
        </div>
      )}
      {confirm && (
        <Modal
          variant="small"
          isOpen
          onClose={() => setConfirm(undefined)}
          aria-labelledby="rollout-confirm-title"
          data-testid="rollout-confirm"
        >
          <ModalHeader
            title={`${ACTION_TEXT[confirm].title} of ${grid.metadata.name}?`}
            labelId="rollout-confirm-title"
          />
          <ModalBody>{ACTION_TEXT[confirm].body}</ModalBody>
          <ModalFooter>
            <Button
              variant={confirm === 'undo' ? 'danger' : 'primary'}
              data-testid="rollout-confirm-yes"
              onClick={() => void act(confirm)}
            >
              {confirm[0]!.toUpperCase() + confirm.slice(1)}
            </Button>
            <Button variant="link" onClick={() => setConfirm(undefined)}>
              Cancel
            </Button>
          </ModalFooter>
        </Modal>
      )}
    </section>
  );
}

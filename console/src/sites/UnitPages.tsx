import {
  ActionGroup,
  Alert,
  Breadcrumb,
  BreadcrumbItem,
  Button,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Form,
  FormSelect,
  FormSelectOption,
  Label,
  LabelGroup,
  PageSection,
  TextArea,
  TextInput,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useCanAll, useCanState } from '../auth/can';
import { LiveBadge } from '../NodesPage';
import { age, nodeStatus, useNodes } from '../nodes';
import { worst } from '../grids/live';
import { ConfirmDelete, Field, KinsLabel, ReadyLabel, showFirstError } from './common';
import { spreadErrors, type FormErrors } from './errors';
import { ImportYamlButton } from './ImportYaml';
import { KinsSection } from './KinsSection';
import {
  deleteSite,
  listOf,
  mapText,
  parseMap,
  parseTaints,
  saveSite,
  selectorText,
  SITE_GROUP,
  taintText,
  useNodeGroups,
  useNodeUnits,
  type NodeUnit,
} from './site';

const base = (clusterId: string) => `/clusters/${encodeURIComponent(clusterId)}`;
const unitUrl = (clusterId: string, name: string) =>
  `${base(clusterId)}/nodeunits/${encodeURIComponent(name)}`;

/** create / update / delete of units: asked once per session (useCan). */
function useUnitRights() {
  const [create, update, del] = useCanAll([
    { verb: 'create', group: SITE_GROUP, resource: 'nodeunits' },
    { verb: 'update', group: SITE_GROUP, resource: 'nodeunits' },
    { verb: 'delete', group: SITE_GROUP, resource: 'nodeunits' },
  ]);
  return { create: create!, update: update!, del: del! };
}

export function NodeUnitsPage() {
  const { clusterId = '' } = useParams();
  const { live: nodesLive } = useNodes(clusterId);
  const units = useNodeUnits(clusterId);
  const can = useUnitRights();
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState<string>();
  return (
    <PageSection>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <Title headingLevel="h1">NodeUnits</Title>
          </ToolbarItem>
          <ToolbarItem>
            <LiveBadge live={worst(nodesLive, units.live)} />
          </ToolbarItem>
          <ToolbarItem align={{ default: 'alignEnd' }}>
            {can.create && (
              <Button onClick={() => navigate(`${base(clusterId)}/nodeunits/new`)} data-testid="create-unit">
                Create NodeUnit
              </Button>
            )}
          </ToolbarItem>
          <ToolbarItem>
            <ImportYamlButton />
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
              <Th>K3s</Th>
              <Th>Age</Th>
              {(can.update || can.del) && <Th screenReaderText="Actions" />}
            </Tr>
          </Thead>
          <Tbody>
            {units.data.map((u) => {
              const ready = u.status?.readyNodes ?? [];
              const notReady = u.status?.notReadyNodes ?? [];
              const name = u.metadata.name;
              return (
                <Tr key={name} data-testid={`unit-row-${name}`}>
                  <Td dataLabel="Name">
                    <Link to={unitUrl(clusterId, name)}>{name}</Link>
                  </Td>
                  <Td dataLabel="Type">{u.spec.type ?? 'edge'}</Td>
                  <Td dataLabel="Ready">
                    <ReadyLabel
                      ready={ready.length}
                      notReady={notReady.length}
                      rate={u.status?.readyRate ?? '0/0'}
                    />
                  </Td>
                  <Td dataLabel="Nodes">{[...ready, ...notReady].sort().join(', ') || '<none>'}</Td>
                  <Td dataLabel="Selector">{selectorText(u.spec.selector) || '—'}</Td>
                  <Td dataLabel="K3s">
                    <KinsLabel phase={u.status?.kinsPhase} />
                  </Td>
                  <Td dataLabel="Age">{age(u.metadata.creationTimestamp)}</Td>
                  {(can.update || can.del) && (
                    <Td isActionCell>
                      {can.update && (
                        <Button
                          variant="link"
                          isInline
                          onClick={() => navigate(`${unitUrl(clusterId, name)}/edit`)}
                        >
                          Edit
                        </Button>
                      )}{' '}
                      {can.del && (
                        <Button
                          variant="link"
                          isDanger
                          isInline
                          onClick={() => setDeleting(name)}
                          data-testid={`delete-unit-${name}`}
                        >
                          Delete
                        </Button>
                      )}
                    </Td>
                  )}
                </Tr>
              );
            })}
          </Tbody>
        </Table>
      )}
      {units.data?.length === 0 && <p style={{ padding: 16 }}>No NodeUnits in this cluster.</p>}
      {deleting && (
        <ConfirmDelete
          kind="NodeUnit"
          name={deleting}
          onDelete={() => deleteSite('nodeunits', deleting)}
          onClose={() => setDeleting(undefined)}
          onDone={() => setDeleting(undefined)}
        />
      )}
    </PageSection>
  );
}

/** One unit: members with their readiness (live from the node watch), selector, setNode, groups, Kins. */
export function NodeUnitDetailPage() {
  const { clusterId = '', name = '' } = useParams();
  const nodes = useNodes(clusterId);
  const units = useNodeUnits(clusterId);
  const groups = useNodeGroups(clusterId);
  const can = useUnitRights();
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState(false);
  const unit = units.data?.find((u) => u.metadata.name === name);
  const members = unit
    ? [...(unit.status?.readyNodes ?? []), ...(unit.status?.notReadyNodes ?? [])].sort()
    : [];
  const inGroups = (groups.data ?? []).filter((g) => (g.status?.nodeUnits ?? []).includes(name));
  const setNode = unit?.spec.setNode;
  return (
    <PageSection>
      <Breadcrumb>
        <BreadcrumbItem>
          <Link to={`${base(clusterId)}/nodeunits`}>NodeUnits</Link>
        </BreadcrumbItem>
        <BreadcrumbItem isActive>{name}</BreadcrumbItem>
      </Breadcrumb>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <Title headingLevel="h1">NodeUnit {name}</Title>
          </ToolbarItem>
          <ToolbarItem>
            <LiveBadge live={worst(nodes.live, units.live)} />
          </ToolbarItem>
          <ToolbarItem align={{ default: 'alignEnd' }}>
            {unit && can.update && (
              <Button
                variant="secondary"
                onClick={() => navigate(`${unitUrl(clusterId, name)}/edit`)}
                data-testid="edit-unit"
              >
                Edit
              </Button>
            )}
          </ToolbarItem>
          <ToolbarItem>
            {unit && can.del && (
              <Button variant="danger" onClick={() => setDeleting(true)} data-testid="delete-unit">
                Delete
              </Button>
            )}
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {units.error && (
        <Alert variant="danger" isInline title="Cannot read NodeUnits">
          {units.error.message}
        </Alert>
      )}
      {units.data && !unit && (
        <Alert variant="warning" isInline title={`No NodeUnit "${name}" in this cluster`} />
      )}
      {unit && (
        <>
          <DescriptionList
            isHorizontal
            columnModifier={{ default: '1Col', lg: '2Col' }}
            data-testid="unit-summary"
          >
            <DescriptionListGroup>
              <DescriptionListTerm>Type</DescriptionListTerm>
              <DescriptionListDescription>{unit.spec.type ?? 'edge'}</DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Ready</DescriptionListTerm>
              <DescriptionListDescription data-testid="unit-ready">
                <ReadyLabel
                  ready={unit.status?.readyNodes?.length ?? 0}
                  notReady={unit.status?.notReadyNodes?.length ?? 0}
                  rate={unit.status?.readyRate}
                />
              </DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Named nodes</DescriptionListTerm>
              <DescriptionListDescription>
                {(unit.spec.nodes ?? []).join(', ') || '—'}
              </DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Selector</DescriptionListTerm>
              <DescriptionListDescription>
                {selectorText(unit.spec.selector) || '—'}
              </DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Sets labels</DescriptionListTerm>
              <DescriptionListDescription data-testid="unit-setnode-labels">
                <KeyValues map={setNode?.labels} />
              </DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Sets annotations</DescriptionListTerm>
              <DescriptionListDescription>
                <KeyValues map={setNode?.annotations} />
              </DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Sets taints</DescriptionListTerm>
              <DescriptionListDescription data-testid="unit-setnode-taints">
                {(setNode?.taints ?? []).length
                  ? (setNode?.taints ?? []).map((t) => (
                      <Label key={taintText(t)} color="orange" isCompact style={{ marginRight: 4 }}>
                        {taintText(t)}
                      </Label>
                    ))
                  : '—'}
              </DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Unit labels</DescriptionListTerm>
              <DescriptionListDescription>
                <KeyValues map={unit.metadata.labels} />
              </DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>In groups</DescriptionListTerm>
              <DescriptionListDescription data-testid="unit-groups">
                {inGroups.length
                  ? inGroups.map((g, i) => (
                      <span key={g.metadata.name}>
                        {i > 0 && ', '}
                        <Link to={`${base(clusterId)}/nodegroups/${encodeURIComponent(g.metadata.name)}`}>
                          {g.metadata.name}
                        </Link>
                      </span>
                    ))
                  : '—'}
              </DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Age</DescriptionListTerm>
              <DescriptionListDescription>{age(unit.metadata.creationTimestamp)}</DescriptionListDescription>
            </DescriptionListGroup>
          </DescriptionList>
          <Title headingLevel="h2" style={{ marginTop: 24 }}>
            Members ({members.length})
          </Title>
          <Table aria-label="Members" variant="compact" data-testid="unit-members">
            <Thead>
              <Tr>
                <Th>Node</Th>
                <Th>In the unit's status</Th>
                <Th>Node status (live)</Th>
              </Tr>
            </Thead>
            <Tbody>
              {members.map((m) => {
                const node = nodes.data?.byName.get(m);
                const ready = unit.status?.readyNodes?.includes(m);
                return (
                  <Tr key={m} data-testid={`member-${m}`}>
                    <Td dataLabel="Node">
                      <Link to={`${base(clusterId)}/nodes/${encodeURIComponent(m)}`}>{m}</Link>
                    </Td>
                    <Td dataLabel="In the unit's status">
                      <Label color={ready ? 'green' : 'red'} isCompact>
                        {ready ? 'Ready' : 'NotReady'}
                      </Label>
                    </Td>
                    <Td dataLabel="Node status (live)">
                      {node ? nodeStatus(node) : 'not a node of this cluster'}
                    </Td>
                  </Tr>
                );
              })}
            </Tbody>
          </Table>
          {members.length === 0 && <p style={{ padding: 8 }}>No node is in this unit.</p>}
          <KinsSection clusterId={clusterId} unit={unit} />
        </>
      )}
      {deleting && (
        <ConfirmDelete
          kind="NodeUnit"
          name={name}
          onDelete={() => deleteSite('nodeunits', name)}
          onClose={() => setDeleting(false)}
          onDone={() => navigate(`${base(clusterId)}/nodeunits`)}
        />
      )}
    </PageSection>
  );
}

function KeyValues({ map }: { map: Record<string, string> | undefined }) {
  const entries = Object.entries(map ?? {});
  if (!entries.length) return <>—</>;
  return (
    <LabelGroup numLabels={20}>
      {entries.map(([k, v]) => (
        <Label key={k} isCompact>
          {v ? `${k}=${v}` : k}
        </Label>
      ))}
    </LabelGroup>
  );
}

const UNIT_FIELDS = [
  'name',
  'spec.type',
  'spec.nodes',
  'spec.selector',
  'spec.setNode.labels',
  'spec.setNode.annotations',
  'spec.setNode.taints',
  'metadata.labels',
  'spec.labels',
] as const;

interface UnitDraft {
  name: string;
  type: string;
  nodes: string;
  selector: string;
  labels: string;
  annotations: string;
  taints: string;
  unitLabels: string;
}

const draftOf = (u: NodeUnit | undefined): UnitDraft => ({
  name: u?.metadata.name ?? '',
  type: u?.spec.type ?? 'edge',
  nodes: (u?.spec.nodes ?? []).join(', '),
  selector: mapText(u?.spec.selector?.matchLabels),
  labels: mapText(u?.spec.setNode?.labels),
  annotations: mapText(u?.spec.setNode?.annotations),
  taints: (u?.spec.setNode?.taints ?? []).map(taintText).join('\n'),
  unitLabels: mapText(u?.metadata.labels),
});

/**
 * Create (`/nodeunits/new`) or edit (`/nodeunits/<name>/edit`) a unit. The spec is replaced whole
 * (PUT), as `kubectl replace` does; a selector's matchExpressions, which the form does not show,
 * are kept. The API's refusals land on their fields.
 */
export function NodeUnitFormPage() {
  const { clusterId = '', name } = useParams();
  const editing = name !== undefined;
  const units = useNodeUnits(clusterId);
  const nodes = useNodes(clusterId);
  const existing = units.data?.find((u) => u.metadata.name === name);
  const navigate = useNavigate();
  const client = useQueryClient();
  const [draft, setDraft] = useState<UnitDraft>(() => draftOf(undefined));
  const [loaded, setLoaded] = useState(!editing);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const allowed = useCanState({
    verb: editing ? 'update' : 'create',
    group: SITE_GROUP,
    resource: 'nodeunits',
  });
  // the form starts from the object once it is read (state adjusted while rendering, no effect)
  if (editing && existing && !loaded) {
    setDraft(draftOf(existing));
    setLoaded(true);
  }
  const set = (k: keyof UnitDraft) => (_e: unknown, v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const known = [...(nodes.data?.byName.keys() ?? [])].sort();

  async function submit() {
    const local: Record<string, string> = {};
    const selector = parseMap(draft.selector);
    const labels = parseMap(draft.labels);
    const annotations = parseMap(draft.annotations);
    const taints = parseTaints(draft.taints);
    const unitLabels = parseMap(draft.unitLabels);
    if (!draft.name.trim()) local.name = 'Required value: a name is required';
    if (selector.problem) local['spec.selector'] = selector.problem;
    if (labels.problem) local['spec.setNode.labels'] = labels.problem;
    if (annotations.problem) local['spec.setNode.annotations'] = annotations.problem;
    if (taints.problem) local['spec.setNode.taints'] = taints.problem;
    if (unitLabels.problem) local['metadata.labels'] = unitLabels.problem;
    if (Object.keys(local).length) return setErrors({ fields: local });
    const expressions = existing?.spec.selector?.matchExpressions ?? [];
    const obj: NodeUnit = {
      apiVersion: `${SITE_GROUP}/v1alpha2`,
      kind: 'NodeUnit',
      metadata: {
        name: draft.name.trim(),
        ...(Object.keys(unitLabels.map).length ? { labels: unitLabels.map } : {}),
      },
      spec: {
        type: draft.type,
        ...(listOf(draft.nodes).length ? { nodes: listOf(draft.nodes) } : {}),
        ...(Object.keys(selector.map).length || expressions.length
          ? {
              selector: {
                ...(Object.keys(selector.map).length ? { matchLabels: selector.map } : {}),
                ...(expressions.length ? { matchExpressions: expressions } : {}),
              },
            }
          : {}),
        setNode: {
          ...(Object.keys(labels.map).length ? { labels: labels.map } : {}),
          ...(Object.keys(annotations.map).length ? { annotations: annotations.map } : {}),
          ...(taints.taints.length ? { taints: taints.taints } : {}),
        },
      },
    };
    setBusy(true);
    setErrors({ fields: {} });
    try {
      await saveSite('nodeunits', obj, editing);
      void client.invalidateQueries({ queryKey: ['site', clusterId] });
      navigate(unitUrl(clusterId, obj.metadata.name));
    } catch (e) {
      setErrors(spreadErrors(e, UNIT_FIELDS));
      showFirstError();
    } finally {
      setBusy(false);
    }
  }

  const err = (f: string) => errors.fields[f];
  return (
    <PageSection>
      <Breadcrumb>
        <BreadcrumbItem>
          <Link to={`${base(clusterId)}/nodeunits`}>NodeUnits</Link>
        </BreadcrumbItem>
        {editing && (
          <BreadcrumbItem>
            <Link to={unitUrl(clusterId, name)}>{name}</Link>
          </BreadcrumbItem>
        )}
        <BreadcrumbItem isActive>{editing ? 'Edit' : 'Create'}</BreadcrumbItem>
      </Breadcrumb>
      <Title headingLevel="h1" style={{ margin: '12px 0' }}>
        {editing ? `Edit NodeUnit ${name}` : 'Create NodeUnit'}
      </Title>
      {editing && units.data && !existing && (
        <Alert variant="warning" isInline title={`No NodeUnit "${name}" in this cluster`} />
      )}
      {allowed === 'no' && (
        <Alert
          variant="warning"
          isInline
          title={`Your role may not ${editing ? 'change' : 'create'} NodeUnits`}
          data-testid="form-forbidden"
        >
          The API would refuse it; ask for an edit or cluster-admin credential.
        </Alert>
      )}
      {errors.general && (
        <Alert
          variant="danger"
          isInline
          title="The API refused the NodeUnit"
          data-testid="form-error"
          style={{ marginBottom: 16 }}
        >
          {errors.general}
        </Alert>
      )}
      {loaded && allowed !== 'no' && (
        <Form
          style={{ maxWidth: 720 }}
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Field
            label="Name"
            fieldId="name"
            isRequired
            error={err('name')}
            hint="A DNS label: lower-case letters, digits and -"
          >
            <TextInput
              id="name"
              value={draft.name}
              onChange={set('name')}
              isDisabled={editing}
              validated={err('name') ? 'error' : 'default'}
              maxLength={63}
            />
          </Field>
          <Field label="Type" fieldId="spec.type" error={err('spec.type')}>
            <FormSelect id="spec.type" value={draft.type} onChange={set('type')} aria-label="Type">
              {['edge', 'cloud', 'master', 'other'].map((t) => (
                <FormSelectOption key={t} value={t} label={t} />
              ))}
            </FormSelect>
          </Field>
          <Field
            label="Nodes"
            fieldId="spec.nodes"
            error={err('spec.nodes')}
            hint={`Member node names, comma separated${known.length ? ` — this cluster has ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}` : ''}`}
          >
            <TextInput
              id="spec.nodes"
              value={draft.nodes}
              onChange={set('nodes')}
              validated={err('spec.nodes') ? 'error' : 'default'}
            />
          </Field>
          <Field
            label="Selector (node labels)"
            fieldId="spec.selector"
            error={err('spec.selector')}
            hint="key=value, one per line: nodes with all of them are members"
          >
            <TextArea
              id="spec.selector"
              value={draft.selector}
              onChange={set('selector')}
              rows={2}
              validated={err('spec.selector') ? 'error' : 'default'}
            />
          </Field>
          <Field
            label="Labels set on members"
            fieldId="spec.setNode.labels"
            error={err('spec.setNode.labels')}
            hint="key=value, one per line"
          >
            <TextArea
              id="spec.setNode.labels"
              value={draft.labels}
              onChange={set('labels')}
              rows={2}
              validated={err('spec.setNode.labels') ? 'error' : 'default'}
            />
          </Field>
          <Field
            label="Annotations set on members"
            fieldId="spec.setNode.annotations"
            error={err('spec.setNode.annotations')}
            hint="key=value, one per line"
          >
            <TextArea
              id="spec.setNode.annotations"
              value={draft.annotations}
              onChange={set('annotations')}
              rows={2}
              validated={err('spec.setNode.annotations') ? 'error' : 'default'}
            />
          </Field>
          <Field
            label="Taints set on members"
            fieldId="spec.setNode.taints"
            error={err('spec.setNode.taints')}
            hint="key=value:Effect, one per line (NoSchedule, PreferNoSchedule, NoExecute)"
          >
            <TextArea
              id="spec.setNode.taints"
              value={draft.taints}
              onChange={set('taints')}
              rows={2}
              validated={err('spec.setNode.taints') ? 'error' : 'default'}
            />
          </Field>
          <Field
            label="Unit labels"
            fieldId="metadata.labels"
            error={err('metadata.labels') ?? err('spec.labels')}
            hint="key=value, one per line: what NodeGroup selectors match"
          >
            <TextArea
              id="metadata.labels"
              value={draft.unitLabels}
              onChange={set('unitLabels')}
              rows={2}
              validated={err('metadata.labels') ? 'error' : 'default'}
            />
          </Field>
          <ActionGroup>
            <Button
              type="submit"
              variant="primary"
              isLoading={busy}
              isDisabled={busy}
              data-testid="save-unit"
            >
              {editing ? 'Save' : 'Create'}
            </Button>
            <Button variant="link" onClick={() => navigate(-1)}>
              Cancel
            </Button>
          </ActionGroup>
        </Form>
      )}
    </PageSection>
  );
}

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
import { worst } from '../grids/live';
import { LiveBadge } from '../NodesPage';
import { age, useNodes } from '../nodes';
import { ConfirmDelete, Field, KinsLabel, ReadyLabel, showFirstError } from './common';
import { spreadErrors, type FormErrors } from './errors';
import { ImportYamlButton } from './ImportYaml';
import {
  deleteSite,
  listOf,
  mapText,
  parseMap,
  saveSite,
  selectorText,
  SITE_GROUP,
  useNodeGroups,
  useNodeUnits,
  type NodeGroup,
} from './site';

const base = (clusterId: string) => `/clusters/${encodeURIComponent(clusterId)}`;
const groupUrl = (clusterId: string, name: string) =>
  `${base(clusterId)}/nodegroups/${encodeURIComponent(name)}`;

function useGroupRights() {
  const [create, update, del] = useCanAll([
    { verb: 'create', group: SITE_GROUP, resource: 'nodegroups' },
    { verb: 'update', group: SITE_GROUP, resource: 'nodegroups' },
    { verb: 'delete', group: SITE_GROUP, resource: 'nodegroups' },
  ]);
  return { create: create!, update: update!, del: del! };
}

export function NodeGroupsPage() {
  const { clusterId = '' } = useParams();
  const { live: nodesLive } = useNodes(clusterId);
  const groups = useNodeGroups(clusterId);
  const can = useGroupRights();
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState<string>();
  return (
    <PageSection>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <Title headingLevel="h1">NodeGroups</Title>
          </ToolbarItem>
          <ToolbarItem>
            <LiveBadge live={worst(nodesLive, groups.live)} />
          </ToolbarItem>
          <ToolbarItem align={{ default: 'alignEnd' }}>
            {can.create && (
              <Button
                onClick={() => navigate(`${base(clusterId)}/nodegroups/new`)}
                data-testid="create-group"
              >
                Create NodeGroup
              </Button>
            )}
          </ToolbarItem>
          <ToolbarItem>
            <ImportYamlButton />
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
              {(can.update || can.del) && <Th screenReaderText="Actions" />}
            </Tr>
          </Thead>
          <Tbody>
            {groups.data.map((g) => {
              const name = g.metadata.name;
              return (
                <Tr key={name} data-testid={`group-row-${name}`}>
                  <Td dataLabel="Name">
                    <Link to={groupUrl(clusterId, name)}>{name}</Link>
                  </Td>
                  <Td dataLabel="Units">{(g.status?.nodeUnits ?? []).join(', ') || '<none>'}</Td>
                  <Td dataLabel="Named units">{(g.spec.nodeUnits ?? []).join(', ') || '—'}</Td>
                  <Td dataLabel="Selector">{selectorText(g.spec.selector) || '—'}</Td>
                  <Td dataLabel="Auto-find keys">{(g.spec.autoFindNodeKeys ?? []).join(', ') || '—'}</Td>
                  <Td dataLabel="Age">{age(g.metadata.creationTimestamp)}</Td>
                  {(can.update || can.del) && (
                    <Td isActionCell>
                      {can.update && (
                        <Button
                          variant="link"
                          isInline
                          onClick={() => navigate(`${groupUrl(clusterId, name)}/edit`)}
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
                          data-testid={`delete-group-${name}`}
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
      {groups.data?.length === 0 && <p style={{ padding: 16 }}>No NodeGroups in this cluster.</p>}
      {deleting && (
        <ConfirmDelete
          kind="NodeGroup"
          name={deleting}
          onDelete={() => deleteSite('nodegroups', deleting)}
          onClose={() => setDeleting(undefined)}
          onDone={() => setDeleting(undefined)}
        />
      )}
    </PageSection>
  );
}

/** One group: its units (named, selected or auto-found) with their members and ready rate. */
export function NodeGroupDetailPage() {
  const { clusterId = '', name = '' } = useParams();
  const nodes = useNodes(clusterId);
  const groups = useNodeGroups(clusterId);
  const units = useNodeUnits(clusterId);
  const can = useGroupRights();
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState(false);
  const group = groups.data?.find((g) => g.metadata.name === name);
  const unitNames = group?.status?.nodeUnits ?? [];
  return (
    <PageSection>
      <Breadcrumb>
        <BreadcrumbItem>
          <Link to={`${base(clusterId)}/nodegroups`}>NodeGroups</Link>
        </BreadcrumbItem>
        <BreadcrumbItem isActive>{name}</BreadcrumbItem>
      </Breadcrumb>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <Title headingLevel="h1">NodeGroup {name}</Title>
          </ToolbarItem>
          <ToolbarItem>
            <LiveBadge live={worst(nodes.live, groups.live, units.live)} />
          </ToolbarItem>
          <ToolbarItem align={{ default: 'alignEnd' }}>
            {group && can.update && (
              <Button
                variant="secondary"
                onClick={() => navigate(`${groupUrl(clusterId, name)}/edit`)}
                data-testid="edit-group"
              >
                Edit
              </Button>
            )}
          </ToolbarItem>
          <ToolbarItem>
            {group && can.del && (
              <Button variant="danger" onClick={() => setDeleting(true)} data-testid="delete-group">
                Delete
              </Button>
            )}
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {groups.error && (
        <Alert variant="danger" isInline title="Cannot read NodeGroups">
          {groups.error.message}
        </Alert>
      )}
      {groups.data && !group && (
        <Alert variant="warning" isInline title={`No NodeGroup "${name}" in this cluster`} />
      )}
      {group && (
        <>
          <DescriptionList
            isHorizontal
            columnModifier={{ default: '1Col', lg: '2Col' }}
            data-testid="group-summary"
          >
            <DescriptionListGroup>
              <DescriptionListTerm>Named units</DescriptionListTerm>
              <DescriptionListDescription>
                {(group.spec.nodeUnits ?? []).join(', ') || '—'}
              </DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Selector (unit labels)</DescriptionListTerm>
              <DescriptionListDescription>
                {selectorText(group.spec.selector) || '—'}
              </DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Auto-find keys</DescriptionListTerm>
              <DescriptionListDescription data-testid="group-autofind">
                {(group.spec.autoFindNodeKeys ?? []).join(', ') || '—'}
              </DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Node label</DescriptionListTerm>
              <DescriptionListDescription>
                {name}=&lt;unit&gt; on every member of its units
              </DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Age</DescriptionListTerm>
              <DescriptionListDescription>{age(group.metadata.creationTimestamp)}</DescriptionListDescription>
            </DescriptionListGroup>
          </DescriptionList>
          <Title headingLevel="h2" style={{ marginTop: 24 }}>
            Units ({unitNames.length})
          </Title>
          <Table aria-label="Units of the group" variant="compact" data-testid="group-units">
            <Thead>
              <Tr>
                <Th>Unit</Th>
                <Th>Ready</Th>
                <Th>Members</Th>
                <Th>K3s</Th>
              </Tr>
            </Thead>
            <Tbody>
              {unitNames.map((u) => {
                const unit = units.data?.find((x) => x.metadata.name === u);
                const ready = unit?.status?.readyNodes ?? [];
                const notReady = unit?.status?.notReadyNodes ?? [];
                return (
                  <Tr key={u} data-testid={`group-unit-${u}`}>
                    <Td dataLabel="Unit">
                      <Link to={`${base(clusterId)}/nodeunits/${encodeURIComponent(u)}`}>{u}</Link>
                    </Td>
                    <Td dataLabel="Ready">
                      <ReadyLabel
                        ready={ready.length}
                        notReady={notReady.length}
                        rate={unit?.status?.readyRate}
                      />
                    </Td>
                    <Td dataLabel="Members">{[...ready, ...notReady].sort().join(', ') || '<none>'}</Td>
                    <Td dataLabel="K3s">
                      <KinsLabel phase={unit?.status?.kinsPhase} />
                    </Td>
                  </Tr>
                );
              })}
            </Tbody>
          </Table>
          {unitNames.length === 0 && <p style={{ padding: 8 }}>No unit is in this group.</p>}
        </>
      )}
      {deleting && (
        <ConfirmDelete
          kind="NodeGroup"
          name={name}
          onDelete={() => deleteSite('nodegroups', name)}
          onClose={() => setDeleting(false)}
          onDone={() => navigate(`${base(clusterId)}/nodegroups`)}
        />
      )}
    </PageSection>
  );
}

const GROUP_FIELDS = ['name', 'spec.nodeUnits', 'spec.selector', 'spec.autoFindNodeKeys'] as const;

interface GroupDraft {
  name: string;
  units: string;
  selector: string;
  keys: string;
}
const draftOf = (g: NodeGroup | undefined): GroupDraft => ({
  name: g?.metadata.name ?? '',
  units: (g?.spec.nodeUnits ?? []).join(', '),
  selector: mapText(g?.spec.selector?.matchLabels),
  keys: (g?.spec.autoFindNodeKeys ?? []).join(', '),
});

/** Create (`/nodegroups/new`) or edit (`/nodegroups/<name>/edit`); the spec is replaced whole (PUT). */
export function NodeGroupFormPage() {
  const { clusterId = '', name } = useParams();
  const editing = name !== undefined;
  const groups = useNodeGroups(clusterId);
  const units = useNodeUnits(clusterId);
  const existing = groups.data?.find((g) => g.metadata.name === name);
  const navigate = useNavigate();
  const client = useQueryClient();
  const [draft, setDraft] = useState<GroupDraft>(() => draftOf(undefined));
  const [loaded, setLoaded] = useState(!editing);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const allowed = useCanState({
    verb: editing ? 'update' : 'create',
    group: SITE_GROUP,
    resource: 'nodegroups',
  });
  // the form starts from the object once it is read (state adjusted while rendering, no effect)
  if (editing && existing && !loaded) {
    setDraft(draftOf(existing));
    setLoaded(true);
  }
  const set = (k: keyof GroupDraft) => (_e: unknown, v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const unitNames = (units.data ?? []).map((u) => u.metadata.name);

  async function submit() {
    const selector = parseMap(draft.selector);
    const local: Record<string, string> = {};
    if (!draft.name.trim()) local.name = 'Required value: a name is required';
    if (selector.problem) local['spec.selector'] = selector.problem;
    if (Object.keys(local).length) return setErrors({ fields: local });
    const expressions = existing?.spec.selector?.matchExpressions ?? [];
    const obj: NodeGroup = {
      apiVersion: `${SITE_GROUP}/v1alpha2`,
      kind: 'NodeGroup',
      metadata: { name: draft.name.trim() },
      spec: {
        ...(listOf(draft.units).length ? { nodeUnits: listOf(draft.units) } : {}),
        ...(Object.keys(selector.map).length || expressions.length
          ? {
              selector: {
                ...(Object.keys(selector.map).length ? { matchLabels: selector.map } : {}),
                ...(expressions.length ? { matchExpressions: expressions } : {}),
              },
            }
          : {}),
        ...(listOf(draft.keys).length ? { autoFindNodeKeys: listOf(draft.keys) } : {}),
      },
    };
    setBusy(true);
    setErrors({ fields: {} });
    try {
      await saveSite('nodegroups', obj, editing);
      void client.invalidateQueries({ queryKey: ['site', clusterId] });
      navigate(groupUrl(clusterId, obj.metadata.name));
    } catch (e) {
      setErrors(spreadErrors(e, GROUP_FIELDS));
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
          <Link to={`${base(clusterId)}/nodegroups`}>NodeGroups</Link>
        </BreadcrumbItem>
        {editing && (
          <BreadcrumbItem>
            <Link to={groupUrl(clusterId, name)}>{name}</Link>
          </BreadcrumbItem>
        )}
        <BreadcrumbItem isActive>{editing ? 'Edit' : 'Create'}</BreadcrumbItem>
      </Breadcrumb>
      <Title headingLevel="h1" style={{ margin: '12px 0' }}>
        {editing ? `Edit NodeGroup ${name}` : 'Create NodeGroup'}
      </Title>
      {editing && groups.data && !existing && (
        <Alert variant="warning" isInline title={`No NodeGroup "${name}" in this cluster`} />
      )}
      {allowed === 'no' && (
        <Alert
          variant="warning"
          isInline
          title={`Your role may not ${editing ? 'change' : 'create'} NodeGroups`}
          data-testid="form-forbidden"
        >
          The API would refuse it; ask for an edit or cluster-admin credential.
        </Alert>
      )}
      {errors.general && (
        <Alert
          variant="danger"
          isInline
          title="The API refused the NodeGroup"
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
            hint="Also the node label key: <name>=<unit>"
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
          <Field
            label="Units"
            fieldId="spec.nodeUnits"
            error={err('spec.nodeUnits')}
            hint={`Unit names, comma separated${unitNames.length ? ` — ${unitNames.slice(0, 12).join(', ')}${unitNames.length > 12 ? ', …' : ''}` : ''}`}
          >
            <TextInput
              id="spec.nodeUnits"
              value={draft.units}
              onChange={set('units')}
              validated={err('spec.nodeUnits') ? 'error' : 'default'}
            />
          </Field>
          <Field
            label="Selector (unit labels)"
            fieldId="spec.selector"
            error={err('spec.selector')}
            hint="key=value, one per line: units with all of them are in the group"
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
            label="Auto-find keys"
            fieldId="spec.autoFindNodeKeys"
            error={err('spec.autoFindNodeKeys')}
            hint="Node label keys, comma separated: one unit is made per value tuple"
          >
            <TextInput
              id="spec.autoFindNodeKeys"
              value={draft.keys}
              onChange={set('keys')}
              validated={err('spec.autoFindNodeKeys') ? 'error' : 'default'}
            />
          </Field>
          <ActionGroup>
            <Button
              type="submit"
              variant="primary"
              isLoading={busy}
              isDisabled={busy}
              data-testid="save-group"
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

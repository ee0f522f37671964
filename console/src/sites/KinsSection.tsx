import {
  Alert,
  Button,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Form,
  FormSelect,
  FormSelectOption,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  ProgressStep,
  ProgressStepper,
  Spinner,
  TextInput,
  Title,
} from '@patternfly/react-core';
import { useState } from 'react';
import { useCan } from '../auth/can';
import { Field, KinsLabel } from './common';
import { spreadErrors, type FormErrors } from './errors';
import { kinsAction, listOf, SITE_GROUP, useKins, type Kins, type NodeUnit } from './site';

type Step = {
  title: string;
  variant: 'success' | 'info' | 'pending' | 'danger' | 'default';
  current?: boolean;
};

/** Where a promotion or demotion is: the phases nodepool moves through, as steps. */
function stepsOf(phase: string, lastAction: 'promote' | 'demote' | undefined): Step[] | undefined {
  switch (phase) {
    case 'promoting':
      return [
        { title: 'Promotion requested', variant: 'success' },
        { title: "Installing K3s on the unit's nodes", variant: 'info', current: true },
        { title: 'Independent K3s cluster', variant: 'pending' },
      ];
    case 'independent':
      return [
        { title: 'Promotion requested', variant: 'success' },
        { title: 'K3s installed', variant: 'success' },
        { title: 'Independent K3s cluster', variant: 'success', current: true },
      ];
    case 'failed':
      return [
        { title: 'Requested', variant: 'success' },
        { title: 'Failed', variant: 'danger', current: true },
      ];
    case 'demoting':
      return [
        { title: 'Demotion requested', variant: 'success' },
        { title: "Removing K3s from the unit's nodes", variant: 'info', current: true },
        { title: 'Back to a plain unit', variant: 'pending' },
      ];
    default:
      return lastAction === 'demote'
        ? [
            { title: 'Demotion requested', variant: 'success' },
            { title: 'K3s removed', variant: 'success' },
            { title: 'Back to a plain unit', variant: 'success', current: true },
          ]
        : undefined;
  }
}

/**
 * The unit's Kins (K3s) state and promote/demote. The work runs in the background (the unit's
 * agents install or remove K3s and report); the page follows it from the unit's watch — each Kins
 * event of the unit re-reads `nodeunits/<name>/kins` — until it is independent, failed or none.
 */
export function KinsSection({ clusterId, unit }: { clusterId: string; unit: NodeUnit }) {
  const name = unit.metadata.name;
  const kins = useKins(clusterId, name);
  const can = useCan({ verb: 'create', group: SITE_GROUP, resource: 'nodeunits', subresource: 'kins' });
  const [dialog, setDialog] = useState<'promote' | 'demote'>();
  const [lastAction, setLastAction] = useState<'promote' | 'demote'>();
  const k: Kins['status'] | undefined = kins.data?.status;
  const phase = k?.phase ?? unit.status?.kinsPhase ?? 'none';
  const steps = stepsOf(phase, lastAction);
  const running = phase === 'promoting' || phase === 'demoting';
  return (
    <section data-testid="kins-section" style={{ marginTop: 24 }}>
      <Title headingLevel="h2">
        K3s (Kins) <KinsLabel phase={phase} /> {running && <Spinner size="md" aria-label="in progress" />}
      </Title>
      {kins.error && (
        <Alert variant="danger" isInline title="Cannot read the Kins state">
          {kins.error.message}
        </Alert>
      )}
      {steps && (
        <ProgressStepper aria-label="Kins progress" data-testid="kins-progress" style={{ margin: '12px 0' }}>
          {steps.map((s, i) => (
            <ProgressStep
              key={s.title}
              id={`kins-step-${i}`}
              titleId={`kins-step-${i}-title`}
              variant={s.variant}
              isCurrent={s.current}
              aria-label={s.title}
            >
              {s.title}
            </ProgressStep>
          ))}
        </ProgressStepper>
      )}
      {phase === 'failed' && k?.failureReason && (
        <Alert variant="danger" isInline title="K3s failed" data-testid="kins-failure">
          {k.failureReason}
        </Alert>
      )}
      {k && phase !== 'none' && (
        <DescriptionList
          isHorizontal
          isCompact
          columnModifier={{ default: '1Col', lg: '2Col' }}
          data-testid="kins-state"
        >
          <DescriptionListGroup>
            <DescriptionListTerm>Mode</DescriptionListTerm>
            <DescriptionListDescription>{k.mode ?? '—'}</DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>Generation</DescriptionListTerm>
            <DescriptionListDescription>{k.generation ?? '—'}</DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>Nodes</DescriptionListTerm>
            <DescriptionListDescription>
              {(k.nodes ?? []).map((n) => `${n.name} (${n.role})`).join(', ') || '—'}
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>Service CIDR / DNS</DescriptionListTerm>
            <DescriptionListDescription>
              {k.serviceCIDR ?? '—'} / {k.clusterDNS ?? '—'}
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>NodePorts</DescriptionListTerm>
            <DescriptionListDescription>
              {k.nodePortRange ? `${k.nodePortRange.from}-${k.nodePortRange.to}` : '—'}
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>API server</DescriptionListTerm>
            <DescriptionListDescription>
              {k.apiServerEndpoint ?? '—'}
              {k.k3sVersion ? ` (K3s ${k.k3sVersion})` : ''}
            </DescriptionListDescription>
          </DescriptionListGroup>
        </DescriptionList>
      )}
      {can && (
        <div style={{ marginTop: 12, display: 'flex', gap: 8 }}>
          {(phase === 'none' || phase === 'failed') && (
            <Button variant="secondary" onClick={() => setDialog('promote')} data-testid="kins-promote">
              {phase === 'failed' ? 'Promote again' : 'Promote to K3s'}
            </Button>
          )}
          {phase !== 'none' && phase !== 'demoting' && (
            <Button
              variant="secondary"
              isDanger
              onClick={() => setDialog('demote')}
              data-testid="kins-demote"
            >
              Demote
            </Button>
          )}
        </div>
      )}
      {dialog && (
        <KinsDialog
          action={dialog}
          unit={unit}
          onClose={() => setDialog(undefined)}
          onDone={(state) => {
            setLastAction(dialog);
            setDialog(undefined);
            if (state) void kins.refetch();
          }}
        />
      )}
    </section>
  );
}

function KinsDialog({
  action,
  unit,
  onClose,
  onDone,
}: {
  action: 'promote' | 'demote';
  unit: NodeUnit;
  onClose: () => void;
  onDone: (state: Kins | undefined) => void;
}) {
  const name = unit.metadata.name;
  const members = [...(unit.status?.readyNodes ?? []), ...(unit.status?.notReadyNodes ?? [])].sort();
  const [mode, setMode] = useState('single');
  const [servers, setServers] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  return (
    <Modal isOpen variant="small" onClose={onClose} aria-labelledby="kins-dialog-title">
      <ModalHeader
        title={action === 'promote' ? `Promote ${name} to an independent K3s cluster?` : `Demote ${name}?`}
        labelId="kins-dialog-title"
        titleIconVariant={action === 'demote' ? 'warning' : undefined}
        description={
          action === 'promote'
            ? `K3s is installed on its ${members.length} node(s) by their agents; this page shows the progress until it is done.`
            : "K3s is removed from the unit's nodes; workloads of the K3s cluster stop."
        }
      />
      <ModalBody>
        {action === 'promote' && (
          <Form onSubmit={(e) => e.preventDefault()}>
            <Field label="Mode" fieldId="mode" error={errors.fields.mode} hint="ha needs at least 3 nodes">
              <FormSelect id="mode" value={mode} onChange={(_e, v) => setMode(v)} aria-label="Mode">
                <FormSelectOption value="single" label="single (1 server)" />
                <FormSelectOption value="ha" label="ha (3 servers)" />
              </FormSelect>
            </Field>
            <Field
              label="Servers (optional)"
              fieldId="servers"
              error={errors.fields.servers}
              hint={`Node names, comma separated; of ${members.join(', ') || 'no members'}`}
            >
              <TextInput id="servers" value={servers} onChange={(_e, v) => setServers(v)} />
            </Field>
          </Form>
        )}
        {errors.general && (
          <Alert
            variant="danger"
            isInline
            title="The API refused"
            data-testid="kins-error"
            style={{ marginTop: 12 }}
          >
            {errors.general}
          </Alert>
        )}
      </ModalBody>
      <ModalFooter>
        <Button
          variant={action === 'demote' ? 'danger' : 'primary'}
          isLoading={busy}
          isDisabled={busy}
          data-testid="kins-confirm"
          onClick={async () => {
            setBusy(true);
            setErrors({ fields: {} });
            try {
              const body =
                action === 'promote'
                  ? { action, mode, ...(listOf(servers).length ? { servers: listOf(servers) } : {}) }
                  : { action };
              onDone(await kinsAction(name, body));
            } catch (e) {
              setErrors(spreadErrors(e, ['mode', 'servers']));
            } finally {
              setBusy(false);
            }
          }}
        >
          {action === 'promote' ? 'Promote' : 'Demote'}
        </Button>
        <Button variant="link" onClick={onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}

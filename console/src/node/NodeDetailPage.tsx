import {
  Alert,
  Breadcrumb,
  BreadcrumbItem,
  Button,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Flex,
  FlexItem,
  Form,
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  Label,
  LabelGroup,
  PageSection,
  Progress,
  TextInput,
  Title,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, kubeGet } from '../api';
import { useCan } from '../auth/can';
import { HEALTH_PATH, type NodeHealth } from '../health/health';
import { LiveBadge } from '../NodesPage';
import { age, nodeRoles, nodeStatus, nodeUnits, taintText, useNodes, type KubeNode } from '../nodes';
import {
  cordonsOf,
  drainNode,
  isDraining,
  labelKeyProblem,
  labelsByOwner,
  labelValueProblem,
  ownAnnotations,
  removeLabel,
  setLabel,
  setUnschedulable,
  taintOwner,
  useNodePods,
  type KubePod,
} from './node-api';
import { EventTimeline } from '../events/EventTimeline';

const OWNER_TITLE: Record<string, string> = {
  operator: 'Operator (editable)',
  cluster: 'Cluster service',
  nodepool: 'Nodepool (unit membership, NodeUnit setNode)',
  'health-arbiter': 'Health arbiter',
};

/**
 * One node: status and verdict, labels grouped by owner, taints with their owner, conditions, the
 * node's pods (each with a terminal), and — for a role that may patch nodes — label add/remove
 * (operator labels only), cordon/uncordon and drain with its progress (the node's pods going away).
 * Live: the nodes watch and a pods watch keep it current.
 */
export function NodeDetailPage() {
  const { clusterId = '', name = '' } = useParams();
  const { data, error, live } = useNodes(clusterId);
  const node = data?.byName.get(name);
  const nodesUrl = `/clusters/${encodeURIComponent(clusterId)}/nodes`;
  const canPatch = useCan({ verb: 'patch', group: '', resource: 'nodes', name });
  const canDrain = useCan({ verb: 'create', group: '', resource: 'nodes', subresource: 'drain', name });
  const canExec = useCan({ verb: 'create', group: '', resource: 'pods', subresource: 'exec' });
  // one pods watch for the page: the drain's progress and the pods table read the same list
  const nodePods = useNodePods(name);
  return (
    <PageSection>
      <Breadcrumb>
        <BreadcrumbItem>
          <Link to={nodesUrl}>Nodes</Link>
        </BreadcrumbItem>
        <BreadcrumbItem isActive>{name}</BreadcrumbItem>
      </Breadcrumb>
      <Title headingLevel="h1" style={{ margin: '12px 0' }}>
        Node {name} <LiveBadge live={live} />
      </Title>
      {error && (
        <Alert variant="danger" isInline title="Cannot read the node">
          {error.message}
        </Alert>
      )}
      {data && !node && <Alert variant="warning" isInline title={`No node "${name}" in this cluster`} />}
      {node && (
        <>
          <NodeActions node={node} canPatch={canPatch} canDrain={canDrain} pods={nodePods.pods} />
          <NodeFacts clusterId={clusterId} node={node} />
          <Title headingLevel="h2" style={{ marginTop: 24 }}>
            Labels
          </Title>
          <LabelsByOwner node={node} canPatch={canPatch} />
          <Title headingLevel="h2" style={{ marginTop: 24 }}>
            Taints
          </Title>
          <Taints node={node} />
          <Title headingLevel="h2" style={{ marginTop: 24 }}>
            Conditions
          </Title>
          <Table aria-label="Conditions" variant="compact" data-testid="detail-conditions">
            <Thead>
              <Tr>
                <Th>Type</Th>
                <Th>Status</Th>
                <Th>Reason</Th>
                <Th>Message</Th>
                <Th>Since</Th>
              </Tr>
            </Thead>
            <Tbody>
              {(node.status?.conditions ?? []).map((c) => (
                <Tr key={c.type}>
                  <Td dataLabel="Type">{c.type}</Td>
                  <Td dataLabel="Status">{c.status}</Td>
                  <Td dataLabel="Reason">{c.reason}</Td>
                  <Td dataLabel="Message">{c.message}</Td>
                  <Td dataLabel="Since">{c.lastTransitionTime ? age(c.lastTransitionTime) : ''}</Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
          <Title headingLevel="h2" style={{ marginTop: 24 }}>
            Pods on this node
          </Title>
          <NodePods clusterId={clusterId} node={name} canExec={canExec} {...nodePods} />
          <div style={{ marginTop: 24 }} data-testid="event-timeline-slot">
            <EventTimeline kind="Node" name={name} />
          </div>
        </>
      )}
    </PageSection>
  );
}

/**
 * The health arbiter's verdict on the node (`health.edgeplane.io/v1` nodehealths/<name>): verdict,
 * rule, since, linked to its explanation on the health page. Read again whenever the node's Ready
 * condition or taints change (what a new verdict changes), so it follows the node watch.
 */
function HealthVerdict({ clusterId, node }: { clusterId: string; node: KubeNode }) {
  const name = node.metadata.name;
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const signature = `${ready?.status}|${ready?.reason}|${(node.spec?.taints ?? []).map(taintText).join(',')}`;
  const { data, error } = useQuery({
    queryKey: ['node-verdict', clusterId, name, signature],
    queryFn: ({ signal }) => kubeGet<NodeHealth>(`${HEALTH_PATH}/${encodeURIComponent(name)}`, signal),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: false,
    placeholderData: keepPreviousData,
  });
  if (error)
    return <>{error instanceof ApiError && error.status === 404 ? 'no verdict yet' : error.message}</>;
  if (!data) return <>…</>;
  const { verdict, rule, since } = data.status;
  return (
    <>
      <Label
        isCompact
        color={verdict === 'Ready' ? 'green' : verdict === 'Unknown' || !verdict ? 'grey' : 'red'}
      >
        {verdict || 'none yet'}
      </Label>{' '}
      {rule && <span>rule {rule}</span>}
      {since && <span> · since {age(since)}</span>}{' '}
      <Link to={`/clusters/${encodeURIComponent(clusterId)}/health/${encodeURIComponent(name)}`}>
        explanation
      </Link>
    </>
  );
}

function NodeFacts({ clusterId, node }: { clusterId: string; node: KubeNode }) {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const cordons = cordonsOf(node);
  const info = node.status?.nodeInfo;
  const fact = (term: string, value: React.ReactNode, testid?: string) => (
    <DescriptionListGroup>
      <DescriptionListTerm>{term}</DescriptionListTerm>
      <DescriptionListDescription data-testid={testid}>{value}</DescriptionListDescription>
    </DescriptionListGroup>
  );
  return (
    <DescriptionList isHorizontal isCompact columnModifier={{ default: '1Col', lg: '2Col' }}>
      {fact('Status', nodeStatus(node), 'detail-status')}
      {fact('Verdict', <HealthVerdict clusterId={clusterId} node={node} />, 'detail-verdict')}
      {fact(
        'Ready condition',
        ready
          ? `${ready.status}${ready.reason ? ` (${ready.reason})` : ''}${ready.message ? `: ${ready.message}` : ''}`
          : 'none yet',
        'detail-ready',
      )}
      {fact('Roles', nodeRoles(node))}
      {fact('Units', nodeUnits(node), 'detail-units')}
      {fact(
        'Cordoned by',
        cordons.length ? cordons.map((c) => `${c.holder}: ${c.reason}`).join('; ') : 'nobody',
        'detail-cordons',
      )}
      {fact('Age', age(node.metadata.creationTimestamp))}
      {fact(
        'Addresses',
        (node.status?.addresses ?? []).map((a) => `${a.type} ${a.address}`).join(', '),
        'detail-addresses',
      )}
      {fact('Kubernetes version', info?.kubeletVersion)}
      {fact('OS / arch', `${info?.osImage || 'unknown'} / ${info?.architecture || 'unknown'}`)}
      {fact('Runtime', info?.containerRuntimeVersion || 'unknown')}
      {fact('Agent version', 'not reported by the cluster service')}
      {fact('Allocatable', 'not reported by the cluster service')}
      {ownAnnotations(node).length > 0 &&
        fact(
          'Annotations',
          ownAnnotations(node)
            .map(([k, v]) => `${k}=${v}`)
            .join(', '),
        )}
    </DescriptionList>
  );
}

function NodeActions({
  node,
  canPatch,
  canDrain,
  pods,
}: {
  node: KubeNode;
  canPatch: boolean;
  canDrain: boolean;
  pods?: KubePod[];
}) {
  const name = node.metadata.name;
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [drainRequested, setDrainRequested] = useState(false);
  const draining = isDraining(node) || drainRequested;
  const run = async (what: string, action: () => Promise<unknown>) => {
    setBusy(what);
    setFailure(undefined);
    try {
      await action();
    } catch (e) {
      setFailure(`${what}: ${(e as Error).message}`);
      return false;
    } finally {
      setBusy(undefined);
    }
    return true;
  };
  if (!canPatch && !canDrain && !draining) return null;
  return (
    <div style={{ marginBottom: 16 }}>
      <Flex>
        {canPatch && (
          <FlexItem>
            {node.spec?.unschedulable ? (
              <Button
                variant="secondary"
                data-testid="uncordon"
                isLoading={busy === 'Uncordon'}
                onClick={() => void run('Uncordon', () => setUnschedulable(name, false))}
              >
                Uncordon
              </Button>
            ) : (
              <Button
                variant="secondary"
                data-testid="cordon"
                isLoading={busy === 'Cordon'}
                onClick={() => void run('Cordon', () => setUnschedulable(name, true))}
              >
                Cordon
              </Button>
            )}
          </FlexItem>
        )}
        {canDrain && !isDraining(node) && (
          <FlexItem>
            <Button
              variant="warning"
              data-testid="drain"
              isLoading={busy === 'Drain'}
              onClick={() =>
                void run('Drain', () => drainNode(name)).then((ok) => ok && setDrainRequested(true))
              }
            >
              Drain
            </Button>
          </FlexItem>
        )}
      </Flex>
      {failure && (
        <Alert
          variant="danger"
          isInline
          title="The API refused"
          style={{ marginTop: 8 }}
          data-testid="action-error"
        >
          {failure}
        </Alert>
      )}
      {draining && <DrainProgress pods={pods} />}
    </div>
  );
}

/** A drain's progress: the node's pods going away (their grids place them elsewhere). */
function DrainProgress({ pods }: { pods?: KubePod[] }) {
  const [initial] = useState(() => pods?.length);
  const left = pods?.length;
  const start = Math.max(initial ?? 0, left ?? 0, 1);
  const done = left === 0;
  return (
    <div data-testid="drain-progress" style={{ marginTop: 12, maxWidth: 560 }}>
      <Progress
        value={left === undefined ? 0 : ((start - left) / start) * 100}
        title={
          left === undefined
            ? 'Draining: reading the node’s pods…'
            : done
              ? 'Drained: no pods left on this node'
              : `Draining: ${left} pod${left === 1 ? '' : 's'} left on this node`
        }
        variant={done ? 'success' : undefined}
        measureLocation="none"
      />
    </div>
  );
}

function LabelsByOwner({ node, canPatch }: { node: KubeNode; canPatch: boolean }) {
  const name = node.metadata.name;
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const keyProblem = key ? labelKeyProblem(key) : undefined;
  const valueProblem = labelValueProblem(value);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!key || keyProblem || valueProblem) return;
    setBusy(true);
    setFailure(undefined);
    try {
      await setLabel(name, key, value);
      setKey('');
      setValue('');
    } catch (err) {
      setFailure((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (k: string) => {
    setFailure(undefined);
    try {
      await removeLabel(name, k);
    } catch (err) {
      setFailure((err as Error).message);
    }
  };
  const groups = labelsByOwner(node);
  return (
    <div data-testid="detail-labels">
      {groups.length === 0 && 'none'}
      {groups.map(({ owner, labels }) => (
        <div key={owner} data-testid={`labels-owner-${owner}`} style={{ marginBottom: 8 }}>
          <strong>{OWNER_TITLE[owner] ?? owner}</strong>
          <div>
            <LabelGroup numLabels={100}>
              {labels.map(([k, v]) => (
                <Label
                  key={k}
                  isCompact
                  color={owner === 'operator' ? 'blue' : 'grey'}
                  data-testid={`label-${k}`}
                  {...(canPatch && owner === 'operator'
                    ? { onClose: () => void remove(k), closeBtnAriaLabel: `Remove label ${k}` }
                    : {})}
                >
                  {v ? `${k}=${v}` : k}
                </Label>
              ))}
            </LabelGroup>
          </div>
        </div>
      ))}
      {canPatch && (
        <Form isHorizontal={false} onSubmit={(e) => void submit(e)} style={{ maxWidth: 720, marginTop: 8 }}>
          <Flex alignItems={{ default: 'alignItemsFlexEnd' }}>
            <FlexItem>
              <FormGroup label="Label key" fieldId="label-key">
                <TextInput
                  id="label-key"
                  data-testid="label-key"
                  value={key}
                  maxLength={317}
                  validated={keyProblem ? 'error' : 'default'}
                  onChange={(_e, v) => setKey(v.trim())}
                />
              </FormGroup>
            </FlexItem>
            <FlexItem>
              <FormGroup label="Value" fieldId="label-value">
                <TextInput
                  id="label-value"
                  data-testid="label-value"
                  value={value}
                  maxLength={63}
                  validated={valueProblem ? 'error' : 'default'}
                  onChange={(_e, v) => setValue(v.trim())}
                />
              </FormGroup>
            </FlexItem>
            <FlexItem>
              <Button
                type="submit"
                data-testid="label-add"
                isDisabled={!key || !!keyProblem || !!valueProblem}
                isLoading={busy}
              >
                Add label
              </Button>
            </FlexItem>
          </Flex>
          {(keyProblem || valueProblem) && (
            <FormHelperText>
              <HelperText>
                <HelperTextItem variant="error">{keyProblem ?? valueProblem}</HelperTextItem>
              </HelperText>
            </FormHelperText>
          )}
        </Form>
      )}
      {failure && (
        <Alert variant="danger" isInline title="The API refused the label" data-testid="label-error">
          {failure}
        </Alert>
      )}
    </div>
  );
}

function Taints({ node }: { node: KubeNode }) {
  const taints = node.spec?.taints ?? [];
  if (taints.length === 0) return <div data-testid="detail-taints">none</div>;
  return (
    <Table aria-label="Taints" variant="compact" data-testid="detail-taints">
      <Thead>
        <Tr>
          <Th>Key</Th>
          <Th>Value</Th>
          <Th>Effect</Th>
          <Th>Owner</Th>
        </Tr>
      </Thead>
      <Tbody>
        {taints.map((t) => (
          <Tr key={taintText(t)} data-testid={`taint-${t.key}`}>
            <Td dataLabel="Key">{t.key}</Td>
            <Td dataLabel="Value">{t.value ?? ''}</Td>
            <Td dataLabel="Effect">{t.effect}</Td>
            <Td dataLabel="Owner">{taintOwner(node, t)}</Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}

function NodePods({
  clusterId,
  node,
  canExec,
  pods,
  error,
}: {
  clusterId: string;
  node: string;
  canExec: boolean;
  pods?: KubePod[];
  error?: Error;
}) {
  if (error)
    return (
      <Alert variant="danger" isInline title="Cannot read the node's pods">
        {error.message}
      </Alert>
    );
  if (!pods) return <div>Reading…</div>;
  if (pods.length === 0) return <div data-testid="node-pods">no pods</div>;
  return (
    <Table aria-label="Pods" variant="compact" data-testid="node-pods">
      <Thead>
        <Tr>
          <Th>Namespace</Th>
          <Th>Name</Th>
          <Th>Phase</Th>
          <Th />
        </Tr>
      </Thead>
      <Tbody>
        {pods.map((p) => {
          const ns = p.metadata.namespace ?? 'default';
          return (
            <Tr key={`${ns}/${p.metadata.name}`}>
              <Td dataLabel="Namespace">{ns}</Td>
              <Td dataLabel="Name">{p.metadata.name}</Td>
              <Td dataLabel="Phase">{p.status?.phase ?? ''}</Td>
              <Td>
                {canExec && (
                  <Link
                    data-testid={`terminal-${p.metadata.name}`}
                    to={`/clusters/${encodeURIComponent(clusterId)}/nodes/${encodeURIComponent(node)}/pods/${encodeURIComponent(ns)}/${encodeURIComponent(p.metadata.name)}/terminal`}
                  >
                    Terminal
                  </Link>
                )}
              </Td>
            </Tr>
          );
        })}
      </Tbody>
    </Table>
  );
}

import {
  Alert,
  Breadcrumb,
  BreadcrumbItem,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Label,
  LabelGroup,
  PageSection,
  Title,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { Link, useParams } from 'react-router';
import { LiveBadge } from './NodesPage';
import { age, nodeRoles, nodeStatus, nodeUnits, taintText, useNodes } from './nodes';

/** One node: status, labels, taints, conditions (live: the nodes watch keeps it current). */
export function NodeDetailPage() {
  const { clusterId = '', name = '' } = useParams();
  const { data, error, live } = useNodes(clusterId);
  const node = data?.byName.get(name);
  const nodesUrl = `/clusters/${encodeURIComponent(clusterId)}/nodes`;
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
          <DescriptionList isHorizontal columnModifier={{ default: '1Col', lg: '2Col' }}>
            <DescriptionListGroup>
              <DescriptionListTerm>Status</DescriptionListTerm>
              <DescriptionListDescription data-testid="detail-status">
                {nodeStatus(node)}
              </DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Roles</DescriptionListTerm>
              <DescriptionListDescription>{nodeRoles(node)}</DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Units</DescriptionListTerm>
              <DescriptionListDescription>{nodeUnits(node)}</DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Age</DescriptionListTerm>
              <DescriptionListDescription>{age(node.metadata.creationTimestamp)}</DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Version</DescriptionListTerm>
              <DescriptionListDescription>{node.status?.nodeInfo?.kubeletVersion}</DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Addresses</DescriptionListTerm>
              <DescriptionListDescription>
                {(node.status?.addresses ?? []).map((a) => `${a.type} ${a.address}`).join(', ')}
              </DescriptionListDescription>
            </DescriptionListGroup>
          </DescriptionList>
          <Title headingLevel="h2" style={{ marginTop: 24 }}>
            Labels
          </Title>
          <div data-testid="detail-labels">
            <LabelGroup numLabels={100}>
              {Object.entries(node.metadata.labels ?? {})
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([k, v]) => (
                  <Label key={k} isCompact>
                    {v ? `${k}=${v}` : k}
                  </Label>
                ))}
            </LabelGroup>
          </div>
          <Title headingLevel="h2" style={{ marginTop: 24 }}>
            Taints
          </Title>
          <div data-testid="detail-taints">
            {(node.spec?.taints ?? []).length === 0
              ? 'none'
              : (node.spec?.taints ?? []).map((t) => (
                  <Label key={taintText(t)} color="orange" isCompact style={{ marginRight: 4 }}>
                    {taintText(t)}
                  </Label>
                ))}
          </div>
          <Title headingLevel="h2" style={{ marginTop: 24 }}>
            Conditions
          </Title>
          <Table aria-label="Conditions" variant="compact">
            <Thead>
              <Tr>
                <Th>Type</Th>
                <Th>Status</Th>
                <Th>Reason</Th>
                <Th>Message</Th>
              </Tr>
            </Thead>
            <Tbody>
              {(node.status?.conditions ?? []).map((c) => (
                <Tr key={c.type}>
                  <Td>{c.type}</Td>
                  <Td>{c.status}</Td>
                  <Td>{c.reason}</Td>
                  <Td>{c.message}</Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        </>
      )}
    </PageSection>
  );
}

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
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { LiveBadge } from '../NodesPage';
import { age, canWriteClusters, isPlatformSession, useClusters, type ClusterObject } from './clusters-api';

export function AccessLabels({ c }: { c: ClusterObject }) {
  const { access } = c.spec;
  if (!access.public && !access.private)
    return (
      <Label color="grey" isCompact>
        none
      </Label>
    );
  return (
    <>
      {access.public && (
        <Label color="blue" isCompact>
          public
        </Label>
      )}
      {access.private && (
        <Label color="purple" isCompact style={{ marginLeft: access.public ? 4 : 0 }}>
          private
        </Label>
      )}
    </>
  );
}

/** Platform sessions only: a kubeconfig login is one cluster's, and cannot see the others. */
export function NeedsPlatform() {
  return (
    <PageSection>
      <Alert variant="info" isInline title="Clusters need a platform login" data-testid="needs-platform">
        This session was opened with one cluster&apos;s kubeconfig. Log out and log in with a platform
        credential file (<code>.edgeplane/credentials/admin.yaml</code>, kind: Credentials) to list and create
        clusters.
      </Alert>
    </PageSection>
  );
}

/** /clusters: NAME, ID, VERSION, REGION, TIER, ACCESS, NODES, AGE — live (management API watch). */
export function ClustersPage() {
  const platform = isPlatformSession();
  const navigate = useNavigate();
  const { clusters, error, isPending, live } = useClusters();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 10_000);
    return () => clearInterval(t);
  }, []);
  if (!platform) return <NeedsPlatform />;
  return (
    <PageSection>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <Title headingLevel="h1">Clusters</Title>
          </ToolbarItem>
          <ToolbarItem>
            <LiveBadge live={live} />
          </ToolbarItem>
          {canWriteClusters() && (
            <ToolbarItem>
              <Button
                variant="primary"
                data-testid="create-cluster"
                onClick={() => navigate('/clusters/new')}
              >
                Create cluster
              </Button>
            </ToolbarItem>
          )}
          <ToolbarItem align={{ default: 'alignEnd' }} data-testid="cluster-count">
            {clusters.length} cluster{clusters.length === 1 ? '' : 's'}
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {error && (
        <Alert variant="danger" isInline title="Cannot list clusters" data-testid="clusters-error">
          {error.message}
        </Alert>
      )}
      {isPending && <p>Loading clusters…</p>}
      {!isPending && !error && (
        <div style={{ overflowX: 'auto' }}>
          <Table
            aria-label="Clusters"
            variant="compact"
            data-testid="clusters-table"
            gridBreakPoint=""
            style={{ minWidth: 900 }}
          >
            <Thead>
              <Tr>
                <Th>Name</Th>
                <Th>ID</Th>
                <Th>Version</Th>
                <Th>Region</Th>
                <Th>Tier</Th>
                <Th>Access</Th>
                <Th>Nodes</Th>
                <Th>Age</Th>
              </Tr>
            </Thead>
            <Tbody>
              {clusters.map((c) => {
                const id = c.metadata.name;
                return (
                  <Tr key={id} data-testid={`cluster-row-${c.spec.displayName}`}>
                    <Td dataLabel="Name">
                      <Link to={`/clusters/${encodeURIComponent(id)}`}>{c.spec.displayName}</Link>
                    </Td>
                    <Td dataLabel="ID">
                      <code>{id}</code>
                    </Td>
                    <Td dataLabel="Version">{c.spec.kubernetesVersion}</Td>
                    <Td dataLabel="Region">{c.spec.region}</Td>
                    <Td dataLabel="Tier">{c.spec.tier}</Td>
                    <Td dataLabel="Access">
                      <AccessLabels c={c} />
                    </Td>
                    <Td dataLabel="Nodes">
                      <Link
                        to={`/clusters/${encodeURIComponent(id)}/nodes`}
                        data-testid={`cluster-nodes-${c.spec.displayName}`}
                      >
                        {c.status.usage.nodes} / {c.status.tierCaps.nodes}
                      </Link>
                    </Td>
                    <Td dataLabel="Age">{age(c.metadata.creationTimestamp, now)}</Td>
                  </Tr>
                );
              })}
            </Tbody>
          </Table>
          {clusters.length === 0 && <p style={{ padding: 16 }}>No clusters yet.</p>}
        </div>
      )}
    </PageSection>
  );
}

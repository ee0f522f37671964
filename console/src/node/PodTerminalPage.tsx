import { Breadcrumb, BreadcrumbItem, PageSection, Title } from '@patternfly/react-core';
import { Link, useParams, useSearchParams } from 'react-router';
import { PodTerminal } from './PodTerminal';

/**
 * `/clusters/<id>/nodes/<node>/pods/<namespace>/<pod>/terminal[?command=…&container=…]`: a shell
 * (default `sh -i`) in the pod's container, over the kube API's pods/exec through the tunnel.
 */
export function PodTerminalPage() {
  const { clusterId = '', name = '', namespace = 'default', pod = '' } = useParams();
  const [q] = useSearchParams();
  const command = q.getAll('command').slice(0, 32);
  const container = q.get('container') ?? undefined;
  const nodeUrl = `/clusters/${encodeURIComponent(clusterId)}/nodes/${encodeURIComponent(name)}`;
  return (
    <PageSection>
      <Breadcrumb>
        <BreadcrumbItem>
          <Link to={`/clusters/${encodeURIComponent(clusterId)}/nodes`}>Nodes</Link>
        </BreadcrumbItem>
        <BreadcrumbItem>
          <Link to={nodeUrl}>{name}</Link>
        </BreadcrumbItem>
        <BreadcrumbItem isActive>
          {namespace}/{pod}
        </BreadcrumbItem>
      </Breadcrumb>
      <Title headingLevel="h1" style={{ margin: '12px 0' }}>
        Terminal: pod {pod}
      </Title>
      <PodTerminal
        namespace={namespace}
        pod={pod}
        command={command.length ? command : ['sh', '-i']}
        {...(container ? { container } : {})}
      />
    </PageSection>
  );
}

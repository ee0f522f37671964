import '@patternfly/react-core/dist/styles/base.css';
import {
  Button,
  Masthead,
  Nav,
  NavItem,
  NavList,
  PageSidebar,
  PageSidebarBody,
  MastheadBrand,
  MastheadContent,
  MastheadMain,
  MastheadToggle,
  PageToggleButton,
  Page,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Link, Navigate, Outlet, Route, Routes, useLocation, useNavigate } from 'react-router';
import { LoginPage } from './LoginPage';
import { ClusterCreatePage } from './clusters/ClusterCreatePage';
import { ClusterDetailPage } from './clusters/ClusterDetailPage';
import { ClustersPage } from './clusters/ClustersPage';
import { EventsPage } from './events/EventsPage';
import { GridDetailPage } from './grids/GridDetailPage';
import { GridsPage } from './grids/GridsPage';
import { PodLogsPage } from './grids/PodLogsPage';
import { HealthPage } from './health/HealthPage';
import { NodeDetailPage } from './node/NodeDetailPage';
import { PodTerminalPage } from './node/PodTerminalPage';
import { NodesPage } from './NodesPage';
import { NodeGroupDetailPage, NodeGroupFormPage, NodeGroupsPage } from './sites/GroupPages';
import { NodeUnitDetailPage, NodeUnitFormPage, NodeUnitsPage } from './sites/UnitPages';
import { clearSession, loadSession, roleOf } from './session';

const queryClient = new QueryClient();

/** PatternFly's NavItem renders its `component` with `href`: a react-router Link instead (no reload). */
function RouterLink({ href, ...props }: React.AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return <Link {...props} to={href} />;
}

function Shell() {
  const session = loadSession();
  const navigate = useNavigate();
  const location = useLocation();
  const masthead = (
    <Masthead>
      <MastheadMain>
        {session && (
          <MastheadToggle>
            <PageToggleButton variant="plain" aria-label="Views" isHamburgerButton />
          </MastheadToggle>
        )}
        <MastheadBrand>
          <strong style={{ color: 'var(--pf-t--global--text--color--regular)', fontSize: 18 }}>
            Edgeplane
          </strong>
        </MastheadBrand>
      </MastheadMain>
      <MastheadContent>
        {session && (
          <Toolbar isFullHeight>
            <ToolbarContent>
              <ToolbarItem align={{ default: 'alignEnd' }} data-testid="whoami">
                {session.user} ({roleOf(session.groups)}) ·{' '}
                {session.scope === 'platform'
                  ? `platform${session.clusterId ? ` · cluster ${session.clusterId.slice(0, 8)}` : ''}`
                  : `cluster ${session.clusterId.slice(0, 8)}`}
              </ToolbarItem>
              <ToolbarItem>
                <Button
                  variant="secondary"
                  onClick={() => {
                    clearSession();
                    queryClient.clear();
                    navigate('/login');
                  }}
                >
                  Log out
                </Button>
              </ToolbarItem>
            </ToolbarContent>
          </Toolbar>
        )}
      </MastheadContent>
    </Masthead>
  );
  if (!session && location.pathname !== '/login') return <Navigate to="/login" replace />;
  const base = session ? `/clusters/${encodeURIComponent(session.clusterId)}` : '';
  // a platform session (Credentials login) has the clusters list, and a cluster's views once one is open
  const platform = session?.scope === 'platform';
  const views = [
    ['nodes', 'Nodes'],
    ['nodeunits', 'NodeUnits'],
    ['nodegroups', 'NodeGroups'],
    ['grids', 'Grids'],
    ['health', 'Health'],
    ['events', 'Events'],
  ];
  const sidebar = session ? (
    <PageSidebar>
      <PageSidebarBody>
        <Nav aria-label="Views">
          <NavList>
            {platform && (
              <NavItem
                isActive={location.pathname === '/clusters' || location.pathname === '/clusters/new'}
                to="/clusters"
                component={RouterLink}
                data-testid="nav-clusters"
              >
                Clusters
              </NavItem>
            )}
            {(platform ? (session?.clusterId ? views : []) : views).map(([path, title]) => (
              <NavItem
                key={path}
                isActive={location.pathname.startsWith(`${base}/${path}`)}
                to={`${base}/${path}`}
                component={RouterLink}
              >
                {title}
              </NavItem>
            ))}
          </NavList>
        </Nav>
      </PageSidebarBody>
    </PageSidebar>
  ) : undefined;
  return (
    <Page masthead={masthead} sidebar={sidebar} isManagedSidebar>
      <Outlet />
    </Page>
  );
}

function Home() {
  const session = loadSession();
  if (session?.scope === 'platform') return <Navigate to="/clusters" replace />;
  return (
    <Navigate to={session ? `/clusters/${encodeURIComponent(session.clusterId)}/nodes` : '/login'} replace />
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Routes>
          <Route element={<Shell />}>
            <Route path="/login" element={<LoginPage />} />
            <Route path="/clusters/:clusterId/nodes" element={<NodesPage />} />
            <Route path="/clusters/:clusterId/nodes/:name" element={<NodeDetailPage />} />
            <Route
              path="/clusters/:clusterId/nodes/:name/pods/:namespace/:pod/terminal"
              element={<PodTerminalPage />}
            />
            <Route path="/clusters/:clusterId/nodeunits" element={<NodeUnitsPage />} />
            <Route path="/clusters/:clusterId/nodeunits/new" element={<NodeUnitFormPage />} />
            <Route path="/clusters/:clusterId/nodeunits/:name" element={<NodeUnitDetailPage />} />
            <Route path="/clusters/:clusterId/nodeunits/:name/edit" element={<NodeUnitFormPage />} />
            <Route path="/clusters/:clusterId/nodegroups" element={<NodeGroupsPage />} />
            <Route path="/clusters/:clusterId/nodegroups/new" element={<NodeGroupFormPage />} />
            <Route path="/clusters/:clusterId/nodegroups/:name" element={<NodeGroupDetailPage />} />
            <Route path="/clusters/:clusterId/nodegroups/:name/edit" element={<NodeGroupFormPage />} />
            <Route path="/clusters/:clusterId/grids" element={<GridsPage />} />
            <Route path="/clusters/:clusterId/grids/:kind/:name" element={<GridDetailPage />} />
            <Route
              path="/clusters/:clusterId/namespaces/:namespace/pods/:pod/logs"
              element={<PodLogsPage />}
            />
            <Route path="/clusters/:clusterId/health/:node?" element={<HealthPage />} />
            <Route path="/clusters/:clusterId/events" element={<EventsPage />} />
            <Route path="/clusters" element={<ClustersPage />} />
            <Route path="/clusters/new" element={<ClusterCreatePage />} />
            <Route path="/clusters/:clusterId" element={<ClusterDetailPage />} />
            <Route path="*" element={<Home />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);

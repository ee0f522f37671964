import '@patternfly/react-core/dist/styles/base.css';
import {
  Button,
  Masthead,
  MastheadBrand,
  MastheadContent,
  MastheadMain,
  Page,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation, useNavigate } from 'react-router';
import { LoginPage } from './LoginPage';
import { NodeDetailPage } from './NodeDetailPage';
import { NodesPage } from './NodesPage';
import { clearSession, loadSession, roleOf } from './session';

const queryClient = new QueryClient();

function Shell() {
  const session = loadSession();
  const navigate = useNavigate();
  const location = useLocation();
  const masthead = (
    <Masthead>
      <MastheadMain>
        <MastheadBrand>
          <strong style={{ color: 'var(--pf-t--global--text--color--inverse, #fff)', fontSize: 18 }}>Edgeplane</strong>
        </MastheadBrand>
      </MastheadMain>
      <MastheadContent>
        {session && (
          <Toolbar isFullHeight>
            <ToolbarContent>
              <ToolbarItem align={{ default: 'alignEnd' }} data-testid="whoami">
                {session.user} ({roleOf(session.groups)}) · cluster {session.clusterId.slice(0, 8)}
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
  return (
    <Page masthead={masthead}>
      <Outlet />
    </Page>
  );
}

function Home() {
  const session = loadSession();
  return <Navigate to={session ? `/clusters/${encodeURIComponent(session.clusterId)}/nodes` : '/login'} replace />;
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
            <Route path="*" element={<Home />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);

import {
  Alert,
  Button,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  FormSelect,
  FormSelectOption,
  PageSection,
  Switch,
  TextInput,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { LiveBadge } from '../NodesPage';
import { AddNodeButton } from './AddNodeDialog';
import { AccessLabels, NeedsPlatform } from './ClustersPage';
import {
  canEditClusters,
  canReadKubeconfig,
  clustersKey,
  isPlatformSession,
  mgmt,
  useCluster,
  type ClusterObject,
} from './clusters-api';

const TIERS = ['L5', 'L20', 'L50', 'L100', 'L200', 'L500', 'L1000', 'L3000', 'L5000'];

/**
 * /clusters/<id>: the cluster's facts, APIServer access toggles (public, private + subnet), tier
 * and auto-upgrade, remote login, the admin kubeconfig download, and "Add node". Writes are merge
 * PATCHes of the management API (the cluster service's SetAccess / SetTier / SetRemoteLogin); the
 * page shows the refusal's words, and the live list brings the new state.
 */
export function ClusterDetailPage() {
  const { clusterId = '' } = useParams();
  const client = useQueryClient();
  const { cluster: c, error, live } = useCluster(clusterId);
  const [busy, setBusy] = useState('');
  const [actionError, setActionError] = useState<string>();
  const [subnet, setSubnet] = useState('');
  const [tier, setTier] = useState<string>();
  const editable = canEditClusters();

  if (!isPlatformSession()) return <NeedsPlatform />;
  const path = `/clusters/${encodeURIComponent(clusterId)}`;

  async function patch(what: string, spec: Record<string, unknown>) {
    setBusy(what);
    setActionError(undefined);
    try {
      const updated = await mgmt<ClusterObject>('PATCH', path, {
        body: { spec },
        contentType: 'application/merge-patch+json',
      });
      client.setQueryData(clustersKey, (old: { byId: Map<string, ClusterObject> } | undefined) =>
        old ? { ...old, byId: new Map(old.byId).set(clusterId, updated) } : old,
      );
      client.setQueryData(['mgmt-cluster', clusterId], updated);
    } catch (err) {
      setActionError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy('');
    }
  }

  async function downloadKubeconfig() {
    setBusy('kubeconfig');
    setActionError(undefined);
    try {
      const k = await mgmt<{ kubeconfig: string }>('GET', `${path}/kubeconfig`);
      const url = URL.createObjectURL(new Blob([k.kubeconfig], { type: 'application/yaml' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${c?.spec.displayName || clusterId}.kubeconfig`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setActionError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy('');
    }
  }

  return (
    <PageSection>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <Title headingLevel="h1" data-testid="cluster-title">
              {c?.spec.displayName ?? clusterId}
            </Title>
          </ToolbarItem>
          <ToolbarItem>
            <LiveBadge live={live} />
          </ToolbarItem>
          <ToolbarItem>
            <Link to={`${path}/nodes`} data-testid="cluster-nodes-link">
              Nodes
            </Link>
          </ToolbarItem>
          {editable && c && (
            <ToolbarItem>
              <AddNodeButton clusterId={clusterId} />
            </ToolbarItem>
          )}
          {canReadKubeconfig() && (
            <ToolbarItem>
              <Button
                variant="secondary"
                onClick={downloadKubeconfig}
                isLoading={busy === 'kubeconfig'}
                data-testid="download-kubeconfig"
              >
                Download kubeconfig
              </Button>
            </ToolbarItem>
          )}
        </ToolbarContent>
      </Toolbar>
      {error && !c && (
        <Alert variant="danger" isInline title="Cannot read the cluster" data-testid="cluster-error">
          {error.message}
        </Alert>
      )}
      {actionError && (
        <Alert variant="danger" isInline title="Refused" data-testid="cluster-action-error">
          {actionError}
        </Alert>
      )}
      {c && (
        <DescriptionList isHorizontal isCompact style={{ marginTop: 16 }} data-testid="cluster-facts">
          <DescriptionListGroup>
            <DescriptionListTerm>ID</DescriptionListTerm>
            <DescriptionListDescription>
              <code>{c.metadata.name}</code>
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>Kubernetes</DescriptionListTerm>
            <DescriptionListDescription>
              {c.spec.kubernetesVersion} · {c.spec.runtime} · kube-proxy {c.spec.kubeProxyMode}
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>Region</DescriptionListTerm>
            <DescriptionListDescription>{c.spec.region}</DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>Network</DescriptionListTerm>
            <DescriptionListDescription>
              VPC {c.spec.vpcCidr} · Pods {c.spec.podCidr} · Services {c.spec.serviceCidr}
              {c.spec.nodeCidrs.length ? ` · edge nodes ${c.spec.nodeCidrs.join(', ')}` : ''}
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>Nodes</DescriptionListTerm>
            <DescriptionListDescription data-testid="cluster-usage">
              {c.status.usage.nodes} of {c.status.tierCaps.nodes} · pods {c.status.usage.pods} of{' '}
              {c.status.tierCaps.pods}
              {c.status.overCapacityNodes ? ` · ${c.status.overCapacityNodes} cordoned over the cap` : ''}
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>APIServer access</DescriptionListTerm>
            <DescriptionListDescription>
              <div style={{ display: 'flex', gap: 24, flexWrap: 'wrap', alignItems: 'center' }}>
                <AccessLabels c={c} />
                <Switch
                  id="access-public"
                  data-testid="access-public"
                  label="Public"
                  isChecked={c.spec.access.public}
                  isDisabled={!editable || busy !== ''}
                  onChange={(_e, on) => void patch('public', { access: { public: on } })}
                />
                <Switch
                  id="access-private"
                  data-testid="access-private"
                  label="Private (VPC subnet)"
                  isChecked={c.spec.access.private}
                  isDisabled={!editable || busy !== ''}
                  onChange={(_e, on) =>
                    void patch('private', {
                      access: { private: on, ...(on && subnet ? { privateSubnetId: subnet } : {}) },
                    })
                  }
                />
                {editable && !c.spec.access.private && (
                  <div style={{ width: 260 }}>
                    <TextInput
                      aria-label="Private subnet id"
                      placeholder="subnet id (to turn private on)"
                      value={subnet}
                      onChange={(_e, v) => setSubnet(v)}
                    />
                  </div>
                )}
                {c.spec.access.private && c.spec.access.privateSubnetId && (
                  <span>subnet {c.spec.access.privateSubnetId}</span>
                )}
              </div>
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>Tier</DescriptionListTerm>
            <DescriptionListDescription>
              <div style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap' }}>
                <FormSelect
                  id="tier"
                  aria-label="Tier"
                  data-testid="tier-select"
                  value={tier ?? c.spec.tier}
                  isDisabled={!editable}
                  onChange={(_e, v) => setTier(v)}
                  style={{ maxWidth: 140 }}
                >
                  {TIERS.map((t) => (
                    <FormSelectOption key={t} value={t} label={t} />
                  ))}
                </FormSelect>
                {editable && tier && tier !== c.spec.tier && (
                  <Button
                    variant="secondary"
                    isLoading={busy === 'tier'}
                    onClick={() => void patch('tier', { tier }).then(() => setTier(undefined))}
                    data-testid="tier-apply"
                  >
                    Change tier
                  </Button>
                )}
                <Switch
                  id="auto-upgrade"
                  label="Auto-upgrade"
                  isChecked={c.spec.autoUpgrade}
                  isDisabled={!editable || busy !== ''}
                  onChange={(_e, on) => void patch('autoUpgrade', { autoUpgrade: on })}
                />
              </div>
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>Remote login</DescriptionListTerm>
            <DescriptionListDescription>
              <Switch
                id="remote-login"
                data-testid="remote-login"
                label="Shell sessions on nodes through the tunnel"
                isChecked={c.spec.remoteLogin}
                isDisabled={!editable || busy !== ''}
                onChange={(_e, on) => void patch('remoteLogin', { remoteLogin: on })}
              />
            </DescriptionListDescription>
          </DescriptionListGroup>
          {c.spec.description && (
            <DescriptionListGroup>
              <DescriptionListTerm>Description</DescriptionListTerm>
              <DescriptionListDescription>{c.spec.description}</DescriptionListDescription>
            </DescriptionListGroup>
          )}
        </DescriptionList>
      )}
    </PageSection>
  );
}

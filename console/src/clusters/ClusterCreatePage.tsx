import {
  ActionGroup,
  Alert,
  Button,
  Checkbox,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  PageSection,
  TextArea,
  TextInput,
  Title,
} from '@patternfly/react-core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../api';
import { localCidrErrors } from './cidr';
import { NeedsPlatform } from './ClustersPage';
import { canWriteClusters, clustersKey, isPlatformSession, mgmt, type ClusterObject } from './clusters-api';

/**
 * The choices the guide lists (F-CL-1, the cluster service's reference tables). The cluster
 * service is the authority: anything it does not know comes back from the dry run on the field.
 */
const VERSIONS = ['1.22.5', '1.20.6', '1.18.2'];
const RUNTIMES = ['containerd', 'docker'];
const PROXY_MODES = ['iptables', 'ipvs'];
const TIERS = ['L5', 'L20', 'L50', 'L100', 'L200', 'L500', 'L1000', 'L3000', 'L5000'];
const REGIONS = [
  'ap-guangzhou',
  'ap-beijing',
  'ap-shanghai',
  'ap-nanjing',
  'ap-chengdu',
  'ap-chongqing',
  'ap-hongkong',
  'ap-singapore',
  'ap-tokyo',
  'ap-seoul',
  'ap-mumbai',
  'ap-bangkok',
  'ap-jakarta',
  'na-siliconvalley',
  'na-ashburn',
  'eu-frankfurt',
  'sa-saopaulo',
];
/** how long the form waits after a keystroke before asking the server (dry run) */
const DRY_RUN_DEBOUNCE_MS = 350;

interface FormState {
  displayName: string;
  kubernetesVersion: string;
  runtime: string;
  region: string;
  kubeProxyMode: string;
  vpcCidr: string;
  podCidr: string;
  serviceCidr: string;
  nodeCidrs: string;
  tier: string;
  autoUpgrade: boolean;
  description: string;
}

const INITIAL: FormState = {
  displayName: '',
  kubernetesVersion: '1.22.5',
  runtime: 'containerd',
  region: 'ap-guangzhou',
  kubeProxyMode: 'iptables',
  vpcCidr: '',
  podCidr: '',
  serviceCidr: '',
  nodeCidrs: '',
  tier: 'L5',
  autoUpgrade: false,
  description: '',
};

const nodeCidrList = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

function bodyOf(f: FormState) {
  return {
    apiVersion: 'management.edgeplane.io/v1',
    kind: 'Cluster',
    metadata: { name: '' },
    spec: {
      displayName: f.displayName,
      kubernetesVersion: f.kubernetesVersion,
      runtime: f.runtime,
      region: f.region,
      kubeProxyMode: f.kubeProxyMode,
      vpcCidr: f.vpcCidr.trim(),
      podCidr: f.podCidr.trim(),
      serviceCidr: f.serviceCidr.trim(),
      nodeCidrs: nodeCidrList(f.nodeCidrs),
      tier: f.tier,
      autoUpgrade: f.autoUpgrade,
      description: f.description,
    },
  };
}

/** `spec.podCidr` → `podCidr`; `spec.nodeCidrs[1]` → `nodeCidrs` (one field holds them all). */
function fieldOf(cause: string): string {
  const f = cause.replace(/^spec\./, '');
  return f.startsWith('nodeCidrs') ? 'nodeCidrs' : f;
}

/**
 * /clusters/new: the guide's fields. CIDRs are checked twice: at once in the page (parse, and
 * overlaps among the form's own ranges), and — debounced — by the cluster service itself
 * (`POST …/clusters?dryRun=All`: every rule, including overlaps with the other clusters of the VPC,
 * nothing stored). Either one's words are shown ON the field.
 */
export function ClusterCreatePage() {
  const navigate = useNavigate();
  const client = useQueryClient();
  const [form, setForm] = useState<FormState>(INITIAL);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [checking, setChecking] = useState(false);
  const [submitError, setSubmitError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setTouched((t) => ({ ...t, [k]: true }));
  };

  const local = useMemo(() => {
    const raw = localCidrErrors({
      vpcCidr: form.vpcCidr,
      podCidr: form.podCidr,
      serviceCidr: form.serviceCidr,
      nodeCidrs: nodeCidrList(form.nodeCidrs),
    });
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) out[fieldOf(k)] ??= v;
    return out;
  }, [form.vpcCidr, form.podCidr, form.serviceCidr, form.nodeCidrs]);

  // the server's dry run, debounced; the last answer wins (earlier ones are aborted)
  const seq = useRef(0);
  useEffect(() => {
    if (!Object.keys(touched).length) return;
    const abort = new AbortController();
    const mine = ++seq.current;
    const timer = setTimeout(async () => {
      setChecking(true);
      try {
        await mgmt<ClusterObject>('POST', '/clusters', {
          body: bodyOf(form),
          query: 'dryRun=All',
          signal: abort.signal,
        });
        if (mine === seq.current) setServerErrors({});
      } catch (error) {
        if (abort.signal.aborted || mine !== seq.current) return;
        const out: Record<string, string> = {};
        if (error instanceof ApiError && error.causes.length) {
          for (const c of error.causes) if (c.field) out[fieldOf(c.field)] ??= c.message ?? error.message;
        } else if (error instanceof ApiError && error.reason === 'AlreadyExists') {
          out.displayName = error.message;
        } else {
          out._ = error instanceof Error ? error.message : String(error);
        }
        setServerErrors(out);
      } finally {
        if (mine === seq.current) setChecking(false);
      }
    }, DRY_RUN_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [form, touched]);

  if (!isPlatformSession()) return <NeedsPlatform />;
  if (!canWriteClusters())
    return (
      <PageSection>
        <Alert variant="warning" isInline title="You cannot create clusters">
          Creating a cluster needs the edit or cluster-admin role on the platform, and a credential not
          limited to some clusters.
        </Alert>
      </PageSection>
    );

  // a field shows its problem once the user has typed in it (or tried to submit)
  const errorOf = (k: string): string | undefined => (touched[k] ? (local[k] ?? serverErrors[k]) : undefined);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setTouched(Object.fromEntries(Object.keys(INITIAL).map((k) => [k, true])));
    setSubmitError(undefined);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const created = await mgmt<ClusterObject>('POST', '/clusters', { body: bodyOf(form) });
      await client.invalidateQueries({ queryKey: clustersKey });
      navigate(`/clusters/${encodeURIComponent(created.metadata.name)}`);
    } catch (error) {
      if (error instanceof ApiError && error.causes.length) {
        const out: Record<string, string> = {};
        for (const c of error.causes) if (c.field) out[fieldOf(c.field)] ??= c.message ?? error.message;
        setServerErrors(out);
      }
      setSubmitError(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  const text = (
    k: 'displayName' | 'vpcCidr' | 'podCidr' | 'serviceCidr',
    label: string,
    placeholder: string,
    help: string,
  ) => {
    const err = errorOf(k);
    return (
      <FormGroup label={label} isRequired fieldId={`field-${k}`}>
        <TextInput
          id={`field-${k}`}
          data-testid={`field-${k}`}
          value={form[k]}
          placeholder={placeholder}
          validated={err ? 'error' : 'default'}
          onChange={(_e, v) => set(k, v)}
          aria-invalid={err ? true : undefined}
        />
        <FormHelperText>
          <HelperText>
            <HelperTextItem variant={err ? 'error' : 'default'} data-testid={err ? `error-${k}` : undefined}>
              {err ?? help}
            </HelperTextItem>
          </HelperText>
        </FormHelperText>
      </FormGroup>
    );
  };
  const select = (
    k: 'kubernetesVersion' | 'runtime' | 'region' | 'kubeProxyMode' | 'tier',
    label: string,
    options: string[],
  ) => {
    const err = errorOf(k);
    return (
      <FormGroup label={label} isRequired fieldId={`field-${k}`}>
        <FormSelect
          id={`field-${k}`}
          data-testid={`field-${k}`}
          value={form[k]}
          validated={err ? 'error' : 'default'}
          onChange={(_e, v) => set(k, v)}
        >
          {options.map((o) => (
            <FormSelectOption key={o} value={o} label={o} />
          ))}
        </FormSelect>
        {err && (
          <FormHelperText>
            <HelperText>
              <HelperTextItem variant="error" data-testid={`error-${k}`}>
                {err}
              </HelperTextItem>
            </HelperText>
          </FormHelperText>
        )}
      </FormGroup>
    );
  };
  const nodeErr = errorOf('nodeCidrs');
  const descErr = errorOf('description');
  const blocking = Object.keys(local).length > 0;
  return (
    <PageSection>
      <Title headingLevel="h1">Create cluster</Title>
      <Form onSubmit={submit} style={{ maxWidth: 760, marginTop: 16 }} data-testid="create-cluster-form">
        {text('displayName', 'Name', 'e.g. factory-east', '1–50 characters, unique among live clusters')}
        {select('kubernetesVersion', 'Kubernetes version', VERSIONS)}
        {select('runtime', 'Container runtime', RUNTIMES)}
        {select('region', 'Region', REGIONS)}
        {select('kubeProxyMode', 'kube-proxy mode', PROXY_MODES)}
        {text('vpcCidr', 'VPC CIDR', '10.20.0.0/16', 'The cluster network (VPC)')}
        {text(
          'podCidr',
          'Pod CIDR',
          '172.16.0.0/16',
          'Must not overlap the VPC, the Service CIDR, node CIDRs or other clusters of the VPC; immutable',
        )}
        {text(
          'serviceCidr',
          'Service CIDR',
          '172.17.0.0/20',
          'At most a /12; must not overlap the others; immutable',
        )}
        <FormGroup label="Edge-node CIDRs" fieldId="field-nodeCidrs">
          <TextArea
            id="field-nodeCidrs"
            data-testid="field-nodeCidrs"
            value={form.nodeCidrs}
            placeholder="192.168.10.0/24, one per line or comma-separated"
            validated={nodeErr ? 'error' : 'default'}
            onChange={(_e, v) => set('nodeCidrs', v)}
            rows={2}
          />
          <FormHelperText>
            <HelperText>
              <HelperTextItem
                variant={nodeErr ? 'error' : 'default'}
                data-testid={nodeErr ? 'error-nodeCidrs' : undefined}
              >
                {nodeErr ?? "The edge nodes' internal networks (optional)"}
              </HelperTextItem>
            </HelperText>
          </FormHelperText>
        </FormGroup>
        {select('tier', 'Tier', TIERS)}
        <Checkbox
          id="field-autoUpgrade"
          label="Auto-upgrade the tier when a cap is exceeded"
          isChecked={form.autoUpgrade}
          onChange={(_e, v) => set('autoUpgrade', v)}
        />
        <FormGroup label="Description" fieldId="field-description">
          <TextArea
            id="field-description"
            data-testid="field-description"
            value={form.description}
            onChange={(_e, v) => set('description', v)}
            validated={descErr ? 'error' : 'default'}
            rows={2}
          />
          {descErr && (
            <FormHelperText>
              <HelperText>
                <HelperTextItem variant="error">{descErr}</HelperTextItem>
              </HelperText>
            </FormHelperText>
          )}
        </FormGroup>
        {serverErrors._ && (
          <Alert variant="danger" isInline title="The check failed" data-testid="dry-run-error">
            {serverErrors._}
          </Alert>
        )}
        {submitError && (
          <Alert variant="danger" isInline title="The cluster was not created" data-testid="create-error">
            {submitError}
          </Alert>
        )}
        <ActionGroup>
          <Button
            type="submit"
            variant="primary"
            isDisabled={busy || blocking}
            isLoading={busy}
            data-testid="create-submit"
          >
            Create
          </Button>
          <Button variant="link" onClick={() => navigate('/clusters')}>
            Cancel
          </Button>
          <span
            data-testid="dry-run-state"
            style={{ alignSelf: 'center', color: 'var(--pf-t--global--text--color--subtle)' }}
          >
            {checking ? 'Checking with the cluster service…' : ''}
          </span>
        </ActionGroup>
      </Form>
    </PageSection>
  );
}

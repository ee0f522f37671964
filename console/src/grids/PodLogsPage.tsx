import {
  Alert,
  Breadcrumb,
  BreadcrumbItem,
  Button,
  FormSelect,
  FormSelectOption,
  Label,
  PageSection,
  Switch,
  TextInput,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError, kubeGet } from '../api';
import { clearSession, loadSession } from '../session';
import { GRID_SELECTOR_LABEL, KIND_PATHS, KINDS, type KindPath, type Pod } from './grids';

/** the most lines kept on the page: older ones are dropped (a followed log can run for hours) */
export const MAX_LINES = 5000;
const TAIL_DEFAULT = 200;
const TAIL_MAX = 10_000;

type StreamState = 'idle' | 'reading' | 'following' | 'ended' | 'failed';

/**
 * A pod's logs through the kube API's `pods/log` (streamed by the console server's proxy): pick the
 * container, how many lines back (`tailLines`), follow (`follow=true`, lines appear as the container
 * writes them). The page keeps at most MAX_LINES lines and scrolls with new ones unless the reader
 * scrolled up. The URL holds the choices (`?container=&tail=&follow=1`).
 */
export function PodLogsPage() {
  const { clusterId = '', namespace = 'default', pod = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const follow = params.get('follow') === '1';
  const tailText = params.get('tail') ?? String(TAIL_DEFAULT);
  const tail = /^\d{1,5}$/.test(tailText) ? Math.min(Number(tailText), TAIL_MAX) : TAIL_DEFAULT;
  const podQuery = useQuery({
    queryKey: ['pod', clusterId, namespace, pod],
    queryFn: ({ signal }) =>
      kubeGet<Pod>(
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}`,
        signal,
      ),
    retry: (n, e) => !(e instanceof ApiError && [401, 403, 404].includes(e.status)) && n < 2,
  });
  const containers = podQuery.data?.spec?.containers?.map((c) => c.name) ?? [];
  const container = params.get('container') || containers[0] || '';
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };

  const [lines, setLines] = useState<string[]>([]);
  const [received, setReceived] = useState(0);
  const dropped = Math.max(0, received - lines.length);
  const [state, setState] = useState<StreamState>('idle');
  const [failure, setFailure] = useState<string | undefined>();
  const [run, setRun] = useState(0);
  const box = useRef<HTMLPreElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    if (!podQuery.data || (containers.length > 0 && !container)) return;
    const abort = new AbortController();
    setLines([]);
    setReceived(0);
    setFailure(undefined);
    setState(follow ? 'following' : 'reading');
    stick.current = true;
    void (async () => {
      const session = loadSession();
      if (!session) return;
      const q = new URLSearchParams({ tailLines: String(tail) });
      if (container) q.set('container', container);
      if (follow) q.set('follow', 'true');
      try {
        const res = await fetch(
          `/k8s/clusters/${encodeURIComponent(session.clusterId)}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log?${q}`,
          {
            headers: { authorization: `Bearer ${session.token}`, accept: 'text/plain' },
            signal: abort.signal,
          },
        );
        if (!res.ok || !res.body) {
          let message = `${res.status} ${res.statusText}`;
          try {
            message = ((await res.json()) as { message?: string }).message || message;
          } catch {
            /* not JSON */
          }
          if (res.status === 401) clearSession();
          throw new Error(message);
        }
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let partial = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          partial += value;
          const parts = partial.split('\n');
          partial = parts.pop() ?? '';
          if (parts.length) append(parts);
        }
        if (partial) append([partial]);
        setState('ended');
      } catch (error) {
        if (abort.signal.aborted) return;
        setFailure((error as Error).message);
        setState('failed');
      }
    })();
    function append(more: string[]) {
      setReceived((n) => n + more.length);
      setLines((old) => {
        const all = old.concat(more);
        return all.length <= MAX_LINES ? all : all.slice(all.length - MAX_LINES);
      });
    }
    return () => abort.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [podQuery.data, container, follow, tail, run]);

  // auto-scroll: stay at the bottom while the reader is there
  useEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  const base = `/clusters/${encodeURIComponent(clusterId)}`;
  const grid = podQuery.data?.metadata.labels?.[GRID_SELECTOR_LABEL];
  // the grid's kind when the grid page linked here (a pod does not say it); DeploymentGrid else
  const gridKind =
    KIND_PATHS.find((k) => KINDS[k] === params.get('grid')) ?? ('deploymentgrids' satisfies KindPath);
  return (
    <PageSection>
      <Breadcrumb>
        <BreadcrumbItem>
          <Link to={`${base}/grids`}>Grids</Link>
        </BreadcrumbItem>
        {grid && (
          <BreadcrumbItem>
            <Link to={`${base}/grids/${gridKind}/${encodeURIComponent(grid)}`}>{grid}</Link>
          </BreadcrumbItem>
        )}
        <BreadcrumbItem isActive>{pod}</BreadcrumbItem>
      </Breadcrumb>
      <Title headingLevel="h1" style={{ margin: '12px 0' }}>
        Logs of {namespace}/{pod}{' '}
        <Label
          data-testid="log-state"
          isCompact
          color={state === 'following' ? 'green' : state === 'failed' ? 'red' : 'grey'}
        >
          {state === 'following'
            ? 'Following'
            : state === 'reading'
              ? 'Reading…'
              : state === 'ended'
                ? 'End of log'
                : state === 'failed'
                  ? 'Failed'
                  : ''}
        </Label>
      </Title>
      {podQuery.error && (
        <Alert variant="danger" isInline title="Cannot read the pod">
          {podQuery.error.message}
        </Alert>
      )}
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <FormSelect
              aria-label="Container"
              data-testid="log-container"
              value={container}
              onChange={(_e, v) => set({ container: v })}
              isDisabled={containers.length < 2}
            >
              {containers.map((c) => (
                <FormSelectOption key={c} value={c} label={c} />
              ))}
            </FormSelect>
          </ToolbarItem>
          <ToolbarItem>
            <label style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
              Tail lines
              <TextInput
                aria-label="Tail lines"
                data-testid="log-tail"
                type="number"
                min={0}
                max={TAIL_MAX}
                style={{ width: 100 }}
                defaultValue={String(tail)}
                onBlur={(e) =>
                  set({
                    tail: String(
                      Math.min(Math.max(0, Math.trunc(Number(e.currentTarget.value) || 0)), TAIL_MAX),
                    ),
                  })
                }
                onKeyDown={(e) => {
                  if (e.key === 'Enter') e.currentTarget.blur();
                }}
              />
            </label>
          </ToolbarItem>
          <ToolbarItem>
            <Switch
              id="log-follow"
              data-testid="log-follow"
              label="Follow"
              isChecked={follow}
              onChange={(_e, on) => set({ follow: on ? '1' : undefined })}
            />
          </ToolbarItem>
          <ToolbarItem>
            <Button variant="secondary" onClick={() => setRun((n) => n + 1)}>
              Reload
            </Button>
          </ToolbarItem>
          <ToolbarItem align={{ default: 'alignEnd' }} data-testid="log-count">
            {lines.length} lines{dropped ? ` (${dropped} older dropped: at most ${MAX_LINES} kept)` : ''}
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {failure && (
        <Alert variant="danger" isInline title="Cannot read the logs" data-testid="log-error">
          {failure}
        </Alert>
      )}
      <pre
        ref={box}
        data-testid="log-lines"
        tabIndex={0}
        aria-label="Log lines"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
        }}
        style={{
          fontFamily: 'var(--pf-t--global--font--family--mono, monospace)',
          fontSize: 13,
          background: '#1e1e1e',
          color: '#e0e0e0',
          padding: 12,
          height: 'calc(100vh - 300px)',
          minHeight: 200,
          overflow: 'auto',
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
          margin: 0,
        }}
      >
        {lines.join('\n')}
      </pre>
    </PageSection>
  );
}

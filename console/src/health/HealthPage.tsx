import {
  Alert,
  Button,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Drawer,
  DrawerActions,
  DrawerCloseButton,
  DrawerContent,
  DrawerContentBody,
  DrawerHead,
  DrawerPanelBody,
  DrawerPanelContent,
  Label,
  PageSection,
  SearchInput,
  Title,
  ToggleGroup,
  ToggleGroupItem,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { LiveBadge } from '../NodesPage';
import {
  cloudState,
  duration,
  matrixRows,
  useExplanation,
  useNodeHealths,
  VERDICTS,
  type NodeHealth,
  type Verdict,
} from './health';

/** Cell colours: the verdict, with a word in the cell too (colour is never the only cue). */
const VERDICT_STYLE: Record<Verdict | '', { bg: string; fg: string; short: string; label: string }> = {
  Ready: { bg: '#3d7317', fg: '#fff', short: 'Ready', label: 'Ready' },
  NotReadyNoSchedule: { bg: '#f0ab00', fg: '#151515', short: 'NoSchedule', label: 'NotReady, NoSchedule' },
  NotReadyNoExecute: { bg: '#a30000', fg: '#fff', short: 'NoExecute', label: 'NotReady, NoExecute' },
  Unknown: { bg: '#6a6e73', fg: '#fff', short: 'Unknown', label: 'Unknown (never heard yet)' },
  '': { bg: '#d2d2d2', fg: '#151515', short: '—', label: 'no verdict' },
};
const CLOUD_MARK = { ok: '☁✓', lost: '☁✗', never: '☁?' } as const;
const CLOUD_WORDS = { ok: 'cloud hears it', lost: 'cloud lost it', never: 'never heard by the cloud' };
const CELL_W = 150;
const ROW_ESTIMATE = 64;

/** The votes decide only once the cloud lost the node: while it hears it, no tally is shown. */
function votesMark(n: NodeHealth): string {
  const q = n.status.quorum;
  if (cloudState(n) === 'ok') return '';
  return q?.peerSetSize ? `${q.healthyVotes}↑${q.unhealthyVotes}↓/${q.needed}` : 'no peers';
}
function votesWords(n: NodeHealth): string {
  const q = n.status.quorum;
  if (cloudState(n) === 'ok') return 'peer votes not needed';
  if (!q?.peerSetSize) return 'not peer-checked';
  return `${q.healthyVotes} peers vouch, ${q.unhealthyVotes} report it down, ${q.needed} of ${q.peerSetSize} needed`;
}

export function VerdictLabel({ verdict }: { verdict: Verdict | '' }) {
  const s = VERDICT_STYLE[verdict] ?? VERDICT_STYLE[''];
  return (
    <span
      style={{ background: s.bg, color: s.fg, borderRadius: 4, padding: '1px 8px', fontSize: 13 }}
      data-testid="verdict-label"
    >
      {verdict || 'none'}
    </span>
  );
}

export function HealthPage() {
  const { clusterId = '', node } = useParams();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filter = params.get('q') ?? '';
  const onlyParam = params.get('verdict') ?? '';
  const only = useMemo(
    () => onlyParam.split(',').filter((v) => VERDICTS.includes(v as Verdict)),
    [onlyParam],
  );
  const { data, error, isPending, live } = useNodeHealths(clusterId);
  const rows = useMemo(() => matrixRows(data?.byName ?? new Map(), filter, only), [data, filter, only]);
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const n of data?.byName.values() ?? []) c[n.status.verdict] = (c[n.status.verdict] ?? 0) + 1;
    return c;
  }, [data]);
  const base = `/clusters/${encodeURIComponent(clusterId)}/health`;
  const search = params.toString() ? `?${params.toString()}` : '';
  const setParam = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const toggleVerdict = (v: Verdict) =>
    setParam('verdict', (only.includes(v) ? only.filter((x) => x !== v) : [...only, v]).join(','));

  // ── the virtualized matrix, keyboard navigable (one tab stop; arrows move) ──
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 8,
  });
  const [active, setActive] = useState({ row: 0, col: 0 });
  const pendingFocus = useRef(false);
  const row = Math.min(active.row, Math.max(rows.length - 1, 0));
  const col = Math.min(active.col, Math.max((rows[row]?.nodes.length ?? 1) - 1, 0));
  useEffect(() => {
    if (!pendingFocus.current) return;
    const el = scrollRef.current?.querySelector<HTMLButtonElement>(`[data-cell="${row}:${col}"]`);
    if (el) {
      el.focus();
      pendingFocus.current = false;
    }
  });
  const move = (r: number, c: number) => {
    const nr = Math.max(0, Math.min(rows.length - 1, r));
    const nc = Math.max(0, Math.min((rows[nr]?.nodes.length ?? 1) - 1, c));
    setActive({ row: nr, col: nc });
    pendingFocus.current = true;
    virtualizer.scrollToIndex(nr, { align: 'auto' });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_ESTIMATE));
    const keys: Record<string, () => void> = {
      ArrowRight: () => move(row, col + 1),
      ArrowLeft: () => move(row, col - 1),
      ArrowDown: () => move(row + 1, col),
      ArrowUp: () => move(row - 1, col),
      Home: () => move(e.ctrlKey ? 0 : row, 0),
      End: () => move(e.ctrlKey ? rows.length - 1 : row, Number.MAX_SAFE_INTEGER),
      PageDown: () => move(row + page, col),
      PageUp: () => move(row - page, col),
    };
    const k = keys[e.key];
    if (k) {
      e.preventDefault();
      k();
    }
  };
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  const nodeCount = data?.byName.size ?? 0;

  const matrix = (
    <PageSection>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <Title headingLevel="h1">Health</Title>
          </ToolbarItem>
          <ToolbarItem>
            <LiveBadge live={live} />
          </ToolbarItem>
          <ToolbarItem>
            <SearchInput
              aria-label="Filter by unit or node"
              placeholder="Filter by unit or node"
              value={filter}
              onChange={(_e, v) => setParam('q', v)}
              onClear={() => setParam('q', '')}
            />
          </ToolbarItem>
          <ToolbarItem>
            <ToggleGroup aria-label="Show only these verdicts" isCompact>
              {VERDICTS.map((v) => (
                <ToggleGroupItem
                  key={v}
                  text={`${VERDICT_STYLE[v].short} (${counts[v] ?? 0})`}
                  buttonId={`verdict-filter-${v}`}
                  isSelected={only.includes(v)}
                  onChange={() => toggleVerdict(v)}
                  aria-label={`Show only ${VERDICT_STYLE[v].label}`}
                />
              ))}
            </ToggleGroup>
          </ToolbarItem>
          <ToolbarItem align={{ default: 'alignEnd' }} data-testid="health-count">
            {data ? `${rows.length} ${rows.length === 1 ? 'unit' : 'units'} · ${nodeCount} nodes` : ''}
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      <div
        data-testid="health-legend"
        aria-label="Legend"
        style={{ display: 'flex', flexWrap: 'wrap', gap: 12, fontSize: 13, margin: '4px 0 8px' }}
      >
        {VERDICTS.map((v) => (
          <span key={v} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
            <span
              aria-hidden
              style={{ width: 14, height: 14, borderRadius: 3, background: VERDICT_STYLE[v].bg }}
            />
            {VERDICT_STYLE[v].label}
          </span>
        ))}
        <span>
          {CLOUD_MARK.ok} cloud hears it · {CLOUD_MARK.lost} cloud lost it · {CLOUD_MARK.never} never heard
        </span>
        <span>h↑u↓/n (once the cloud lost a node): peers vouching ↑, reporting it down ↓, of n needed</span>
      </div>
      {error && (
        <Alert variant="danger" isInline title="Cannot read the health verdicts">
          {error.message}
        </Alert>
      )}
      {isPending && <p>Loading verdicts…</p>}
      {data && (
        <div
          ref={scrollRef}
          style={{ height: 'calc(100vh - 280px)', minHeight: 240, overflow: 'auto' }}
          data-testid="health-scroll"
        >
          <div
            role="grid"
            aria-label="Health matrix: units by nodes"
            aria-rowcount={rows.length}
            data-testid="health-matrix"
            onKeyDown={onKeyDown}
          >
            {top > 0 && <div style={{ height: top }} aria-hidden />}
            {items.map((v) => {
              const r = rows[v.index]!;
              return (
                <div
                  key={r.unit}
                  role="row"
                  aria-rowindex={v.index + 1}
                  data-index={v.index}
                  ref={virtualizer.measureElement}
                  data-testid={`health-row-${r.unit}`}
                  style={{
                    display: 'flex',
                    alignItems: 'flex-start',
                    flexWrap: 'wrap',
                    borderBottom: '1px solid var(--pf-t--global--border--color--default, #d2d2d2)',
                    padding: '6px 0',
                  }}
                >
                  <div
                    role="rowheader"
                    style={{ width: 160, flex: '0 0 160px', fontWeight: 600, paddingTop: 8 }}
                    title={r.unit}
                  >
                    <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                      {r.unit}
                    </div>
                    <div style={{ fontWeight: 400, fontSize: 12 }}>
                      {r.nodes.filter((n) => n.status.verdict === 'Ready').length}/{r.nodes.length} Ready
                    </div>
                  </div>
                  <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4, flex: '1 1 300px' }}>
                    {r.nodes.map((n, c) => {
                      const s = VERDICT_STYLE[n.status.verdict] ?? VERDICT_STYLE[''];
                      const cloud = cloudState(n);
                      const name = n.metadata.name;
                      const selected = name === node;
                      const isActive = v.index === row && c === col;
                      return (
                        <div role="gridcell" key={name} aria-selected={selected}>
                          <button
                            type="button"
                            data-cell={`${v.index}:${c}`}
                            data-testid={`health-cell-${name}`}
                            data-verdict={n.status.verdict}
                            tabIndex={isActive ? 0 : -1}
                            aria-label={`${name} in ${r.unit}: ${s.label}, rule ${n.status.rule || 'none'}, ${CLOUD_WORDS[cloud]}, ${votesWords(n)}`}
                            title={`${name}: ${s.label} (${n.status.rule}) — ${CLOUD_WORDS[cloud]}; ${votesWords(n)}`}
                            onFocus={() => setActive({ row: v.index, col: c })}
                            onClick={() => navigate(`${base}/${encodeURIComponent(name)}${search}`)}
                            style={{
                              width: CELL_W,
                              height: 44,
                              background: s.bg,
                              color: s.fg,
                              border: selected ? '3px solid #0066cc' : '1px solid rgba(0,0,0,.25)',
                              borderRadius: 4,
                              padding: '2px 6px',
                              textAlign: 'left',
                              cursor: 'pointer',
                              fontSize: 12,
                              lineHeight: '18px',
                              overflow: 'hidden',
                            }}
                          >
                            <div
                              style={{
                                fontWeight: 600,
                                whiteSpace: 'nowrap',
                                overflow: 'hidden',
                                textOverflow: 'ellipsis',
                              }}
                            >
                              {name}
                            </div>
                            <div style={{ whiteSpace: 'nowrap' }} aria-hidden>
                              {s.short} {CLOUD_MARK[cloud]} {votesMark(n)}
                            </div>
                          </button>
                        </div>
                      );
                    })}
                  </div>
                </div>
              );
            })}
            {bottom > 0 && <div style={{ height: bottom }} aria-hidden />}
          </div>
          {rows.length === 0 && (
            <p style={{ padding: 16 }}>
              {nodeCount ? 'No unit or node matches the filter.' : 'No node has a verdict yet.'}
            </p>
          )}
        </div>
      )}
    </PageSection>
  );

  const close = () => {
    navigate(`${base}${search}`);
    pendingFocus.current = true;
  };
  return (
    <Drawer isExpanded={Boolean(node)} isInline position="end">
      <DrawerContent
        panelContent={
          node ? (
            <DrawerPanelContent widths={{ default: 'width_100', lg: 'width_50' }} minSize="360px">
              <DrawerHead>
                <Title headingLevel="h2">Why {node} is what it is</Title>
                <DrawerActions>
                  <DrawerCloseButton onClick={close} aria-label="Close the explanation" />
                </DrawerActions>
              </DrawerHead>
              <DrawerPanelBody>
                <Explanation clusterId={clusterId} node={node} />
              </DrawerPanelBody>
            </DrawerPanelContent>
          ) : undefined
        }
      >
        <DrawerContentBody>{matrix}</DrawerContentBody>
      </DrawerContent>
    </Drawer>
  );
}

/** The arbiter's explanation of one node: the rule and its words, cloud, every vote, quorum, history. */
function Explanation({ clusterId, node }: { clusterId: string; node: string }) {
  const { data: x, error, isPending, refetch, isFetching } = useExplanation(clusterId, node);
  // ages are counted on from the moment of the answer (a render tick, no request)
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  if (error) {
    return (
      <Alert variant="danger" isInline title={`Cannot explain ${node}`} data-testid="explanation-error">
        {error.message}
      </Alert>
    );
  }
  if (isPending || !x) return <p>Reading the explanation…</p>;
  const s = x.status;
  const since = (iso: string | null | undefined) =>
    iso ? `${new Date(iso).toLocaleString()} (${duration(now - Date.parse(iso))} ago)` : '—';
  // live answers: ages grow from observedAt; from the record they are as of the last change
  const grown = s.fromRecord ? 0 : Math.max(0, now - (x.receivedAt ?? now));
  const cloud = cloudState(x);
  return (
    <div data-testid="health-explanation">
      <p style={{ marginBottom: 8 }}>
        <VerdictLabel verdict={s.verdict} /> since {since(s.since)}
      </p>
      <DescriptionList isCompact isHorizontal>
        <DescriptionListGroup>
          <DescriptionListTerm>Rule</DescriptionListTerm>
          <DescriptionListDescription data-testid="explanation-rule">
            <code>{s.rule || 'none'}</code> — {s.explanation}
            {s.computedRule && s.computedRule !== s.rule && (
              <div>
                The table says now: <code>{s.computedRule}</code> ({s.computedVerdict})
                {s.holdingUntil ? `, held until ${s.holdingUntil} after a restart` : ''}
              </div>
            )}
          </DescriptionListDescription>
        </DescriptionListGroup>
        <DescriptionListGroup>
          <DescriptionListTerm>Cloud contact</DescriptionListTerm>
          <DescriptionListDescription data-testid="explanation-cloud">
            {CLOUD_MARK[cloud]} {CLOUD_WORDS[cloud]}
            {s.cloud.lastSeen &&
              `; last heartbeat ${duration((s.cloud.ageMs ?? 0) + grown)} ago (${new Date(s.cloud.lastSeen).toLocaleTimeString()})`}
            {s.cloud.graceMs ? `; lost after ${duration(s.cloud.graceMs)} of silence` : ''}
          </DescriptionListDescription>
        </DescriptionListGroup>
        <DescriptionListGroup>
          <DescriptionListTerm>Peer check</DescriptionListTerm>
          <DescriptionListDescription>
            {s.scope === 'none'
              ? 'not peer-checked'
              : s.scope === 'units'
                ? `peers are the members of ${(s.units ?? []).join(', ')}`
                : 'peers are the whole cluster'}
            {s.frozen && (
              <div>
                <Label color="orange" isCompact>
                  frozen
                </Label>{' '}
                dark units: {(s.darkUnits ?? []).join(', ')}
              </div>
            )}
          </DescriptionListDescription>
        </DescriptionListGroup>
        <DescriptionListGroup>
          <DescriptionListTerm>Quorum</DescriptionListTerm>
          <DescriptionListDescription data-testid="explanation-quorum">
            {s.quorum.peerSetSize
              ? `${s.quorum.needed} of ${s.quorum.peerSetSize} needed · ${s.quorum.fresh} fresh counted · ${s.quorum.healthyVotes} vouch · ${s.quorum.unhealthyVotes} down · ${s.quorum.abstained} abstained`
              : 'no peer set'}
          </DescriptionListDescription>
        </DescriptionListGroup>
        <DescriptionListGroup>
          <DescriptionListTerm>Taints</DescriptionListTerm>
          <DescriptionListDescription>
            {(s.taints ?? []).length
              ? (s.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')
              : 'none'}
          </DescriptionListDescription>
        </DescriptionListGroup>
      </DescriptionList>

      <Title headingLevel="h3" style={{ marginTop: 16 }}>
        Votes about {node}
      </Title>
      {(s.peers ?? []).length === 0 ? (
        <p>No peer has voted about it.</p>
      ) : (
        <Table aria-label={`Votes about ${node}`} variant="compact" data-testid="explanation-votes">
          <Thead>
            <Tr>
              <Th>Peer</Th>
              <Th>Vote</Th>
              <Th>Age</Th>
              <Th>State</Th>
            </Tr>
          </Thead>
          <Tbody>
            {(s.peers ?? []).map((p) => (
              <Tr key={p.peer} data-testid={`vote-row-${p.peer}`}>
                <Td dataLabel="Peer">{p.peer}</Td>
                <Td dataLabel="Vote">
                  <Label color={p.healthy ? 'green' : 'red'} isCompact>
                    {p.healthy ? 'healthy' : 'down'}
                  </Label>
                </Td>
                <Td dataLabel="Age">{duration(p.ageMs + grown)}</Td>
                <Td dataLabel="State">
                  {p.stale ? (
                    <Label color="orange" isCompact>
                      stale
                    </Label>
                  ) : (
                    'fresh'
                  )}
                  {p.abstained && ' · abstains (hears none of its peers)'}
                  {p.counted ? ' · counted' : ' · not counted'}
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}

      <Title headingLevel="h3" style={{ marginTop: 16 }}>
        History
      </Title>
      <ol data-testid="explanation-history" style={{ listStyle: 'none', paddingLeft: 0 }}>
        {[...(s.history ?? [])].reverse().map((h) => (
          <li
            key={`${h.at}-${h.verdict}`}
            style={{
              borderLeft: `4px solid ${VERDICT_STYLE[h.verdict]?.bg ?? '#ccc'}`,
              padding: '2px 8px',
              margin: '4px 0',
            }}
          >
            <strong>{new Date(h.at).toLocaleString()}</strong>: {h.previous ?? 'none'} → {h.verdict}{' '}
            <code>{h.rule}</code>
          </li>
        ))}
      </ol>
      <p style={{ fontSize: 12, marginTop: 8 }}>
        {s.fromRecord
          ? `From the record of the last change (another arbiter instance judges this cluster): ages as of ${s.evidenceAsOf}.`
          : `Read at ${new Date(s.observedAt).toLocaleTimeString()}; ages counted on since. Replaced live when the verdict changes.`}{' '}
        <Button variant="link" isInline onClick={() => void refetch()} isDisabled={isFetching}>
          Read again
        </Button>
      </p>
    </div>
  );
}

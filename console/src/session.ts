/** The browser keeps only the bearer token the console server got for it (sessionStorage: this tab). */
export interface Session {
  token: string;
  /**
   * `cluster`: logged in with one cluster's kubeconfig (clusterId is that cluster). `platform`:
   * with a platform credential file (kind: Credentials): every cluster (or `clusters`), the
   * clusters views; clusterId is then the cluster of the page shown (`/clusters/<id>/…`), so the
   * per-cluster views work for whichever cluster is open. Absent = cluster (older sessions).
   */
  scope?: 'cluster' | 'platform';
  /** platform: the clusters the credential is limited to; empty = all */
  clusters?: string[];
  clusterId: string;
  user: string;
  groups: string[];
  expiresAt: string;
}

const KEY = 'edgeplane.session';

export function loadSession(): Session | undefined {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    if (!s?.token || Date.parse(s.expiresAt) <= Date.now()) return undefined;
    if (s.scope === 'platform') return { ...s, clusterId: clusterOfPage() };
    return s;
  } catch {
    return undefined;
  }
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

/** The role the API will apply, from the groups (issue 12's table); the API enforces it anyway. */
export function roleOf(groups: string[]): string {
  if (groups.includes('system:masters')) return 'cluster-admin';
  if (groups.includes('edgeplane:edit')) return 'edit';
  if (groups.includes('edgeplane:view')) return 'view';
  return 'none';
}

/** The cluster of the page shown (`/clusters/<id>/…`; not `/clusters/new`), else ''. */
function clusterOfPage(): string {
  const m = /^\/clusters\/([^/]+)/.exec(window.location.pathname);
  const id = m ? decodeURIComponent(m[1] as string) : '';
  return id === 'new' ? '' : id;
}

/** The browser keeps only the bearer token the console server got for it (sessionStorage: this tab). */
export interface Session {
  token: string;
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

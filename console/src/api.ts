import { clearSession, loadSession, type Session } from './session';

/** A field the API refused (Status details.causes: `spec.nodes[0]`, `metadata.name`, …) and why. */
export interface ApiCause {
  field?: string;
  message?: string;
  reason?: string;
}

/** An answer of the kube API that was not a success, with the API's own message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** the Status reason (`Forbidden`, `Invalid`, `AlreadyExists`, …) */
    readonly reason = '',
    /** per-field causes of a 422 `Invalid`: show each on its field */
    readonly causes: ApiCause[] = [],
  ) {
    super(message);
  }
}

function authHeaders(session: Session): HeadersInit {
  return { authorization: `Bearer ${session.token}`, accept: 'application/json' };
}

async function failure(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  let reason = '';
  let causes: ApiCause[] = [];
  try {
    const body = (await res.json()) as {
      message?: string;
      reason?: string;
      details?: { causes?: ApiCause[] };
    };
    if (body?.message) message = body.message;
    reason = body?.reason ?? '';
    causes = Array.isArray(body?.details?.causes) ? body.details.causes : [];
  } catch {
    /* not JSON */
  }
  if (res.status === 401) clearSession();
  return new ApiError(res.status, message, reason, causes);
}

/**
 * A write (or any method) on a kube API path under the session's cluster: `body` is sent as JSON,
 * or as the text given (YAML for `application/apply-patch+yaml`). Resolves to the answer's JSON;
 * a failure is an ApiError with the API's message, reason and per-field causes.
 */
export async function kubeRequest<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  options: { body?: unknown; contentType?: string; signal?: AbortSignal } = {},
): Promise<T> {
  return (await kubeSend<T>(method, path, options)).body;
}

/** kubeRequest with the HTTP status too (201 Created vs 200 OK: "created" or "configured"). */
export async function kubeSend<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  options: { body?: unknown; contentType?: string; signal?: AbortSignal } = {},
): Promise<{ status: number; body: T }> {
  const session = loadSession();
  if (!session) throw new ApiError(401, 'not logged in');
  const headers: Record<string, string> = {
    authorization: `Bearer ${session.token}`,
    accept: 'application/json',
  };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const res = await fetch(`/k8s/clusters/${encodeURIComponent(session.clusterId)}${path}`, {
    method,
    headers,
    body,
    signal: options.signal,
  });
  if (!res.ok) throw await failure(res);
  return { status: res.status, body: (await res.json()) as T };
}

/** GET a kube API path under the session's cluster (`/api/v1/nodes` → /k8s/clusters/<id>/api/v1/nodes). */
export async function kubeGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  const session = loadSession();
  if (!session) throw new ApiError(401, 'not logged in');
  const res = await fetch(`/k8s/clusters/${encodeURIComponent(session.clusterId)}${path}`, {
    headers: authHeaders(session),
    signal,
  });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

/**
 * A kube API watch from `resourceVersion`: one JSON event per line, streamed through the console
 * server. Resolves when the server ends the watch; throws ApiError(410) when the position is gone.
 */
export async function kubeWatch<T>(
  path: string,
  resourceVersion: string,
  onEvent: (e: WatchEvent<T>) => void,
  signal: AbortSignal,
): Promise<string> {
  const session = loadSession();
  if (!session) throw new ApiError(401, 'not logged in');
  const sep = path.includes('?') ? '&' : '?';
  const url = `/k8s/clusters/${encodeURIComponent(session.clusterId)}${path}${sep}watch=1&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(resourceVersion)}`;
  const res = await fetch(url, { headers: authHeaders(session), signal });
  if (!res.ok || !res.body) throw await failure(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let last = resourceVersion;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return last;
    buffer += value;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (!line) continue;
      const event = JSON.parse(line) as WatchEvent<T & { metadata?: { resourceVersion?: string } }>;
      if (event.type === 'ERROR') {
        const status = event.object as unknown as { code?: number; message?: string };
        throw new ApiError(status.code ?? 500, status.message ?? 'watch error');
      }
      const rv = event.object?.metadata?.resourceVersion;
      if (rv) last = rv;
      onEvent(event);
    }
  }
}

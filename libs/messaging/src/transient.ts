import {
  ClosedConnectionError,
  ConnectionError,
  DrainingConnectionError,
  NoRespondersError,
  TimeoutError,
} from '@nats-io/transport-node';

/**
 * SQLSTATEs of failures that say nothing about the message: the same work succeeds once the
 * database is reachable again or the competing transaction is gone.
 *  08xxx  connection exception (lost, refused, failure)
 *  57P01  admin_shutdown (pg_terminate_backend, server stopping) · 57P02 crash_shutdown
 *  57P03  cannot_connect_now (starting up, in recovery) · 57P05 idle_session_timeout
 *  57014  query_canceled (statement_timeout, pg_cancel_backend)
 *  40001  serialization_failure · 40P01 deadlock_detected
 *  55P03  lock_not_available (lock_timeout) · 53300 too_many_connections
 *  (55000 only for a database not accepting connections: see NOT_ACCEPTING_CONNECTIONS)
 */
const TRANSIENT_SQLSTATES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '57P05',
  '57014',
  '40001',
  '40P01',
  '55P03',
  '53300',
]);

/**
 * 55000 (object_not_in_prerequisite_state) is mostly a real error about the statement; PostgreSQL
 * also uses it to refuse a connection to a database with ALLOW_CONNECTIONS false (an operator
 * fencing it off for maintenance, a restore), which lifts again. Only that message is transient.
 */
const NOT_ACCEPTING_CONNECTIONS = /^database ".*" is not currently accepting connections$/s;

/** Socket errors of a driver that could not reach, or lost, its server. */
const TRANSIENT_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * node-postgres and pg-pool report a dead or unobtainable connection with these messages and no
 * SQLSTATE (pg/lib/client.js, pg-pool/index.js); there is nothing else to match them by.
 */
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'timeout exceeded when trying to connect',
];

/**
 * Whether a failure is an infrastructure hiccup that a later attempt of the same work would
 * survive (database connection lost or refused, serialization failure, deadlock, lock or statement
 * timeout, pool timeout, NATS timeout or disconnect, a lost optimistic race) — as opposed to a
 * handler or domain error that would fail again. Follows `cause` chains and AggregateErrors.
 */
export function isTransientError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 8) return false;
  const e = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') {
    if (e.code.length === 5 && (e.code.startsWith('08') || TRANSIENT_SQLSTATES.has(e.code))) return true;
    if (e.code === '55000' && typeof e.message === 'string' && NOT_ACCEPTING_CONNECTIONS.test(e.message))
      return true;
    if (TRANSIENT_ERRNOS.has(e.code)) return true;
  }
  if (
    error instanceof TimeoutError ||
    error instanceof ConnectionError ||
    error instanceof ClosedConnectionError ||
    error instanceof DrainingConnectionError ||
    error instanceof NoRespondersError
  ) {
    return true;
  }
  // a lost optimistic race that withVersionRetry gave up on: fresh state decides differently
  if (e.name === 'VersionConflictError') return true;
  // a stream a closed bus lets only the stack create, not there yet (provisioning.ts)
  if (e.name === 'StreamNotProvisionedError') return true;
  if (typeof e.message === 'string' && !('code' in e && typeof e.code === 'string')) {
    const message = e.message;
    if (PG_CONNECTION_MESSAGES.some((m) => message.startsWith(m))) return true;
  }
  if (
    Array.isArray(e.errors) &&
    e.errors.length > 0 &&
    e.errors.every((x) => isTransientError(x, depth + 1))
  ) {
    return true;
  }
  return e.cause !== undefined && isTransientError(e.cause, depth + 1);
}

function isNatsFailure(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 8) return false;
  if (
    error instanceof TimeoutError ||
    error instanceof ConnectionError ||
    error instanceof ClosedConnectionError ||
    error instanceof DrainingConnectionError ||
    error instanceof NoRespondersError
  ) {
    return true;
  }
  const e = error as { name?: unknown; cause?: unknown; errors?: unknown };
  if (e.name === 'StreamNotProvisionedError') return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isNatsFailure(x, depth + 1))) return true;
  return isNatsFailure(e.cause, depth + 1);
}

/**
 * The dependency a transient failure is about, for a caller-facing message ("database",
 * "message bus"); undefined when the failure is not transient (`isTransientError`).
 */
export function transientDependency(error: unknown): 'database' | 'message bus' | undefined {
  if (!isTransientError(error)) return undefined;
  return isNatsFailure(error) ? 'message bus' : 'database';
}

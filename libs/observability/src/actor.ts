import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who a piece of work is done for: the authenticated caller of the gRPC call being served
 * (`user:alice`, `service:kube-api(on behalf of user:bob)`, `node:<cluster>/<node>`), set by the
 * service kit's access interceptor around the handler. The event store writes it into every
 * event's `metadata.actor`; a client-supplied actor string never replaces it.
 */
const actors = new AsyncLocalStorage<string>();

export function runAsActor<T>(actor: string, fn: () => T): T {
  return actors.run(actor, fn);
}

/** The actor of the call being served, if any. */
export function currentActor(): string | undefined {
  return actors.getStore();
}

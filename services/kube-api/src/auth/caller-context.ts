import { AsyncLocalStorage } from 'node:async_hooks';
import * as grpc from '@grpc/grpc-js';
import { onBehalfOf } from '@edgeplane/service-kit';
import type { Identity } from './identity.js';

const caller = new AsyncLocalStorage<Identity>();

/** Runs `fn` (one request's work) with its authenticated identity known to the owner calls. */
export function runAs<T>(identity: Identity, fn: () => Promise<T>): Promise<T> {
  return caller.run(identity, fn);
}

/**
 * The metadata of a call to an owning service during a request: on behalf of the request's user
 * (`x-edgeplane-on-behalf-of` + groups, honoured only from a service certificate such as the kube
 * API's), so the owner checks that user's role too and records the actor as
 * `service:kube-api(on behalf of user:<user>)`. Node credentials act through the kube API's own
 * identity (their Node-authorizer rules were applied here); outside a request (credential checks):
 * no one.
 */
export function upstreamMetadata(): grpc.Metadata {
  const who = caller.getStore();
  if (!who || who.kind === 'node' || !who.user) return new grpc.Metadata();
  return onBehalfOf(who.user, who.groups);
}

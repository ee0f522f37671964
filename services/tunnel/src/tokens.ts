import { randomBytes } from 'node:crypto';

/** Injection tokens of the tunnel service (Nest: always `@Inject(TOKEN)`, tsx emits no metadata). */

/** The service's clock; commands carry the time it reads. */
export const CLOCK = Symbol('tunnel.clock');
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** Session and sub-stream ids (random, URL-safe). */
export const NEW_ID = Symbol('tunnel.new-id');
export type NewId = () => string;
export const randomId: NewId = () => randomBytes(12).toString('base64url');

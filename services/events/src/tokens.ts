/** The clock (injected, so tests can move time); webhook delivery reads it for backoff and parking. */
export const CLOCK = Symbol('events.clock');
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

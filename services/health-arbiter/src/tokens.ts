/** Injection tokens of the health-arbiter (Nest: always `@Inject(TOKEN)`, tsx emits no metadata). */

/**
 * The service's clock: settings commands carry the time it reads, the runtime ticks and explains
 * at it. (Signals are stamped with their JetStream receipt time, never with this clock.)
 */
export const CLOCK = Symbol('health-arbiter.clock');
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** Injection tokens of the grid service (Nest: always `@Inject(TOKEN)`, tsx emits no metadata). */

/** The service's clock. Handlers read it once per command; deciders get the time on the command. */
export const CLOCK = Symbol('grid.clock');
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** grid's tables in this instance's schema on the pool (`SchemaQueries`): what read paths query. */
export const SCHEMA_QUERIES = Symbol('grid.schema-queries');

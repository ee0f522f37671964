import { fold, VersionConflictError, type Decider } from '@edgeplane/es-kit';
import type { EventMetadata } from '@edgeplane/contracts';
import type { EventStore, NewEvent, StoredEvent, Trx } from './event-store.js';

export interface HandleResult<State> {
  state: State;
  version: number;
  events: StoredEvent[];
}

/**
 * Load → decide → append with the version that was read. On a version conflict the whole
 * decision is retried on fresh state (bounded), unless the caller owns the transaction.
 */
export class AggregateHandler<State, Command, Event extends NewEvent> {
  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<State, Command, Event>,
    private readonly maxRetries = 3,
  ) {}

  async load(streamId: string, trx?: Trx): Promise<{ state: State; version: number }> {
    const events = await this.store.readStream(streamId, { trx });
    const state = fold(
      this.decider,
      events.map((e) => ({ type: e.type, data: e.data }) as unknown as Event),
    );
    return { state, version: events.length === 0 ? 0 : events[events.length - 1]!.streamVersion };
  }

  async handle(
    streamId: string,
    command: Command,
    options: { metadata?: EventMetadata; trx?: Trx } = {},
  ): Promise<HandleResult<State>> {
    for (let attempt = 0; ; attempt++) {
      const { state, version } = await this.load(streamId, options.trx);
      const decided = this.decider.decide(command, state);
      try {
        const result = await this.store.append(streamId, version, decided, options);
        const next = decided.reduce((s, e) => this.decider.evolve(s, e), state);
        return { state: next, version: result.streamVersion, events: result.events };
      } catch (error) {
        if (error instanceof VersionConflictError && !options.trx && attempt < this.maxRetries) continue;
        throw error;
      }
    }
  }
}

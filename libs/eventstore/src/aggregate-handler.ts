import { fold, type Decider } from '@edgeplane/es-kit';
import type { EventMetadata } from '@edgeplane/contracts';
import type { Trx } from './db/database.js';
import type { EventStore, NewEvent, StoredEvent } from './event-store.js';
import { DEFAULT_VERSION_RETRIES, withVersionRetry } from './version-retry.js';

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
    private readonly retries = DEFAULT_VERSION_RETRIES,
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
    const attempt = async () => {
      const { state, version } = await this.load(streamId, options.trx);
      const decided = this.decider.decide(command, state);
      const result = await this.store.append(streamId, version, decided, options);
      const next = decided.reduce((s, e) => this.decider.evolve(s, e), state);
      return { state: next, version: result.streamVersion, events: result.events };
    };
    // Inside the caller's transaction a conflict aborted that transaction: its owner retries.
    return options.trx ? attempt() : withVersionRetry(attempt, this.retries);
  }
}

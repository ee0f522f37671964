/**
 * A decider is the pure core of an aggregate: given the state folded from its past events and a
 * command, it returns the new events or throws a DomainError. It never reads a clock, a database
 * or the network — time and generated ids travel on the command.
 */
export interface Decider<State, Command, Event> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState: State;
}

export function fold<State, Command, Event>(
  decider: Decider<State, Command, Event>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}

import { describe, expect, it } from 'vitest';
import { DeciderSpecification, IllegalStateError, type Decider } from '../src/index.js';

type Ev = { type: 'Incremented'; data: { by: number } };
type Cmd = { type: 'Increment'; by: number };
const counter: Decider<number, Cmd, Ev> = {
  initialState: 0,
  evolve: (s, e) => s + e.data.by,
  decide: (c, s) => {
    if (s + c.by > 10) throw new IllegalStateError(`limit 10 exceeded at ${s}`);
    return [{ type: 'Incremented', data: { by: c.by } }];
  },
};
const spec = DeciderSpecification(counter);

describe('DeciderSpecification', () => {
  it('passes when events match and fails when they do not', () => {
    spec
      .given([])
      .when({ type: 'Increment', by: 2 })
      .then([{ type: 'Incremented', data: { by: 2 } }]);
    expect(() => spec.given([]).when({ type: 'Increment', by: 2 }).then([])).toThrow();
  });
  it('thenThrows checks the type and the predicate', () => {
    const past: Ev[] = [{ type: 'Incremented', data: { by: 9 } }];
    spec
      .given(past)
      .when({ type: 'Increment', by: 2 })
      .thenThrows(IllegalStateError, (e) => e.message.includes('9'));
    expect(() => spec.given([]).when({ type: 'Increment', by: 2 }).thenThrows(IllegalStateError)).toThrow(
      /expected IllegalStateError/,
    );
  });
});

import assert from 'node:assert/strict';
import { fold, type Decider } from './decider.js';
import { DomainError } from './errors.js';

type ErrorClass = abstract new (...args: never[]) => DomainError;

/**
 * Given/when/then for deciders (after emmett's DeciderSpecification):
 *   spec.given([...past]).when(command).then([...expected])
 *   spec.given([...past]).when(command).thenThrows(ValidationError, (e) => e.message.includes('pod'))
 * Assertions use node:assert so they work under any runner.
 */
export function DeciderSpecification<State, Command, Event>(decider: Decider<State, Command, Event>) {
  return {
    given(events: Event[]) {
      return {
        when(command: Command) {
          const run = (): Event[] => decider.decide(command, fold(decider, events));
          return {
            then(expected: Event[]): void {
              assertDeepEqual(run(), expected);
            },
            thenNothingHappens(): void {
              assertDeepEqual(run(), []);
            },
            /** Returns the produced events for checks a literal cannot express (generated values). */
            events(): Event[] {
              return run();
            },
            thenThrows<E extends DomainError>(errorType: ErrorClass, check?: (error: E) => boolean): E {
              let thrown: unknown;
              try {
                const produced = run();
                thrown = undefined;
                throw new AssertionFailure(
                  `expected ${errorType.name} but the decider returned ${JSON.stringify(produced)}`,
                );
              } catch (error) {
                if (error instanceof AssertionFailure) throw error;
                thrown = error;
              }
              if (!(thrown instanceof errorType)) {
                throw new AssertionFailure(`expected ${errorType.name}, got ${String(thrown)}`);
              }
              if (check && !check(thrown as E)) {
                throw new AssertionFailure(
                  `${errorType.name} did not satisfy the check: ${(thrown as Error).message}`,
                );
              }
              return thrown as E;
            },
          };
        },
      };
    },
  };
}

class AssertionFailure extends Error {}

function assertDeepEqual(actual: unknown, expected: unknown): void {
  assert.deepStrictEqual(actual, expected);
}

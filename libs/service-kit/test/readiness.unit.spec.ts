import { createLogger } from '@edgeplane/observability';
import { HealthImplementation } from '@edgeplane/proto';
import { describe, expect, it } from 'vitest';
import { Readiness, type Dependency } from '../src/readiness.js';

type Answer = 'ok' | 'refused' | 'hang';

/** A dependency whose next answers the test sets: ok, a refusal, or no answer at all. */
function scripted(name: string, answer: () => Answer): Dependency {
  return {
    name,
    probe: () => {
      const a = answer();
      if (a === 'ok') return Promise.resolve();
      if (a === 'refused') return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
      return new Promise(() => undefined);
    },
  };
}

function setUp(answers: Record<string, Answer>) {
  const health = new HealthImplementation({ '': 'NOT_SERVING', 'edgeplane.x.v1': 'NOT_SERVING' });
  const readiness = new Readiness({
    health,
    services: ['edgeplane.x.v1'],
    dependencies: Object.keys(answers).map((n) => scripted(n, () => answers[n]!)),
    logger: createLogger('test', 'silent'),
    intervalMs: 60_000, // the test probes with poke()
    timeoutMs: 30,
  });
  const status = () => [health.getStatus(''), health.getStatus('edgeplane.x.v1')];
  return { readiness, health, status };
}

describe('readiness: health follows the dependencies', () => {
  it('SERVING when all answer; NOT_SERVING at once when one refuses, naming it; SERVING again when it is back', async () => {
    const answers: Record<string, Answer> = { database: 'ok', bus: 'ok' };
    const { readiness, status } = setUp(answers);
    await readiness.start();
    expect(status()).toEqual(['SERVING', 'SERVING']);
    answers.database = 'refused';
    await readiness.poke();
    expect(status()).toEqual(['NOT_SERVING', 'NOT_SERVING']);
    expect(readiness.problems).toEqual({ database: 'connect ECONNREFUSED 127.0.0.1:5432' });
    answers.bus = 'refused';
    answers.database = 'ok';
    await readiness.poke();
    expect(readiness.problems).toEqual({ bus: 'connect ECONNREFUSED 127.0.0.1:5432' });
    expect(status()).toEqual(['NOT_SERVING', 'NOT_SERVING']);
    answers.bus = 'ok';
    await readiness.poke();
    expect(status()).toEqual(['SERVING', 'SERVING']);
    expect(readiness.ready).toBe(true);
    readiness.stop();
  });

  it('one slow answer is not an outage; two in a row are', async () => {
    const answers: Record<string, Answer> = { database: 'ok' };
    const { readiness, status } = setUp(answers);
    await readiness.start();
    answers.database = 'hang';
    await readiness.poke();
    expect(status()).toEqual(['SERVING', 'SERVING']);
    await readiness.poke();
    expect(status()).toEqual(['NOT_SERVING', 'NOT_SERVING']);
    expect(readiness.problems.database).toMatch(/no answer within 30 ms/);
    // still slow while down: stays down; one good answer: up
    await readiness.poke();
    expect(status()).toEqual(['NOT_SERVING', 'NOT_SERVING']);
    answers.database = 'ok';
    await readiness.poke();
    expect(status()).toEqual(['SERVING', 'SERVING']);
    readiness.stop();
  });

  it('after shutdown of the health service, probes change nothing', async () => {
    const answers: Record<string, Answer> = { database: 'ok' };
    const { readiness, health, status } = setUp(answers);
    await readiness.start();
    health.shutdown();
    await readiness.poke();
    expect(status()).toEqual(['NOT_SERVING', 'NOT_SERVING']);
    readiness.stop();
  });
});

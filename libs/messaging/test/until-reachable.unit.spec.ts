import { ConnectionError, TimeoutError } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { ConsumerRunner } from '../src/consumer-runner.js';
import type { Bus } from '../src/connection.js';
import { START_RETRY, untilReachable } from '../src/until-reachable.js';

function recorder() {
  const warnings: { fields: Record<string, unknown>; msg: string }[] = [];
  return {
    warnings,
    logger: {
      warn: (fields: Record<string, unknown>, msg: string) => void warnings.push({ fields, msg }),
      info: () => undefined,
    },
  };
}

describe('untilReachable: start-up steps wait out transient failures only', () => {
  it('retries a transient failure (NATS refused, then a timeout) and returns the result, logging why', async () => {
    const { warnings, logger } = recorder();
    const failures = [
      new ConnectionError('connection refused', { cause: new Error('connect ECONNREFUSED 127.0.0.1:4222') }),
      new TimeoutError(),
    ];
    const started = Date.now();
    const result = await untilReachable(logger as never, 'message bus', 'connect', async () => {
      const next = failures.shift();
      if (next) throw next;
      return 'connected';
    });
    expect(result).toBe('connected');
    expect(Date.now() - started).toBeGreaterThanOrEqual(START_RETRY.firstMs * 3 - 50); // 0.5 s + 1 s
    expect(warnings.map((w) => w.fields.attempt)).toEqual([1, 2]);
    expect(warnings[0]!.msg).toBe('message bus unavailable at start; waiting for it (connect)');
    expect(warnings[0]!.fields.reason).toBe('connection refused (connect ECONNREFUSED 127.0.0.1:4222)');
    expect(warnings[1]!.fields.retryInMs).toBe(START_RETRY.firstMs * 2);
  });

  it('throws any other failure at once (bad config, a config conflict): it ends the start', async () => {
    let calls = 0;
    const permanent = new Error('consumer filter subject conflicts with the stream');
    await expect(
      untilReachable(undefined, 'message bus', 'consumer x__y', async () => {
        calls++;
        throw permanent;
      }),
    ).rejects.toBe(permanent);
    expect(calls).toBe(1);
  });

  it('never logs a URL’s user and password', async () => {
    const { warnings, logger } = recorder();
    let first = true;
    await untilReachable(logger as never, 'database', 'schema migration', async () => {
      if (first) {
        first = false;
        throw Object.assign(new Error('connect ECONNREFUSED for postgres://edge:s3cret@db:5432/x'), {
          code: 'ECONNREFUSED',
        });
      }
    });
    expect(JSON.stringify(warnings)).not.toContain('s3cret');
    expect(warnings[0]!.fields.reason).toContain('postgres://***@db:5432/x');
  });

  it('a consumer whose declaration is wrong fails its start at once, naming it (no waiting)', async () => {
    const runner = new ConsumerRunner({} as Bus, {
      stream: 'EDGEPLANE_CLUSTER',
      durable: 'Not A Durable',
      db: {} as never,
      schema: 'x',
      handler: async () => undefined,
    });
    await expect(runner.start()).rejects.toThrow(
      /^consumer Not A Durable on stream EDGEPLANE_CLUSTER cannot be provisioned: durable consumer names are/,
    );
  });
});

import { VersionConflictError } from '@edgeplane/es-kit';
import { TimeoutError } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { PoisonMessageError, isTransientError } from '../src/index.js';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe('isTransientError', () => {
  it.each(['08006', '08001', '57P01', '57P03', '40001', '40P01', '55P03', '57014', '53300'])(
    'SQLSTATE %s is transient',
    (code) => expect(isTransientError(pgError(code))).toBe(true),
  );

  it.each(['23505', '23502', '22P02', '42P01', 'XX000', 'P0001'])('SQLSTATE %s is not', (code) =>
    expect(isTransientError(pgError(code))).toBe(false),
  );

  it('knows lost connections, pool timeouts, socket errors and NATS timeouts', () => {
    expect(isTransientError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientError(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(
      isTransientError(new Error('Client has encountered a connection error and is not queryable')),
    ).toBe(true);
    expect(isTransientError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      true,
    );
    expect(isTransientError(new TimeoutError())).toBe(true);
    expect(isTransientError(new VersionConflictError('s-1', 2, 3))).toBe(true);
  });

  it('a database refusing connections (55000 with that message only), starting up or shutting down', () => {
    const refused = Object.assign(new Error('database "edge" is not currently accepting connections'), {
      code: '55000',
    });
    expect(isTransientError(refused)).toBe(true);
    expect(isTransientError(new Error('query failed', { cause: refused }))).toBe(true);
    // other 55000s are about the statement and fail again
    expect(
      isTransientError(
        Object.assign(new Error('cannot ALTER TABLE "x" because it is being used'), { code: '55000' }),
      ),
    ).toBe(false);
    expect(
      isTransientError(
        Object.assign(new Error('prefix: database "edge" is not currently accepting connections'), {
          code: '55000',
        }),
      ),
    ).toBe(false);
    expect(
      isTransientError(Object.assign(new Error('the database system is starting up'), { code: '57P03' })),
    ).toBe(true);
    expect(
      isTransientError(Object.assign(new Error('the database system is shutting down'), { code: '57P03' })),
    ).toBe(true);
  });

  it('follows causes and aggregates', () => {
    expect(isTransientError(new Error('append failed', { cause: pgError('40P01') }))).toBe(true);
    expect(isTransientError(new AggregateError([pgError('08006'), pgError('57P01')]))).toBe(true);
    expect(isTransientError(new AggregateError([pgError('08006'), new Error('bad data')]))).toBe(false);
  });

  it('handler and domain errors are not transient, nor is a message that merely mentions a connection', () => {
    expect(isTransientError(new Error('unit "x" not found'))).toBe(false);
    expect(isTransientError(new PoisonMessageError('never'))).toBe(false);
    expect(isTransientError(Object.assign(new Error('Connection terminated'), { code: '23505' }))).toBe(
      false,
    );
    expect(isTransientError(undefined)).toBe(false);
    expect(isTransientError('Connection terminated')).toBe(false);
  });
});

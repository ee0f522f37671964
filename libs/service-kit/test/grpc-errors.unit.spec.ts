import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  IllegalStateError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from '@edgeplane/es-kit';
import { fieldViolationsOf } from '@edgeplane/proto';
import { TimeoutError } from '@nats-io/transport-node';
import { toGrpcError, toServiceError } from '../src/grpc-errors.js';

describe('domain error → gRPC status', () => {
  it('maps each kind to its code', () => {
    expect(toGrpcError(ValidationError.field('a', 'b')).code).toBe(status.INVALID_ARGUMENT);
    expect(toGrpcError(new NotFoundError('cluster', 'x')).code).toBe(status.NOT_FOUND);
    expect(toGrpcError(new IllegalStateError('no')).code).toBe(status.FAILED_PRECONDITION);
    expect(toGrpcError(new AlreadyExistsError('node', 'n1')).code).toBe(status.ALREADY_EXISTS);
    expect(toGrpcError(new VersionConflictError('s', 1, 2)).code).toBe(status.ABORTED);
  });

  it('carries field violations in grpc-status-details-bin and reads them back', () => {
    const err = toGrpcError(
      new ValidationError([
        { field: 'podCidr', description: 'overlaps serviceCidr 172.17.0.0/20 with 172.16.0.0/12' },
        { field: 'name', description: 'must be 1–50 characters' },
      ]),
    );
    expect(err.details).toContain('podCidr: overlaps');
    expect(fieldViolationsOf(err)).toEqual([
      { field: 'podCidr', description: 'overlaps serviceCidr 172.17.0.0/20 with 172.16.0.0/12' },
      { field: 'name', description: 'must be 1–50 characters' },
    ]);
  });

  it('transient infrastructure failures are UNAVAILABLE naming the dependency, never the driver text', () => {
    const refused = Object.assign(new Error('database "edge_prod" is not currently accepting connections'), {
      code: '55000',
    });
    const lost = new Error('append failed', { cause: new Error('Connection terminated unexpectedly') });
    const socket = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' });
    for (const error of [refused, lost, socket]) {
      expect(toServiceError(error)).toEqual({
        code: status.UNAVAILABLE,
        details: 'database unavailable, try again',
        message: 'database unavailable, try again',
      });
    }
    expect(toServiceError(new Error('publish failed', { cause: new TimeoutError() }))).toMatchObject({
      code: status.UNAVAILABLE,
      details: 'message bus unavailable, try again',
    });
    // not transient: still INTERNAL; a domain conflict keeps its own code
    expect(toServiceError(Object.assign(new Error('duplicate key'), { code: '23505' }))).toMatchObject({
      code: status.INTERNAL,
    });
    expect((toServiceError(new VersionConflictError('s', 1, 2)) as { code: number }).code).toBe(
      status.ABORTED,
    );
  });
});

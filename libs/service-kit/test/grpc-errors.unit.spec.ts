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
import { toGrpcError } from '../src/grpc-errors.js';

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
});

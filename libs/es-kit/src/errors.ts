/** Field-level reason a command was refused; `field` is a dotted path into the command/request. */
export interface FieldViolation {
  field: string;
  description: string;
}

export type DomainErrorKind =
  | 'validation'
  | 'not_found'
  | 'illegal_state'
  | 'already_exists'
  | 'version_conflict'
  | 'unauthenticated';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  override get name(): string {
    return this.constructor.name;
  }
}

/** Input is malformed or breaks a rule about the input itself → INVALID_ARGUMENT. */
export class ValidationError extends DomainError {
  readonly kind = 'validation' as const;
  constructor(
    readonly violations: FieldViolation[],
    message?: string,
  ) {
    super(message ?? violations.map((v) => `${v.field}: ${v.description}`).join('; '));
  }
  static field(field: string, description: string): ValidationError {
    return new ValidationError([{ field, description }]);
  }
}

/** The addressed aggregate does not exist → NOT_FOUND. */
export class NotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} "${id}" not found`);
  }
}

/** The command is well-formed but the aggregate's state forbids it now → FAILED_PRECONDITION. */
export class IllegalStateError extends DomainError {
  readonly kind = 'illegal_state' as const;
}

/** Creating something that already exists → ALREADY_EXISTS. */
export class AlreadyExistsError extends DomainError {
  readonly kind = 'already_exists' as const;
  constructor(
    readonly resource: string,
    readonly id: string,
    detail?: string,
  ) {
    super(detail ?? `${resource} "${id}" already exists`);
  }
}

/** Optimistic concurrency lost: the stream moved on since it was read → ABORTED. */
export class VersionConflictError extends DomainError {
  readonly kind = 'version_conflict' as const;
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion?: number,
  ) {
    super(
      `stream ${streamId}: expected version ${expectedVersion}` +
        (actualVersion === undefined ? ', but it moved on' : `, found ${actualVersion}`),
    );
  }
}

/** Caller could not be identified (bad or revoked credential/token) → UNAUTHENTICATED. */
export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated' as const;
}

// Original file: edgeplane/health/v1/health.proto

export const Verdict = {
  VERDICT_UNSPECIFIED: 'VERDICT_UNSPECIFIED',
  VERDICT_READY: 'VERDICT_READY',
  VERDICT_NOT_READY_NO_SCHEDULE: 'VERDICT_NOT_READY_NO_SCHEDULE',
  VERDICT_NOT_READY_NO_EXECUTE: 'VERDICT_NOT_READY_NO_EXECUTE',
  VERDICT_UNKNOWN: 'VERDICT_UNKNOWN',
} as const;

export type Verdict =
  | 'VERDICT_UNSPECIFIED'
  | 0
  | 'VERDICT_READY'
  | 1
  | 'VERDICT_NOT_READY_NO_SCHEDULE'
  | 2
  | 'VERDICT_NOT_READY_NO_EXECUTE'
  | 3
  | 'VERDICT_UNKNOWN'
  | 4

export type Verdict__Output = typeof Verdict[keyof typeof Verdict]

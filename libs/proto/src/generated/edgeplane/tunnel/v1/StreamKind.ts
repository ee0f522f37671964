// Original file: edgeplane/tunnel/v1/tunnel.proto

export const StreamKind = {
  STREAM_KIND_UNSPECIFIED: 'STREAM_KIND_UNSPECIFIED',
  STREAM_KIND_PROXY: 'STREAM_KIND_PROXY',
  STREAM_KIND_RELAY: 'STREAM_KIND_RELAY',
  STREAM_KIND_POD_LOGS: 'STREAM_KIND_POD_LOGS',
  STREAM_KIND_POD_EXEC: 'STREAM_KIND_POD_EXEC',
} as const;

export type StreamKind =
  | 'STREAM_KIND_UNSPECIFIED'
  | 0
  | 'STREAM_KIND_PROXY'
  | 1
  | 'STREAM_KIND_RELAY'
  | 2
  | 'STREAM_KIND_POD_LOGS'
  | 3
  | 'STREAM_KIND_POD_EXEC'
  | 4

export type StreamKind__Output = typeof StreamKind[keyof typeof StreamKind]

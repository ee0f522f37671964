import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HEALTH_PROTO,
  LOADER_OPTIONS,
  PROTO_ROOT,
  loadPackage,
  protoFilesOf,
  protoPath,
} from '../src/index.js';

describe('proto loader', () => {
  it('roots proto files at the repository proto/ directory', () => {
    expect(path.basename(PROTO_ROOT)).toBe('proto');
    expect(existsSync(path.join(PROTO_ROOT, HEALTH_PROTO))).toBe(true);
    expect(LOADER_OPTIONS.includeDirs).toEqual([PROTO_ROOT]);
  });

  it('maps each service to its package folder (health-arbiter → edgeplane.health.v1)', () => {
    expect(protoPath('cluster')).toBe('edgeplane/cluster/v1/cluster.proto');
    expect(protoPath('health-arbiter')).toBe('edgeplane/health/v1/health.proto');
    expect(protoPath('tunnel', 'tunnel_agent')).toBe('edgeplane/tunnel/v1/tunnel_agent.proto');
    expect(protoFilesOf('no-such-service')).toEqual([]);
  });

  it('loads with the shared options: camelCase fields, enum names, proto3 defaults', () => {
    const { packageDefinition } = loadPackage([HEALTH_PROTO]);
    const response = packageDefinition['grpc.health.v1.HealthCheckResponse'];
    expect(response && 'type' in response).toBe(true);
    const health = packageDefinition['grpc.health.v1.Health'] as Record<
      string,
      { path: string; responseDeserialize: (b: Buffer) => unknown }
    >;
    expect(health['Check']?.path).toBe('/grpc.health.v1.Health/Check');
    // An empty message decodes with the default enum value as its name, not undefined or 0.
    expect(health['Check']?.responseDeserialize(Buffer.alloc(0))).toEqual({ status: 'UNKNOWN' });
    // Status 1 on the wire (field 1, varint) decodes to 'SERVING'.
    expect(health['Check']?.responseDeserialize(Buffer.from([0x08, 0x01]))).toEqual({ status: 'SERVING' });
  });

  it('refuses an empty file list', () => {
    expect(() => loadPackage([])).toThrow(/no \.proto files/);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import {
  EnvironmentNameError,
  bucketName,
  busSubject,
  currentEnvironment,
  deadLetterSubject,
  durableName,
  environmentResources,
  logicalSubject,
  parseSignalSubject,
  schemaName,
  signalPartitionFilter,
  signalSubject,
  streamName,
  streamOfSubject,
  STREAMS,
} from '../src/index.js';

describe('EDGEPLANE_ENV naming', () => {
  const saved = process.env.EDGEPLANE_ENV;
  afterEach(() => {
    if (saved === undefined) delete process.env.EDGEPLANE_ENV;
    else process.env.EDGEPLANE_ENV = saved;
  });

  it('without an environment every name is the declared one', () => {
    expect(streamName('EDGEPLANE_CLUSTER', '')).toBe('EDGEPLANE_CLUSTER');
    expect(busSubject('edgeplane.cluster.>', '')).toBe('edgeplane.cluster.>');
    expect(durableName('cluster__reactors', '')).toBe('cluster__reactors');
    expect(bucketName('tunnel_routes', '')).toBe('tunnel_routes');
    expect(schemaName('cluster', '')).toBe('cluster');
    delete process.env.EDGEPLANE_ENV;
    expect(currentEnvironment()).toBe('');
    expect(deadLetterSubject('cluster__reactors')).toBe('edgeplane.dlq.cluster__reactors');
    process.env.EDGEPLANE_ENV = '';
    expect(currentEnvironment()).toBe('');
    expect(signalSubject('heartbeat', 'c1')).toMatch(/^edgeplane\.signal\.c1\.p\d\d\.heartbeat$/);
  });

  it('prefixes every kind of name, once', () => {
    const env = 'dev-1';
    expect(streamName('EDGEPLANE_CLUSTER', env)).toBe('dev-1_EDGEPLANE_CLUSTER');
    expect(streamName(streamName('EDGEPLANE_CLUSTER', env), env)).toBe('dev-1_EDGEPLANE_CLUSTER');
    expect(busSubject('edgeplane.cluster.>', env)).toBe('dev-1.edgeplane.cluster.>');
    expect(busSubject(busSubject('edgeplane.x', env), env)).toBe('dev-1.edgeplane.x');
    expect(logicalSubject('dev-1.edgeplane.cluster.node.removed', env)).toBe(
      'edgeplane.cluster.node.removed',
    );
    expect(logicalSubject('edgeplane.cluster.node.removed', env)).toBe('edgeplane.cluster.node.removed');
    expect(durableName('cluster__reactors', env)).toBe('dev-1_cluster__reactors');
    expect(bucketName('tunnel_routes', env)).toBe('dev-1_tunnel_routes');
    expect(schemaName('health_arbiter', env)).toBe('dev_1__health_arbiter');
    expect(schemaName('dev_1__health_arbiter', env)).toBe('dev_1__health_arbiter');
    expect(environmentResources(env)).toEqual({
      streamPrefixes: ['dev-1_', 'KV_dev-1_'],
      schemaPrefix: 'dev_1__',
    });
  });

  it('the subject helpers for direct NATS calls follow the process environment', () => {
    process.env.EDGEPLANE_ENV = 'ci-7';
    const hb = signalSubject('heartbeat', 'c1');
    expect(hb).toMatch(/^ci-7\.edgeplane\.signal\.c1\.p\d\d\.heartbeat$/);
    expect(parseSignalSubject(hb)).toMatchObject({ clusterId: 'c1', kind: 'heartbeat' });
    expect(signalPartitionFilter(7)).toBe('ci-7.edgeplane.signal.*.p07.*');
    expect(deadLetterSubject('cluster__reactors')).toBe('ci-7.edgeplane.dlq.cluster__reactors');
    expect(streamOfSubject('ci-7.edgeplane.cluster.node.removed')).toBe(STREAMS.CLUSTER);
    expect(streamOfSubject('edgeplane.cluster.node.removed')).toBe(STREAMS.CLUSTER);
    // another environment's signal is not one of ours
    expect(parseSignalSubject('ci-8.edgeplane.signal.c1.p07.heartbeat')).toBeUndefined();
  });

  it('refuses a bad environment name with the reason', () => {
    for (const [bad, why] of [
      ['Dev', /lower-case/],
      ['dev.1', /lower-case/],
      ['dev_1', /lower-case/],
      ['1dev', /starting with a letter/],
      ['dev-', /end with/],
      ['a'.repeat(25), /at most 24/],
      ['edgeplane', /reserved/],
      ['dev>', /lower-case/],
    ] as const) {
      process.env.EDGEPLANE_ENV = bad;
      expect(() => currentEnvironment()).toThrow(EnvironmentNameError);
      expect(() => currentEnvironment()).toThrow(why);
      expect(() => currentEnvironment()).toThrow(/EDGEPLANE_ENV/);
    }
  });

  it('refuses a schema that would not fit PostgreSQL with its environment', () => {
    expect(() => schemaName('s'.repeat(40), 'a'.repeat(20))).toThrow(/longer than 56/);
  });
});

import { EventEmitter } from 'node:events';
import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { createHealthImplementation, serviceNamesOf, loadPackage, HEALTH_PROTO } from '../src/index.js';

// Minimal stand-ins for grpc-js call objects: the handlers only use `request`, `write` and events.
function unaryCheck(impl: ReturnType<typeof createHealthImplementation>, service: string) {
  let result: { err: unknown; res: unknown } | undefined;
  impl.handlers.Check(
    { request: { service } } as never,
    ((err: unknown, res: unknown) => (result = { err, res })) as never,
  );
  return result;
}
function watch(impl: ReturnType<typeof createHealthImplementation>, service: string) {
  const call = Object.assign(new EventEmitter(), {
    request: { service },
    written: [] as unknown[],
    ended: 0,
  });
  (call as unknown as { write: (m: unknown) => void }).write = (m) => call.written.push(m);
  (call as unknown as { end: () => void }).end = () => void call.ended++;
  impl.handlers.Watch(call as never);
  return call;
}

describe('grpc.health.v1 implementation', () => {
  it('Check answers the stored status and NOT_FOUND for an unknown service', () => {
    const impl = createHealthImplementation({
      '': 'SERVING',
      'edgeplane.cluster.v1.ClusterService': 'NOT_SERVING',
    });
    expect(unaryCheck(impl, '')).toEqual({ err: null, res: { status: 'SERVING' } });
    expect(unaryCheck(impl, 'edgeplane.cluster.v1.ClusterService')?.res).toEqual({ status: 'NOT_SERVING' });
    const unknown = unaryCheck(impl, 'nope');
    expect((unknown?.err as { code: number }).code).toBe(status.NOT_FOUND);
    expect((unknown?.err as { details: string }).details).toContain('"nope"');
  });

  it('setStatus changes what Check reports', () => {
    const impl = createHealthImplementation({ '': 'NOT_SERVING' });
    impl.setStatus('', 'SERVING');
    expect(unaryCheck(impl, '')?.res).toEqual({ status: 'SERVING' });
    expect(impl.getStatus('')).toBe('SERVING');
  });

  it('Watch sends the current status, then each change once, and stops on cancel', () => {
    const impl = createHealthImplementation({ '': 'NOT_SERVING' });
    const call = watch(impl, '');
    impl.setStatus('', 'SERVING');
    impl.setStatus('', 'SERVING'); // no change → nothing sent
    impl.setStatus('other', 'SERVING'); // another service → nothing sent
    expect(call.written).toEqual([{ status: 'NOT_SERVING' }, { status: 'SERVING' }]);
    expect(impl.watcherCount).toBe(1);
    call.emit('cancelled');
    impl.setStatus('', 'NOT_SERVING');
    expect(call.written).toHaveLength(2);
    expect(impl.watcherCount).toBe(0);
  });

  it('Watch on an unknown service reports SERVICE_UNKNOWN and then its first status', () => {
    const impl = createHealthImplementation();
    const call = watch(impl, 'later');
    impl.setStatus('later', 'SERVING');
    expect(call.written).toEqual([{ status: 'SERVICE_UNKNOWN' }, { status: 'SERVING' }]);
  });

  it('shutdown drains every service to NOT_SERVING and ignores later updates', () => {
    const impl = createHealthImplementation({ '': 'SERVING', a: 'SERVING' });
    const call = watch(impl, 'a');
    impl.shutdown();
    impl.setStatus('', 'SERVING');
    expect(unaryCheck(impl, '')?.res).toEqual({ status: 'NOT_SERVING' });
    expect(call.written).toEqual([{ status: 'SERVING' }, { status: 'NOT_SERVING' }]);
  });

  it('shutdown ends open Watch streams once told, so they do not hold the server open', () => {
    const impl = createHealthImplementation({ '': 'SERVING' });
    const open = watch(impl, '');
    const gone = watch(impl, '');
    gone.emit('cancelled');
    impl.shutdown();
    expect(open.written).toEqual([{ status: 'SERVING' }, { status: 'NOT_SERVING' }]);
    expect(open.ended).toBe(1);
    expect(gone.ended).toBe(0);
    expect(impl.watcherCount).toBe(0);
    // a Watch that arrives during the drain gets the status and its end at once
    const late = watch(impl, '');
    expect(late.written).toEqual([{ status: 'NOT_SERVING' }]);
    expect(late.ended).toBe(1);
    expect(impl.watcherCount).toBe(0);
  });

  it('lists the services of a package definition', () => {
    expect(serviceNamesOf(loadPackage([HEALTH_PROTO]).packageDefinition)).toEqual(['grpc.health.v1.Health']);
  });
});

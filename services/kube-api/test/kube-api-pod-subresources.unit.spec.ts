import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/http/status.js';
import { execRequest, execStatus, logRequest } from '../src/resources/pod-subresources.js';

const q = (s: string) => new URLSearchParams(s);

describe('pods/log query → the node agent request', () => {
  it("maps kubectl's parameters (tailLines -1 = all) and checks them", () => {
    expect(logRequest('default', 'p', q('container=web&follow=true&tailLines=10&timestamps=true'))).toEqual({
      namespace: 'default',
      name: 'p',
      container: 'web',
      follow: true,
      tailLines: 10,
      timestamps: true,
    });
    expect(logRequest('default', 'p', q('tailLines=-1&previous=1&limitBytes=5'))).toEqual({
      namespace: 'default',
      name: 'p',
      previous: true,
      limitBytes: 5,
    });
    // kubectl's own parameter for an insecure backend is no business of this server
    expect(logRequest('default', 'p', q('insecureSkipTLSVerifyBackend=true'))).toEqual({
      namespace: 'default',
      name: 'p',
    });
  });

  it('refuses what it cannot honour with a 400 naming the parameter', () => {
    const err = (s: string) => {
      try {
        logRequest('default', 'p', q(s));
      } catch (e) {
        return e as ApiError;
      }
      throw new Error('no error');
    };
    expect(err('sinceSeconds=10').message).toBe('sinceSeconds is not supported by this server');
    expect(err('sinceTime=2026-01-01T00:00:00Z').code).toBe(400);
    expect(err('tailLines=ten').message).toBe('tailLines: must be a whole number');
    expect(err('limitBytes=0').message).toMatch(/^limitBytes: must be a whole number from 1/);
    expect(err('container=Not_A_Name').message).toMatch(/^container: must be a DNS-1123 label/);
  });
});

describe('pods/exec query', () => {
  it('takes the repeated command and the container', () => {
    expect(
      execRequest('ns', 'p', q('command=sh&command=-c&command=exit+3&container=web&stdout=true&stderr=true')),
    ).toEqual({
      namespace: 'ns',
      name: 'p',
      container: 'web',
      command: ['sh', '-c', 'exit 3'],
    });
  });

  it('takes stdin; refuses a terminal, no command and too many arguments (sent as a Failure over the socket)', () => {
    expect(execRequest('ns', 'p', q('command=sh&tty=true'))).toEqual({
      refused: expect.stringMatching(/terminal/),
    });
    expect(execRequest('ns', 'p', q('command=cat&stdin=true'))).toEqual({
      namespace: 'ns',
      name: 'p',
      command: ['cat'],
      stdin: true,
    });
    expect(execRequest('ns', 'p', q(''))).toEqual({
      refused: expect.stringMatching(/^command: is required/),
    });
    const many = Array.from({ length: 65 }, () => 'command=x').join('&');
    expect(execRequest('ns', 'p', q(many))).toEqual({
      refused: expect.stringMatching(/at most 64 arguments/),
    });
  });

  it('ends as kubelet does: Success, or NonZeroExitCode with the ExitCode cause kubectl exits with', () => {
    expect(execStatus({ exitCode: 0 }, ['true'])).toMatchObject({ status: 'Success' });
    expect(execStatus({ exitCode: 3 }, ['sh', '-c', 'exit 3'])).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    expect(execStatus({ error: 'OCI runtime exec failed' }, ['x'])).toMatchObject({
      status: 'Failure',
      message: 'OCI runtime exec failed',
    });
    expect(execStatus(undefined, ['x'])).toMatchObject({ status: 'Failure', code: 500 });
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { busCredentialsFromEnv, BusCredentialsError, natsAuthOptions } from '../src/credentials.js';

// A made-up NKEY user seed (shape only: 'SU' + 56 base32 characters); never a real credential.
const SEED = `SU${'A'.repeat(56)}`;

describe('bus credentials (NATS_NKEY_SEED_FILE | NATS_USER + NATS_PASSWORD[_FILE], NATS_INBOX_PREFIX)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bus-credentials-'));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text, { mode: 0o600 });
    return p;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('none on an open bus', () => {
    expect(natsAuthOptions(busCredentialsFromEnv({}))).toEqual({});
  });

  it('an NKEY seed file gives an authenticator and the inbox prefix', () => {
    const options = natsAuthOptions(
      busCredentialsFromEnv({
        NATS_NKEY_SEED_FILE: file('ok.nk', `${SEED}\n`),
        NATS_INBOX_PREFIX: '_INBOX_cluster',
      }),
    );
    expect(typeof options.authenticator).toBe('function');
    expect(options.inboxPrefix).toBe('_INBOX_cluster');
  });

  it('a password from a file', () => {
    const credentials = busCredentialsFromEnv({
      NATS_USER: 'tunnel',
      NATS_PASSWORD_FILE: file('pw', 's3cret\n'),
    });
    expect(credentials.password).toBe('s3cret');
    expect(typeof natsAuthOptions(credentials).authenticator).toBe('function');
  });

  it('refuses what is not a credential, naming the setting and never the secret', () => {
    const bad = file('bad.nk', 'SAnot-a-user-seed-but-secret');
    const problem = (credentials: Parameters<typeof natsAuthOptions>[0]) => {
      try {
        natsAuthOptions(credentials);
      } catch (error) {
        expect(error).toBeInstanceOf(BusCredentialsError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    const notSeed = problem({ nkeySeedFile: bad });
    expect(notSeed).toMatch(/NATS_NKEY_SEED_FILE .*bad\.nk: not an NKEY user seed/);
    expect(notSeed).not.toContain('secret');
    expect(problem({ nkeySeedFile: path.join(dir, 'missing.nk') })).toMatch(/cannot be read \(ENOENT\)/);
    expect(problem({ nkeySeedFile: file('ok2.nk', SEED), user: 'x', password: 'y' })).toMatch(/both set/);
    expect(problem({ user: 'tunnel' })).toMatch(/NATS_USER is set without NATS_PASSWORD/);
    expect(problem({ password: 'p' })).toMatch(/NATS_PASSWORD is set without NATS_USER/);
    expect(problem({ inboxPrefix: '_INBOX.>' })).toMatch(/NATS_INBOX_PREFIX .*no wildcards/);
    expect(problem({ nkeySeedFile: file('big.nk', 'x'.repeat(5000)) })).toMatch(/longer than 4096 bytes/);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  credentialsYaml,
  ensurePlatformPki,
  findCredentialsFile,
  platformPkiDir,
  readCredentialsFile,
} from '../src/index.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'h1-creds-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('credential files (the CLI finds and reads its credential)', () => {
  it('--credentials, then EDGEPLANE_CREDENTIALS, then .edgeplane/credentials/admin.yaml from the working directory up, then ~/.edgeplane/credentials.yaml', () => {
    const home = path.join(tmp, 'home');
    const repo = path.join(tmp, 'repo');
    const deep = path.join(repo, 'a', 'b');
    mkdirSync(deep, { recursive: true });
    mkdirSync(path.join(home, '.edgeplane'), { recursive: true });
    const env = { HOME: home } as NodeJS.ProcessEnv;
    expect(findCredentialsFile(undefined, env, deep)).toBeUndefined();
    writeFileSync(path.join(home, '.edgeplane', 'credentials.yaml'), 'x');
    expect(findCredentialsFile(undefined, env, deep)).toBe(path.join(home, '.edgeplane', 'credentials.yaml'));
    mkdirSync(path.join(repo, '.edgeplane', 'credentials'), { recursive: true });
    writeFileSync(path.join(repo, '.edgeplane', 'credentials', 'admin.yaml'), 'x');
    expect(findCredentialsFile(undefined, env, deep)).toBe(
      path.join(repo, '.edgeplane', 'credentials', 'admin.yaml'),
    );
    expect(findCredentialsFile(undefined, { ...env, EDGEPLANE_CREDENTIALS: 'mine.yaml' }, deep)).toBe(
      path.join(deep, 'mine.yaml'),
    );
    expect(findCredentialsFile('given.yaml', { ...env, EDGEPLANE_CREDENTIALS: 'mine.yaml' }, deep)).toBe(
      path.join(deep, 'given.yaml'),
    );
  });

  it('a PKI is made once (a second call reuses it), its admin.yaml reads back; a broken file names what is wrong', () => {
    const dir = path.join(tmp, 'pki');
    const a = ensurePlatformPki(dir);
    const b = ensurePlatformPki(dir);
    expect(b.certPem).toBe(a.certPem);
    expect(platformPkiDir({ EDGEPLANE_PKI_DIR: dir })).toBe(dir);
    const admin = readCredentialsFile(path.join(dir, 'admin.yaml'));
    expect(admin).toMatchObject({
      apiVersion: 'edgeplane.io/v1',
      kind: 'Credentials',
      user: 'admin',
      ca: a.certPem,
    });
    const bad = path.join(tmp, 'bad.yaml');
    writeFileSync(bad, credentialsYaml({ ...admin, kind: 'Kubeconfig' as never, key: '' }));
    expect(() => readCredentialsFile(bad)).toThrow(/bad\.yaml: kind must be Credentials; key is missing/);
  });
});

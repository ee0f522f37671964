import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  generateKekEntry,
  Keyring,
  loadKeyring,
  parseKeyring,
  SecretsError,
} from '../src/secrets/keyring.js';

const PEM = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIExample\n-----END PRIVATE KEY-----\n';
const entry = (id: string) => ({ id, key: randomBytes(32) });

describe('keyring (envelope encryption)', () => {
  it('seals with a fresh data key, opens only with the same KEK and context', () => {
    const k1 = entry('k1');
    const ring = new Keyring([k1]);
    const a = ring.seal(PEM, 'cluster_keys/c1/ca_key');
    const b = ring.seal(PEM, 'cluster_keys/c1/ca_key');
    expect(JSON.stringify(a)).not.toContain('PRIVATE KEY');
    expect(a.kek).toBe('k1');
    expect(a.dek).not.toBe(b.dek); // a data key per record
    expect(a.ct).not.toBe(b.ct);
    expect(ring.open(a, 'cluster_keys/c1/ca_key')).toBe(PEM);
    expect(() => ring.open(a, 'cluster_keys/c2/ca_key')).toThrow(SecretsError); // moved to another row
    const impostor = new Keyring([{ id: 'k1', key: randomBytes(32) }]);
    expect(() => impostor.open(a, 'cluster_keys/c1/ca_key')).toThrow(/different key/);
    expect(() => new Keyring([entry('k2')]).open(a, 'cluster_keys/c1/ca_key')).toThrow(
      /"k1", which is not configured/,
    );
    const flipped = {
      ...a,
      ct: Buffer.from(Buffer.from(a.ct, 'base64').map((x, i) => (i === 0 ? x ^ 1 : x))).toString('base64'),
    };
    expect(() => ring.open(flipped, 'cluster_keys/c1/ca_key')).toThrow(SecretsError);
  });

  it('rotation re-wraps the data key under the current KEK; the old one can then go', () => {
    const k1 = entry('k1');
    const k2 = entry('k2');
    const sealed = new Keyring([k1]).seal(PEM, 'ctx');
    const both = new Keyring([k2, k1]);
    expect(both.isCurrent(sealed)).toBe(false);
    const rewrapped = both.rewrap(sealed);
    expect(rewrapped.kek).toBe('k2');
    expect(rewrapped.ct).toBe(sealed.ct); // the ciphertext is kept
    expect(new Keyring([k2]).open(rewrapped, 'ctx')).toBe(PEM);
  });

  it('parses "<id>:<base64>" and bare entries, the first current; refuses bad ones without echoing keys', () => {
    const e1 = generateKekEntry('new');
    const bare = randomBytes(32).toString('base64');
    const ring = parseKeyring(`# rotated 2026-11-28\n${e1}\n${bare}\n`, 'test');
    expect(ring.currentId).toBe('new');
    expect(ring.ids[1]).toMatch(/^kek-[0-9a-f]{12}$/);
    expect(() => parseKeyring(`k1:${randomBytes(16).toString('base64')}`, 'EDGEPLANE_KEK')).toThrow(
      /must be 32 bytes of base64, got 16 bytes/,
    );
    const secretish = 'not base64 !!';
    expect(() => parseKeyring(secretish, 'EDGEPLANE_KEK')).toThrow(SecretsError);
    try {
      parseKeyring(secretish, 'EDGEPLANE_KEK');
    } catch (error) {
      expect(String(error)).not.toContain(secretish);
    }
  });

  it('loads from EDGEPLANE_KEK_FILE or EDGEPLANE_KEK; none is a clear refusal', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kek-'));
    const file = path.join(dir, 'kek');
    writeFileSync(file, `${generateKekEntry('f1')}\n`, { mode: 0o600 });
    expect(loadKeyring({ EDGEPLANE_KEK_FILE: file, EDGEPLANE_KEK: '' }).currentId).toBe('f1');
    expect(loadKeyring({ EDGEPLANE_KEK_FILE: '', EDGEPLANE_KEK: generateKekEntry('e1') }).currentId).toBe(
      'e1',
    );
    expect(() => loadKeyring({ EDGEPLANE_KEK_FILE: '', EDGEPLANE_KEK: '' })).toThrow(
      /no key-encryption key configured/,
    );
    expect(() => loadKeyring({ EDGEPLANE_KEK_FILE: path.join(dir, 'missing'), EDGEPLANE_KEK: '' })).toThrow(
      /cannot be read \(ENOENT\)/,
    );
    expect(() => loadKeyring({ EDGEPLANE_KEK_FILE: file, EDGEPLANE_KEK: generateKekEntry() })).toThrow(
      /not both/,
    );
  });
});

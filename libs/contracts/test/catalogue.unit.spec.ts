import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProbeRecorded } from '@edgeplane/testing';
import { allStreams, catalogue, decodeEnvelope, upcastEvent, validateEventData } from '../src/index.js';

const matches = (pattern: string, subject: string) => {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
};

describe('event catalogue', () => {
  it('publishes every event on a subject that exactly one declared stream captures', () => {
    for (const def of catalogue.all()) {
      const owners = allStreams().filter((st) => st.subjects.some((p) => matches(p, def.subject)));
      expect(
        owners.map((o) => o.name),
        `${def.type}: ${def.subject}`,
      ).toHaveLength(1);
    }
  });

  it('gives every event type its own subject', () => {
    const bySubject = new Map<string, string>();
    for (const def of catalogue.all()) {
      const other = bySubject.get(def.subject);
      if (other && other !== def.type) throw new Error(`${def.type} and ${other} share ${def.subject}`);
      bySubject.set(def.subject, def.type);
    }
  });

  it('documents every event with a JSDoc in its own file', () => {
    const root = fileURLToPath(new URL('../src/events', import.meta.url));
    for (const dir of readdirSync(root)) {
      for (const file of readdirSync(path.join(root, dir)).filter((f) => /\.v\d+\.ts$/.test(f))) {
        const text = readFileSync(path.join(root, dir, file), 'utf8');
        expect(text, `${dir}/${file}`).toMatch(/\/\*\*[\s\S]*?\*\/\s*export const \w+ = defineEvent/);
      }
    }
  });

  it('validates data on decode and names the failing field', () => {
    const env = {
      id: '0190a8f0-0000-7000-8000-000000000001',
      type: ProbeRecorded.type,
      version: 1,
      streamId: 's',
      streamPosition: 1,
      globalPosition: 1,
      occurredAt: new Date().toISOString(),
      data: { seq: 'one' },
      metadata: {},
    };
    expect(() => decodeEnvelope(JSON.stringify(env))).toThrow(/ProbeRecorded failed validation: seq/);
    expect(decodeEnvelope(JSON.stringify({ ...env, data: { seq: 1 } })).data).toEqual({ seq: 1 });
    expect(() => validateEventData('Nope', 1, {})).toThrow(/not in the catalogue/);
  });
});

describe('event versions', () => {
  it('upcasts JoinTokenCreated@v1 to v2 on decode: the scripts become SHA-256 and size, their text is gone', () => {
    const v1 = {
      tokenId: 'a1b2c3d4e5',
      clusterId: 'cls-0123456789',
      secretHash: 'f'.repeat(64),
      ttlSeconds: 3600,
      expiresAt: '2026-11-28T11:00:00.000Z',
      containerDir: '/var/lib/containerd',
      preInstallScript: 'export TOKEN=s3cret\n',
      postInstallScript: null,
      createdAt: '2026-11-28T10:00:00.000Z',
    };
    const envelope = {
      id: '0190a8f0-0000-7000-8000-000000000002',
      type: 'JoinTokenCreated',
      version: 1,
      streamId: 'join-token-a1b2c3d4e5',
      streamPosition: 1,
      globalPosition: 7,
      occurredAt: v1.createdAt,
      data: v1,
      metadata: {},
    };
    const decoded = decodeEnvelope(JSON.stringify(envelope));
    expect(decoded.version).toBe(2);
    expect(decoded.data).toEqual({
      ...v1,
      preInstallScript: {
        sha256: createHash('sha256').update(v1.preInstallScript).digest('hex'),
        bytes: 20,
      },
      postInstallScript: null,
    });
    expect(JSON.stringify(decoded)).not.toContain('s3cret');
    expect(catalogue.latestVersion('JoinTokenCreated')).toBe(2);
    expect(upcastEvent('JoinTokenCreated', 2, decoded.data)).toEqual({ version: 2, data: decoded.data });
    expect(catalogue.latestVersion('NodeJoined')).toBe(1);
  });
});

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The token an operator copies is `<tokenId>.<secret>`. Only SHA-256(secret) is stored and
 * published; the service hashes what a node presents and hands the hash to the decider.
 */

export function generateTokenSecret(): string {
  return randomBytes(24).toString('base64url');
}

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function formatJoinToken(tokenId: string, secret: string): string {
  return `${tokenId}.${secret}`;
}

export function parseJoinToken(text: string): { tokenId: string; secret: string } | undefined {
  const dot = text.trim().indexOf('.');
  if (dot <= 0) return undefined;
  const tokenId = text.trim().slice(0, dot);
  const secret = text.trim().slice(dot + 1);
  if (!/^[A-Za-z0-9-]+$/.test(tokenId) || !/^[A-Za-z0-9_-]+$/.test(secret)) return undefined;
  return { tokenId, secret };
}

export function secretHashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

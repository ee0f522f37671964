import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Envelope encryption of secrets at rest (private keys, install scripts): every record gets its
 * own random data key (AES-256-GCM), and only that data key is encrypted ("wrapped") with the
 * key-encryption key (KEK) from EDGEPLANE_KEK_FILE / EDGEPLANE_KEK. Rotating the KEK re-wraps the
 * 60-byte data keys; the ciphertexts never change. All crypto is node:crypto's.
 */

const ALG = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEK_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** A sealed secret as stored (jsonb): the wrapped data key, the nonce, the ciphertext, the KEK id. */
export const SealedSecretSchema = z.object({
  v: z.literal(1),
  alg: z.literal('A256GCM'),
  /** id of the key-encryption key that wrapped `dek` */
  kek: z.string().regex(KEK_ID),
  /** base64: the data key wrapped under the KEK — nonce (12) | ciphertext (32) | tag (16) */
  dek: z.string().min(1),
  /** base64: the nonce of the secret's encryption (12 bytes) */
  iv: z.string().min(1),
  /** base64: the secret encrypted under the data key — ciphertext | tag (16) */
  ct: z.string().min(1),
});
export type SealedSecret = z.infer<typeof SealedSecretSchema>;

/** A secret that cannot be sealed or opened: the message names the KEK and what to do, never key bytes. */
export class SecretsError extends Error {}

export interface KekEntry {
  id: string;
  key: Buffer;
}

/**
 * The KEKs a service knows, by id. The first is current (new records, re-wraps); the others only
 * open records not yet re-wrapped, and can be dropped once the start-up sweep has re-wrapped them.
 */
export class Keyring {
  private readonly keys: ReadonlyMap<string, Buffer>;
  readonly currentId: string;

  constructor(entries: readonly KekEntry[]) {
    if (entries.length === 0) throw new SecretsError('a keyring needs at least one key-encryption key');
    const keys = new Map<string, Buffer>();
    for (const { id, key } of entries) {
      if (!KEK_ID.test(id))
        throw new SecretsError(`key-encryption key id "${id.slice(0, 64)}" is not [A-Za-z0-9_.-]{1,64}`);
      if (key.length !== KEY_BYTES)
        throw new SecretsError(`key-encryption key ${id} is not ${KEY_BYTES} bytes`);
      if (keys.has(id)) throw new SecretsError(`key-encryption key ${id} is listed twice`);
      keys.set(id, Buffer.from(key));
    }
    this.keys = keys;
    this.currentId = entries[0]!.id;
  }

  get ids(): string[] {
    return [...this.keys.keys()];
  }

  /** Encrypts `plaintext` under a fresh data key, bound to `context` (e.g. `cluster_keys/<id>/ca_key`). */
  seal(plaintext: string, context: string): SealedSecret {
    const dataKey = randomBytes(KEY_BYTES);
    try {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALG, dataKey, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return {
        v: 1,
        alg: 'A256GCM',
        kek: this.currentId,
        dek: this.wrap(dataKey, this.currentId).toString('base64'),
        iv: iv.toString('base64'),
        ct: ct.toString('base64'),
      };
    } finally {
      dataKey.fill(0);
    }
  }

  /** Decrypts a sealed secret; a wrong KEK, a wrong context or a changed byte is a SecretsError. */
  open(sealed: SealedSecret, context: string): string {
    const dataKey = this.unwrap(sealed);
    try {
      const body = Buffer.from(sealed.ct, 'base64');
      if (body.length < TAG_BYTES) throw new SecretsError(`sealed secret (${context}) is truncated`);
      const decipher = createDecipheriv(ALG, dataKey, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      try {
        return Buffer.concat([
          decipher.update(body.subarray(0, body.length - TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new SecretsError(
          `sealed secret (${context}) does not decrypt: altered, or stored for another record`,
        );
      }
    } finally {
      dataKey.fill(0);
    }
  }

  /** True when the record's data key is wrapped under the current KEK. */
  isCurrent(sealed: SealedSecret): boolean {
    return sealed.kek === this.currentId;
  }

  /** The same secret with its data key re-wrapped under the current KEK (the ciphertext is kept). */
  rewrap(sealed: SealedSecret): SealedSecret {
    if (this.isCurrent(sealed)) return sealed;
    const dataKey = this.unwrap(sealed);
    try {
      return { ...sealed, kek: this.currentId, dek: this.wrap(dataKey, this.currentId).toString('base64') };
    } finally {
      dataKey.fill(0);
    }
  }

  /** Checks that the record's data key unwraps (the right KEK is configured); throws SecretsError. */
  verify(sealed: SealedSecret): void {
    this.unwrap(sealed).fill(0);
  }

  private wrap(dataKey: Buffer, kekId: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALG, this.keys.get(kekId)!, iv);
    cipher.setAAD(Buffer.from(`edgeplane-dek/v1/${kekId}`, 'utf8'));
    return Buffer.concat([iv, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
  }

  private unwrap(sealed: SealedSecret): Buffer {
    const kek = this.keys.get(sealed.kek);
    if (!kek) {
      throw new SecretsError(
        `a secret is sealed with key-encryption key "${sealed.kek}", which is not configured (configured: ${this.ids.join(', ')}); ` +
          'list it after the current key in EDGEPLANE_KEK_FILE / EDGEPLANE_KEK until the start-up sweep has re-wrapped its records',
      );
    }
    const wrapped = Buffer.from(sealed.dek, 'base64');
    if (wrapped.length !== IV_BYTES + KEY_BYTES + TAG_BYTES)
      throw new SecretsError(`a wrapped data key (key-encryption key "${sealed.kek}") has the wrong length`);
    const decipher = createDecipheriv(ALG, kek, wrapped.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(`edgeplane-dek/v1/${sealed.kek}`, 'utf8'));
    decipher.setAuthTag(wrapped.subarray(IV_BYTES + KEY_BYTES));
    try {
      return Buffer.concat([
        decipher.update(wrapped.subarray(IV_BYTES, IV_BYTES + KEY_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new SecretsError(
        `the configured key-encryption key "${sealed.kek}" does not open the data keys sealed under that id: ` +
          'it is a different key than the one they were sealed with',
      );
    }
  }
}

/**
 * Parses a keyring text: entries separated by newlines or commas, each `<id>:<base64 of 32 bytes>`
 * or the bare base64 (id `kek-<first 12 hex of its SHA-256>`); `#` starts a comment. The first
 * entry is the current key. `source` names where the text came from in errors (no key bytes).
 */
export function parseKeyring(text: string, source: string): Keyring {
  const entries: KekEntry[] = [];
  const items = text
    .split(/[\n,]/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
  items.forEach((item, i) => {
    const colon = item.indexOf(':');
    const id = colon >= 0 ? item.slice(0, colon).trim() : '';
    const b64 = (colon >= 0 ? item.slice(colon + 1) : item).trim();
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64))
      throw new SecretsError(
        `${source}, entry ${i + 1}: the key must be base64 ("<id>:<base64>" or "<base64>")`,
      );
    const key = Buffer.from(b64, 'base64');
    if (key.length !== KEY_BYTES)
      throw new SecretsError(
        `${source}, entry ${i + 1}: the key must be ${KEY_BYTES} bytes of base64, got ${key.length} bytes`,
      );
    if (colon >= 0 && !KEK_ID.test(id))
      throw new SecretsError(`${source}, entry ${i + 1}: the id must match [A-Za-z0-9_.-]{1,64}`);
    entries.push({ id: id || kekIdOf(key), key });
  });
  if (entries.length === 0) throw new SecretsError(`${source} holds no key-encryption key`);
  return new Keyring(entries);
}

/** The id a bare key gets: a short fingerprint (SHA-256 of 32 random bytes reveals nothing of them). */
export function kekIdOf(key: Buffer): string {
  return `kek-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

/** A new random KEK entry in the keyring text format (`<id>:<base64>`). */
export function generateKekEntry(id?: string): string {
  const key = randomBytes(KEY_BYTES);
  return `${id ?? kekIdOf(key)}:${key.toString('base64')}`;
}

export const NO_KEK_MESSAGE =
  'no key-encryption key configured: private keys are stored encrypted and this service will not store them in plaintext. ' +
  'Set EDGEPLANE_KEK_FILE to a file of "<id>:<base64 of 32 random bytes>" lines (the first is current; older ones after it until re-wrapped) ' +
  'or EDGEPLANE_KEK to the same text. `npm start` makes one in .edgeplane/kek; by hand: ' +
  "node -e \"console.log('k1:'+require('crypto').randomBytes(32).toString('base64'))\" > kek && chmod 600 kek";

/** The KEK settings of a service's config (see `kekConfigShape`). */
export interface KekSettings {
  EDGEPLANE_KEK: string;
  EDGEPLANE_KEK_FILE: string;
}

/** Loads the keyring from the settings; a missing, empty, unreadable or malformed one is a SecretsError. */
export function loadKeyring(settings: KekSettings): Keyring {
  const file = settings.EDGEPLANE_KEK_FILE.trim();
  const inline = settings.EDGEPLANE_KEK.trim();
  if (file && inline) throw new SecretsError('set EDGEPLANE_KEK_FILE or EDGEPLANE_KEK, not both');
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new SecretsError(
        `EDGEPLANE_KEK_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    return parseKeyring(text, `EDGEPLANE_KEK_FILE ${file}`);
  }
  if (inline) return parseKeyring(inline, 'EDGEPLANE_KEK');
  throw new SecretsError(NO_KEK_MESSAGE);
}

/**
 * Config keys of a service that keeps secrets (cluster, tunnel): an env object without them takes
 * the process's (tests pass env objects), '' means unset. Add `checkKekConfig` as a superRefine so
 * a missing or bad KEK fails the start in config parsing, before anything is migrated or bound.
 */
export const kekConfigShape = {
  /** the keyring text itself (`<id>:<base64>` entries, the first current) */
  EDGEPLANE_KEK: z.string().default(() => process.env.EDGEPLANE_KEK ?? ''),
  /** a file holding the keyring text (mode 600) */
  EDGEPLANE_KEK_FILE: z.string().default(() => process.env.EDGEPLANE_KEK_FILE ?? ''),
};

export function checkKekConfig(config: KekSettings, ctx: z.RefinementCtx): void {
  try {
    loadKeyring(config);
  } catch (error) {
    if (!(error instanceof SecretsError)) throw error;
    ctx.addIssue({
      code: 'custom',
      path: [config.EDGEPLANE_KEK_FILE.trim() ? 'EDGEPLANE_KEK_FILE' : 'EDGEPLANE_KEK'],
      message: error.message,
    });
  }
}

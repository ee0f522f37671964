import { readFileSync } from 'node:fs';
import {
  nkeyAuthenticator,
  usernamePasswordAuthenticator,
  type ConnectionOptions,
} from '@nats-io/transport-node';

/**
 * Who a process is on a closed bus (a nats-server with `authorization { users … }` and per-subject
 * permissions, see scripts/nats-auth.mjs). Either an NKEY (the server holds only the public key;
 * the process reads its seed from a file) or a user and password. An open bus (CI, tests) needs
 * none. The inbox prefix is the one the user may subscribe to (`_INBOX_<user>.>`): replies and
 * pull-consumer deliveries arrive there, and no other user can read them.
 */
export interface BusCredentials {
  /** file holding an NKEY user seed (`SU…`), mode 0600 */
  nkeySeedFile?: string;
  user?: string;
  password?: string;
  /** subject prefix of this connection's inboxes (default `_INBOX`) */
  inboxPrefix?: string;
}

export class BusCredentialsError extends Error {}

/** Environment keys: NATS_NKEY_SEED_FILE | NATS_USER + NATS_PASSWORD (or NATS_PASSWORD_FILE), NATS_INBOX_PREFIX. */
export function busCredentialsFromEnv(env: NodeJS.ProcessEnv = process.env): BusCredentials {
  const value = (key: string) => {
    const v = env[key]?.trim();
    return v ? v : undefined;
  };
  const passwordFile = value('NATS_PASSWORD_FILE');
  return {
    nkeySeedFile: value('NATS_NKEY_SEED_FILE'),
    user: value('NATS_USER'),
    password: passwordFile ? readSecretFile('NATS_PASSWORD_FILE', passwordFile) : value('NATS_PASSWORD'),
    inboxPrefix: value('NATS_INBOX_PREFIX'),
  };
}

const INBOX_PREFIX = /^[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9_-]{1,64}){0,3}$/;
const MAX_SECRET_FILE = 4096;

function readSecretFile(key: string, file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BusCredentialsError(
      `${key} ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  if (text.length > MAX_SECRET_FILE)
    throw new BusCredentialsError(`${key} ${file}: longer than ${MAX_SECRET_FILE} bytes`);
  return text.trim();
}

/**
 * The connect options for these credentials (nothing for none). Errors name the setting and the
 * file, never the secret.
 */
export function natsAuthOptions(credentials: BusCredentials = {}): Partial<ConnectionOptions> {
  const options: Partial<ConnectionOptions> = {};
  const { nkeySeedFile, user, password, inboxPrefix } = credentials;
  if (nkeySeedFile && user) {
    throw new BusCredentialsError('NATS_NKEY_SEED_FILE and NATS_USER are both set: give one credential');
  }
  if (nkeySeedFile) {
    const seed = readSecretFile('NATS_NKEY_SEED_FILE', nkeySeedFile);
    // a user seed: 'S' (seed) + 'U' (user); the rest is checked by the server's challenge
    if (!/^SU[A-Z2-7]{56}$/.test(seed)) {
      throw new BusCredentialsError(
        `NATS_NKEY_SEED_FILE ${nkeySeedFile}: not an NKEY user seed (one line, 58 characters starting with SU)`,
      );
    }
    options.authenticator = nkeyAuthenticator(new TextEncoder().encode(seed));
  } else if (user) {
    if (!password)
      throw new BusCredentialsError('NATS_USER is set without NATS_PASSWORD (or NATS_PASSWORD_FILE)');
    options.authenticator = usernamePasswordAuthenticator(user, password);
  } else if (password) {
    throw new BusCredentialsError('NATS_PASSWORD is set without NATS_USER');
  }
  if (inboxPrefix !== undefined) {
    if (!INBOX_PREFIX.test(inboxPrefix)) {
      throw new BusCredentialsError(
        `NATS_INBOX_PREFIX ${JSON.stringify(inboxPrefix.slice(0, 80))}: letters, digits, "_" and "-" in up to 4 dot-separated tokens, no wildcards`,
      );
    }
    options.inboxPrefix = inboxPrefix;
  }
  return options;
}

import bcrypt from 'bcryptjs';
import { ValidationError } from '@edgeplane/es-kit';

/**
 * The Kins public-access proxy password is hashed here, in the service layer, before it reaches
 * the decider (which must not do slow or random work): the events carry only the bcrypt hash.
 */
const MIN_PROXY_PASSWORD_LENGTH = 8;

export async function hashProxyPassword(plain: string, rounds = 10): Promise<string> {
  if (plain.length < MIN_PROXY_PASSWORD_LENGTH) {
    throw ValidationError.field(
      'password',
      `the proxy password must have at least ${MIN_PROXY_PASSWORD_LENGTH} characters, got ${plain.length}`,
    );
  }
  return bcrypt.hash(plain, rounds);
}

export async function verifyProxyPassword(plain: string, hash: string): Promise<boolean> {
  return bcrypt.compare(plain, hash);
}

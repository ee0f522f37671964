import { createPrivateKey, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { issueCertificate, type KeyAndCertificate, type Subject } from './x509.js';

/**
 * The platform PKI of the operator gRPC API (docs/architecture.md, "Identity and authorization"):
 * one CA (EC P-256) in a directory — `ca.crt`, `ca.key` (0600) and `admin.yaml`, the local admin's
 * credential file — created once, atomically, by whoever needs it first (`npm start`, a test run,
 * a service started without one). Services take their certificates from `services/<name>.crt|key`
 * when present (a deployment issues them), else issue their own from the CA key.
 */

/** Who the platform certificates name. */
export const SERVICE_GROUP = 'edgeplane:services';
export const SERVICE_PREFIX = 'system:service:';
export const ADMIN_GROUP = 'system:masters';

const DAY_MS = 86_400_000;
const CA_VALIDITY_DAYS = 3650;
const LEAF_VALIDITY_DAYS = 365;
/** Clocks of the machines that use a certificate may be a little behind the issuer's. */
const BACKDATE_MS = 5 * 60_000;

export interface PlatformCa {
  dir: string;
  certPem: string;
  /** absent when the directory holds only the CA's certificate (a deployment's services) */
  key?: KeyObject;
}

/** A credential file (like a kubeconfig): who, the CA to trust, the client certificate and key. */
export interface Credentials {
  apiVersion: 'edgeplane.io/v1';
  kind: 'Credentials';
  user: string;
  ca: string;
  certificate: string;
  key: string;
}

/** The local admin's name in the credential `npm start` makes. */
export const LOCAL_ADMIN = 'admin';

function findUp(start: string, relative: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Where the platform PKI is: EDGEPLANE_PKI_DIR, else `.edgeplane/pki` of the working directory
 * or one above it, else `<working directory>/.edgeplane/pki` (made on first use).
 */
export function platformPkiDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const given = env.EDGEPLANE_PKI_DIR?.trim();
  if (given) return path.resolve(cwd, given);
  return findUp(cwd, path.join('.edgeplane', 'pki')) ?? path.join(cwd, '.edgeplane', 'pki');
}

function validity(days: number, now = Date.now()): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + days * DAY_MS) };
}

/** A new CA, self-signed. */
export function createPlatformCa(): KeyAndCertificate {
  return issueCertificate({
    subject: { CN: 'edgeplane-platform-ca', O: ['edgeplane'] },
    ca: true,
    ...validity(CA_VALIDITY_DAYS),
  });
}

/** Leaf certificate signed by the platform CA (a client, or a service's server+client certificate). */
export function issuePlatformCertificate(
  ca: PlatformCa,
  input: {
    subject: Subject;
    server?: boolean;
    sans?: readonly string[];
    /** defaults: from 5 minutes ago for a year */
    notBefore?: Date;
    notAfter?: Date;
  },
): KeyAndCertificate {
  if (!ca.key)
    throw new Error(
      `the platform CA's key is not readable in ${ca.dir}: certificates cannot be issued here ` +
        '(give the service services/<name>.crt|key there: node scripts/pki.mjs --services <names>)',
    );
  const v = validity(LEAF_VALIDITY_DAYS);
  return issueCertificate({
    subject: input.subject,
    issuer: { certPem: ca.certPem, key: ca.key },
    clientAuth: true,
    serverAuth: input.server ?? false,
    ...(input.sans ? { sans: input.sans } : {}),
    notBefore: input.notBefore ?? v.notBefore,
    notAfter: input.notAfter ?? v.notAfter,
  });
}

/** The credential file of a user (CN) in groups (O), optionally limited to clusters (OU `cluster:<id>`). */
export function issueCredentials(
  ca: PlatformCa,
  input: {
    user: string;
    groups: readonly string[];
    clusters?: readonly string[];
    notAfter?: Date;
    notBefore?: Date;
  },
): Credentials {
  const issued = issuePlatformCertificate(ca, {
    subject: {
      CN: input.user,
      O: input.groups,
      ...(input.clusters?.length ? { OU: input.clusters.map((c) => `cluster:${c}`) } : {}),
    },
    ...(input.notAfter ? { notAfter: input.notAfter } : {}),
    ...(input.notBefore ? { notBefore: input.notBefore } : {}),
  });
  return {
    apiVersion: 'edgeplane.io/v1',
    kind: 'Credentials',
    user: input.user,
    ca: ca.certPem,
    certificate: issued.certPem,
    key: issued.keyPem,
  };
}

export function credentialsYaml(c: Credentials): string {
  return stringifyYaml(c, { lineWidth: 0 });
}

/** Reads and checks a credential file; the error names the file and what is wrong. */
export function readCredentialsFile(file: string): Credentials {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`credential file ${file}: ${(error as Error).message}`);
  }
  const d = (doc ?? {}) as Partial<Record<keyof Credentials, unknown>>;
  const problems: string[] = [];
  if (d.apiVersion !== 'edgeplane.io/v1') problems.push('apiVersion must be edgeplane.io/v1');
  if (d.kind !== 'Credentials') problems.push('kind must be Credentials');
  for (const k of ['user', 'ca', 'certificate', 'key'] as const)
    if (typeof d[k] !== 'string' || !(d[k] as string).trim()) problems.push(`${k} is missing`);
  if (problems.length) throw new Error(`credential file ${file}: ${problems.join('; ')}`);
  return d as Credentials;
}

function writePrivate(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * The platform CA in `dir`, created when the directory has none. Concurrent callers (parallel
 * test workers, services starting together) agree on one CA: it is written into a fresh directory
 * that is renamed into place, and a loser of that race reads the winner's.
 */
export function ensurePlatformPki(dir: string = platformPkiDir()): PlatformCa {
  if (!existsSync(path.join(dir, 'ca.crt'))) {
    mkdirSync(path.dirname(dir), { recursive: true });
    const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    // readable (ca.crt, services/) by the services' user; the keys and admin.yaml are 0600
    mkdirSync(tmp, { recursive: true, mode: 0o755 });
    try {
      const ca = createPlatformCa();
      writeFileSync(path.join(tmp, 'ca.crt'), ca.certPem);
      writePrivate(path.join(tmp, 'ca.key'), ca.keyPem);
      const loaded: PlatformCa = { dir, certPem: ca.certPem, key: createPrivateKey(ca.keyPem) };
      const admin = issueCredentials(loaded, { user: LOCAL_ADMIN, groups: [ADMIN_GROUP] });
      writePrivate(path.join(tmp, 'admin.yaml'), credentialsYaml(admin));
      try {
        renameSync(tmp, dir);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // someone else's is in place (ENOTEMPTY/EEXIST): theirs wins
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EISDIR') throw error;
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return loadPlatformCa(dir);
}

/** The CA of an existing PKI directory (its key only when readable there). */
export function loadPlatformCa(dir: string = platformPkiDir()): PlatformCa {
  const certFile = path.join(dir, 'ca.crt');
  if (!existsSync(certFile))
    throw new Error(`no platform CA in ${dir} (ca.crt): run \`npm start\` once or set EDGEPLANE_PKI_DIR`);
  const certPem = readFileSync(certFile, 'utf8');
  let keyPem: string | undefined;
  try {
    keyPem = readFileSync(path.join(dir, 'ca.key'), 'utf8');
  } catch {
    keyPem = undefined; // a service's container sees the CA's certificate only
  }
  return keyPem ? { dir, certPem, key: createPrivateKey(keyPem) } : { dir, certPem };
}

/** Host names and addresses a service's server certificate names. */
export function serviceSans(service: string, extra: readonly string[] = []): string[] {
  return [...new Set(['localhost', '127.0.0.1', '::1', service, os.hostname(), ...extra])];
}

/**
 * A service's certificate (server and client at once: CN `system:service:<name>`, O
 * `edgeplane:services`): `services/<name>.crt|key` of the PKI directory when a deployment put
 * them there, else issued here from the CA key (kept in memory only).
 */
export function serviceCertificate(
  service: string,
  dir: string = platformPkiDir(),
  extraSans: readonly string[] = [],
): { ca: PlatformCa; certPem: string; keyPem: string } {
  const crt = path.join(dir, 'services', `${service}.crt`);
  const key = path.join(dir, 'services', `${service}.key`);
  if (existsSync(crt) && existsSync(key)) {
    return { ca: loadPlatformCa(dir), certPem: readFileSync(crt, 'utf8'), keyPem: readFileSync(key, 'utf8') };
  }
  const ca = ensurePlatformPki(dir);
  const issued = issuePlatformCertificate(ca, {
    subject: { CN: `${SERVICE_PREFIX}${service}`, O: [SERVICE_GROUP] },
    server: true,
    sans: serviceSans(service, extraSans),
  });
  return { ca, ...issued };
}

/** Writes `services/<name>.crt|key` for each service (a deployment's init step). */
export function writeServiceCertificates(
  dir: string,
  services: readonly string[],
  extraSans: readonly string[] = [],
): void {
  const ca = ensurePlatformPki(dir);
  mkdirSync(path.join(dir, 'services'), { recursive: true });
  for (const s of services) {
    const issued = issuePlatformCertificate(ca, {
      subject: { CN: `${SERVICE_PREFIX}${s}`, O: [SERVICE_GROUP] },
      server: true,
      sans: serviceSans(s, extraSans),
    });
    writeFileSync(path.join(dir, 'services', `${s}.crt`), issued.certPem);
    writePrivate(path.join(dir, 'services', `${s}.key`), issued.keyPem);
  }
}

/**
 * The credential file the CLI uses: `explicit` (--credentials), else EDGEPLANE_CREDENTIALS, else
 * `.edgeplane/credentials/admin.yaml` of the working directory or one above, else
 * `~/.edgeplane/credentials.yaml`. Undefined when none exists.
 */
export function findCredentialsFile(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): string | undefined {
  if (explicit) return path.resolve(cwd, explicit);
  if (env.EDGEPLANE_CREDENTIALS?.trim()) return path.resolve(cwd, env.EDGEPLANE_CREDENTIALS.trim());
  const local = findUp(cwd, path.join('.edgeplane', 'credentials', 'admin.yaml'));
  if (local) return local;
  const home = path.join(env.HOME ?? os.homedir(), '.edgeplane', 'credentials.yaml');
  return existsSync(home) ? home : undefined;
}

/** Subject fields of a certificate: CN, O (groups), OU (cluster scopes). */
export function subjectOf(cert: X509Certificate): { CN: string; O: string[]; OU: string[] } {
  const out = { CN: '', O: [] as string[], OU: [] as string[] };
  for (const line of cert.subject.split('\n')) {
    const i = line.indexOf('=');
    const k = line.slice(0, i);
    const v = line.slice(i + 1);
    if (k === 'CN') out.CN = v;
    else if (k === 'O') out.O.push(v);
    else if (k === 'OU') out.OU.push(v);
  }
  return out;
}

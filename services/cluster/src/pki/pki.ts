// @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs the Reflect polyfill first.
import 'reflect-metadata';
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { ValidationError } from '@edgeplane/es-kit';

/**
 * The cluster PKI: one CA per cluster (ECDSA P-256), node client certificates signed from CSRs the
 * nodes generate (their private keys never leave them), and the admin client certificate behind
 * the kubeconfig. Kubernetes naming: nodes are `CN=system:node:<name>, O=system:nodes` (Node
 * authorizer semantics), the admin is in `O=system:masters`.
 *
 * Async (WebCrypto) and random, so this is service-layer code: handlers call it and pass the
 * public facts (serial, fingerprint, validity) into the deciders on the command.
 */

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
const crypto = webcrypto;
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const EC_KEY: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const NODE_PREFIX = 'system:node:';
const DAY_MS = 86_400_000;

const NODE_GROUP = 'system:nodes';
const ADMIN_GROUP = 'system:masters';

/** The CA's certificate and its private key. The key belongs in the service's key store, never in an event. */
export interface CertificateAuthority {
  certPem: string;
  privateKeyPem: string;
}

export interface IssuedCertificate {
  certPem: string;
  serial: string;
  /** SHA-256 of the DER certificate, lower-case hex: how the service recognises a presented credential. */
  fingerprint: string;
  notBefore: string;
  notAfter: string;
}

/** What events may carry of a certificate: serial, fingerprint, validity — not the PEM, never a key. */
export type CertificateFacts = Pick<IssuedCertificate, 'serial' | 'fingerprint' | 'notBefore' | 'notAfter'>;

export function certificateFacts({
  serial,
  fingerprint,
  notBefore,
  notAfter,
}: IssuedCertificate): CertificateFacts {
  return { serial, fingerprint, notBefore, notAfter };
}

export interface CreatedCa extends CertificateAuthority, IssuedCertificate {}

export interface IssuedKeyPair extends IssuedCertificate {
  privateKeyPem: string;
}

export async function createClusterCa(input: {
  clusterId: string;
  clusterName: string;
  now: string;
  validityDays?: number;
}): Promise<CreatedCa> {
  const keys = await generateKeyPair();
  const { notBefore, notAfter } = validity(input.now, input.validityDays ?? 3650);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: newSerial(),
    name: [
      { CN: [`edgeplane-ca-${input.clusterId}`] },
      { O: ['edgeplane'] },
      { OU: [input.clusterName] },
    ] as unknown as x509.JsonName,
    notBefore,
    notAfter,
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { ...facts(cert), privateKeyPem: await exportPrivateKey(keys.privateKey) };
}

/**
 * Signs a node's client certificate from its CSR. Refuses a CSR whose signature does not verify
 * (the requester does not hold the key) or whose CN does not name exactly this node.
 */
export async function signNodeCertificate(input: {
  ca: CertificateAuthority;
  csrPem: string;
  nodeName: string;
  now: string;
  validityDays?: number;
}): Promise<IssuedCertificate> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(input.csrPem);
  } catch {
    throw ValidationError.field('csrPem', 'not a PEM-encoded PKCS#10 certificate request');
  }
  if (!(await csr.verify())) throw ValidationError.field('csrPem', 'the CSR signature does not verify');
  const expected = `${NODE_PREFIX}${input.nodeName}`;
  const cn = commonNameOf(csr.subjectName);
  if (cn !== expected) {
    throw ValidationError.field('csrPem', `the CSR's common name is "${cn ?? ''}" but must be "${expected}"`);
  }
  return signClientCertificate({
    ca: input.ca,
    publicKey: csr.publicKey,
    subject: [{ CN: [expected] }, { O: [NODE_GROUP] }],
    now: input.now,
    validityDays: input.validityDays ?? 365,
  });
}

/** Issues the admin client certificate (and key) behind the cluster kubeconfig. */
export async function issueAdminCertificate(input: {
  ca: CertificateAuthority;
  clusterId: string;
  now: string;
  validityDays?: number;
}): Promise<IssuedKeyPair> {
  const keys = await generateKeyPair();
  const issued = await signClientCertificate({
    ca: input.ca,
    publicKey: new x509.PublicKey(await crypto.subtle.exportKey('spki', keys.publicKey)),
    subject: [{ CN: [`edgeplane:admin:${input.clusterId}`] }, { O: [ADMIN_GROUP] }],
    now: input.now,
    validityDays: input.validityDays ?? 365,
  });
  return { ...issued, privateKeyPem: await exportPrivateKey(keys.privateKey) };
}

/**
 * Issues a restricted client certificate (and key) for one user: CN = user, O = the role's group.
 * Valid from a little before `now` (clock skew) until `now + ttlSeconds`.
 */
export async function issueUserCertificate(input: {
  ca: CertificateAuthority;
  user: string;
  group: string;
  now: string;
  ttlSeconds: number;
}): Promise<IssuedKeyPair> {
  const keys = await generateKeyPair();
  const issued = await signClientCertificate({
    ca: input.ca,
    publicKey: new x509.PublicKey(await crypto.subtle.exportKey('spki', keys.publicKey)),
    subject: [{ CN: [input.user] }, { O: [input.group] }],
    now: input.now,
    validityDays: 0,
    validitySeconds: input.ttlSeconds,
  });
  return { ...issued, privateKeyPem: await exportPrivateKey(keys.privateKey) };
}

/**
 * True when `certPem` was signed by this CA's key, names it as issuer and is valid at `at`
 * (default: now). A certificate from another CA, or a garbled one, answers false.
 */
export async function verifyCertificateChain(
  certPem: string,
  caCertPem: string,
  at?: string,
): Promise<boolean> {
  try {
    const cert = new x509.X509Certificate(certPem);
    const ca = new x509.X509Certificate(caCertPem);
    if (cert.issuer !== ca.subject) return false;
    return await cert.verify({ publicKey: ca.publicKey, date: at ? new Date(at) : new Date() });
  } catch {
    return false;
  }
}

/** The node a certificate speaks for (`system:node:<name>` in group system:nodes), or undefined. */
export function nodeNameFromCertificate(certPem: string): string | undefined {
  const cert = new x509.X509Certificate(certPem);
  const cn = commonNameOf(cert.subjectName);
  const groups = cert.subjectName.getField('O');
  if (!cn?.startsWith(NODE_PREFIX) || !groups.includes(NODE_GROUP)) return undefined;
  return cn.slice(NODE_PREFIX.length);
}

/** SHA-256 over the DER encoding, lower-case hex. */
export function certificateFingerprint(certPem: string): string {
  return createHash('sha256')
    .update(Buffer.from(new x509.X509Certificate(certPem).rawData))
    .digest('hex');
}

// ───────────────────────────── internals ─────────────────────────────

async function signClientCertificate(input: {
  ca: CertificateAuthority;
  publicKey: x509.PublicKey;
  subject: x509.JsonName;
  now: string;
  validityDays: number;
  /** instead of whole days: valid until `now` + this many seconds */
  validitySeconds?: number;
}): Promise<IssuedCertificate> {
  const caCert = new x509.X509Certificate(input.ca.certPem);
  const caKey = await importPrivateKey(input.ca.privateKeyPem);
  const { notBefore, notAfter: days } = validity(input.now, input.validityDays);
  const notAfter =
    input.validitySeconds === undefined
      ? days
      : new Date(Math.floor(Date.parse(input.now) / 1000) * 1000 + input.validitySeconds * 1000);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject: input.subject,
    issuer: caCert.subject,
    notBefore,
    notAfter,
    publicKey: input.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth], false),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
      await x509.SubjectKeyIdentifierExtension.create(input.publicKey),
    ],
  });
  return facts(cert);
}

function facts(cert: x509.X509Certificate): IssuedCertificate {
  const certPem = cert.toString('pem');
  return {
    certPem,
    serial: cert.serialNumber.toLowerCase(),
    fingerprint: createHash('sha256').update(Buffer.from(cert.rawData)).digest('hex'),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
  };
}

function commonNameOf(name: x509.Name): string | undefined {
  return name.getField('CN')[0];
}

function validity(now: string, days: number): { notBefore: Date; notAfter: Date } {
  const start = new Date(now);
  if (Number.isNaN(start.getTime())) throw new Error(`invalid timestamp ${now}`);
  // Whole seconds (X.509 times have no fractions) and a little back-dating for clock skew.
  const notBefore = new Date(Math.floor(start.getTime() / 1000) * 1000 - 5 * 60_000);
  return { notBefore, notAfter: new Date(notBefore.getTime() + days * DAY_MS) };
}

/** 16 random bytes with the top bit clear: a positive INTEGER as RFC 5280 wants. */
function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

async function generateKeyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function exportPrivateKey(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const body = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '').replace(/\s+/g, '');
  return crypto.subtle.importKey('pkcs8', Buffer.from(body, 'base64'), EC_KEY, false, ['sign']);
}

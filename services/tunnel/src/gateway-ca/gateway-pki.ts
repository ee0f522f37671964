// @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs the Reflect polyfill first.
import 'reflect-metadata';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  webcrypto,
  X509Certificate,
} from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

/**
 * The gateway's PKI (docs/tunnel.md "Trust"): one CA per platform (ECDSA P-256) and one serving
 * key shared by every replica; each replica signs its own serving certificate for the names it is
 * reached by. The CA is pinned by nodes through the hash of its SubjectPublicKeyInfo (kubeadm's
 * discovery hash), the serving key through curl's `--pinnedpubkey sha256//<base64>`.
 */

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const EC_KEY: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 86_400_000;

export interface GatewayCa {
  certPem: string;
  keyPem: string;
}

export async function createGatewayCa(now: Date, validityDays = 3650): Promise<GatewayCa> {
  const keys = await generateKeyPair();
  const notBefore = backdated(now);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: newSerial(),
    name: [{ CN: ['edgeplane-gateway-ca'] }, { O: ['edgeplane'] }] as unknown as x509.JsonName,
    notBefore,
    notAfter: new Date(notBefore.getTime() + validityDays * DAY_MS),
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportPrivateKey(keys.privateKey) };
}

export async function createServingKey(): Promise<string> {
  return exportPrivateKey((await generateKeyPair()).privateKey);
}

/**
 * A serving certificate for `hosts` (IP addresses and DNS names) over the shared serving key.
 * It is also the client certificate a replica presents to another replica's peer port.
 */
export async function issueServingCertificate(input: {
  ca: GatewayCa;
  servingKeyPem: string;
  hosts: readonly string[];
  now: Date;
  validityDays?: number;
}): Promise<string> {
  const caCert = new x509.X509Certificate(input.ca.certPem);
  const caKey = await importPrivateKey(input.ca.keyPem, ['sign']);
  const spki = createPublicKey(input.servingKeyPem).export({ type: 'spki', format: 'der' });
  const publicKey = new x509.PublicKey(spki);
  const notBefore = backdated(input.now);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject: [{ CN: ['edgeplane-gateway'] }, { O: ['edgeplane'] }] as unknown as x509.JsonName,
    issuer: caCert.subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + (input.validityDays ?? 825) * DAY_MS),
    publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(
        [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth],
        false,
      ),
      new x509.SubjectAlternativeNameExtension(
        input.hosts.map((h) =>
          isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h },
        ),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
    ],
  });
  return cert.toString('pem');
}

/** `sha256:<hex>` over the certificate's SubjectPublicKeyInfo — what `EDGEPLANE_CA_HASH` pins. */
export function caHashOf(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

/** `sha256//<base64>` over the key's SubjectPublicKeyInfo — curl's `--pinnedpubkey`. */
export function keyPinOf(privateKeyPem: string): string {
  const spki = createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'der' });
  return `sha256//${createHash('sha256').update(spki).digest('base64')}`;
}

export function notAfterOf(certPem: string): string {
  return new Date(new X509Certificate(certPem).validTo).toISOString();
}

function backdated(now: Date): Date {
  // Whole seconds (X.509 has no fractions) and five minutes back for clock skew.
  return new Date(Math.floor(now.getTime() / 1000) * 1000 - 5 * 60_000);
}

function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

async function generateKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
}

async function exportPrivateKey(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
}

async function importPrivateKey(pem: string, usages: webcrypto.KeyUsage[]): Promise<webcrypto.CryptoKey> {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  return webcrypto.subtle.importKey('pkcs8', der, EC_KEY, false, usages);
}

// @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs the Reflect polyfill first.
import 'reflect-metadata';
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import * as x509 from '@peculiar/x509';

/**
 * The serving side of the API's TLS (README "Trust"). One port serves every cluster, the cluster
 * chosen by the URL path — so the TLS handshake happens before the server knows the cluster, and
 * kubectl sends no SNI for an IP address: a per-cluster serving certificate signed by each cluster
 * CA cannot be picked. Instead the front door has a CA of its own (as the tunnel gateway does for
 * its join port) and the cluster service appends it to `certificate-authority-data` of the
 * kubeconfigs it issues. Client certificates are still the cluster CA's: they are checked per
 * request, once the path names the cluster.
 */
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const EC_KEY: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 86_400_000;

export const SERVING_CA_FILE = 'serving-ca.crt';
const SERVING_CA_KEY_FILE = 'serving-ca.key';

export interface ServingTls {
  caCertPem: string;
  certPem: string;
  keyPem: string;
}

/**
 * The CA from `dir` (made there, mode 0600 for the key, on first use) and a fresh serving
 * certificate for `hosts` over a fresh key (kept in memory only).
 */
export async function loadServingTls(
  dir: string,
  hosts: readonly string[],
  now = new Date(),
): Promise<ServingTls> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caCertFile = path.join(dir, SERVING_CA_FILE);
  const caKeyFile = path.join(dir, SERVING_CA_KEY_FILE);
  let ca: { certPem: string; keyPem: string };
  try {
    ca = { certPem: readFileSync(caCertFile, 'utf8'), keyPem: readFileSync(caKeyFile, 'utf8') };
  } catch {
    ca = await createCa(now);
    // key first, certificate last and renamed into place: a reader never sees a CA without its key
    writeFileSync(caKeyFile, ca.keyPem, { mode: 0o600 });
    writeFileSync(`${caCertFile}.tmp`, ca.certPem, { mode: 0o644 });
    renameSync(`${caCertFile}.tmp`, caCertFile);
  }
  const keys = await generateKeyPair();
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await webcrypto.subtle.importKey(
    'pkcs8',
    createPrivateKey(ca.keyPem).export({ type: 'pkcs8', format: 'der' }),
    EC_KEY,
    false,
    ['sign'],
  );
  const notBefore = backdated(now);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject: [{ CN: ['edgeplane-kube-api'] }, { O: ['edgeplane'] }] as unknown as x509.JsonName,
    issuer: caCert.subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + 365 * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(
        hosts.map((h) => (isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h })),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
    ],
  });
  return {
    caCertPem: ca.certPem,
    certPem: cert.toString('pem'),
    keyPem: await exportPrivateKey(keys.privateKey),
  };
}

async function createCa(now: Date): Promise<{ certPem: string; keyPem: string }> {
  const keys = await generateKeyPair();
  const notBefore = backdated(now);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: newSerial(),
    name: [{ CN: ['edgeplane-kube-api-ca'] }, { O: ['edgeplane'] }] as unknown as x509.JsonName,
    notBefore,
    notAfter: new Date(notBefore.getTime() + 3650 * DAY_MS),
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

function backdated(now: Date): Date {
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

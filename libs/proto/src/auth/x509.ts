import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * The few X.509 certificates the platform PKI issues (a CA, server and client certificates), built
 * synchronously with node:crypto: EC P-256 keys, ECDSA-SHA256 signatures, DER written by hand. It
 * is synchronous so a test or the CLI can make a credential where a `grpc.ChannelCredentials` is
 * wanted. Parsing and verification stay with node:crypto's X509Certificate.
 */

export interface Subject {
  CN: string;
  O?: readonly string[];
  OU?: readonly string[];
}

export interface CertificateRequest {
  subject: Subject;
  /** the issuer; omitted = self-signed (a CA) */
  issuer?: { certPem: string; key: KeyObject };
  /** the certificate's key; generated when omitted */
  publicKey?: KeyObject;
  ca?: boolean;
  serverAuth?: boolean;
  clientAuth?: boolean;
  /** DNS names and IP addresses (subjectAltName) */
  sans?: readonly string[];
  notBefore: Date;
  notAfter: Date;
}

export interface KeyAndCertificate {
  certPem: string;
  keyPem: string;
}

// ───────────────────────────── DER ─────────────────────────────

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const set = (...c: Buffer[]) => tlv(0x31, ...c);
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer, unused = 0) => tlv(0x03, Buffer.from([unused]), b);
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
function integer(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0 && (b[i + 1]! & 0x80) === 0) i++;
  const v = b.subarray(i);
  return tlv(0x02, (v[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), v]) : v);
}
function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}
function time(d: Date): Buffer {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '') + 'Z';
  const year = d.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii'))
    : tlv(0x18, Buffer.from(digits, 'ascii'));
}

const OID = {
  CN: '2.5.4.3',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

function name(subject: Subject): Buffer {
  const rdn = (type: string, value: string) => set(seq(oid(type), utf8(value)));
  return seq(
    ...(subject.O ?? []).map((o) => rdn(OID.O, o)),
    ...(subject.OU ?? []).map((ou) => rdn(OID.OU, ou)),
    rdn(OID.CN, subject.CN),
  );
}

const extension = (id: string, critical: boolean, value: Buffer) =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  // IPv6: expand '::'
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return out;
}

/** keyUsage as a DER BIT STRING from the first octet's named bits (bit 0 = 0x80). */
function keyUsage(byte: number): Buffer {
  let unused = 0;
  while (unused < 7 && (byte & (1 << unused)) === 0) unused++;
  return bits(Buffer.from([byte]), unused);
}

function keyId(spkiDer: Buffer): Buffer {
  // the BIT STRING of the SubjectPublicKeyInfo: its last 65 bytes for an uncompressed P-256 point
  return createHash('sha1')
    .update(spkiDer.subarray(spkiDer.length - 65))
    .digest();
}

/** PEM of DER bytes. */
export function pem(type: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${type}-----\n${b64.trimEnd()}\n-----END ${type}-----\n`;
}

/** A new EC P-256 key pair. */
export function newKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

/**
 * Issues one certificate (self-signed without `issuer`). Returns the PEM of the certificate and,
 * when its key was generated here, of the PKCS#8 private key.
 */
export function issueCertificate(req: CertificateRequest): KeyAndCertificate {
  let keyPem = '';
  let publicKey = req.publicKey;
  let signingKey = req.issuer?.key;
  if (!publicKey) {
    const pair = newKeyPair();
    publicKey = pair.publicKey;
    keyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    signingKey ??= pair.privateKey;
  }
  if (!signingKey)
    throw new Error('issueCertificate: a self-signed certificate needs its key generated here');
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const issuerDer = req.issuer ? issuerNameAndKeyId(req.issuer.certPem) : undefined;
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;

  const extensions: Buffer[] = [
    extension(OID.basicConstraints, true, seq(...(req.ca ? [bool(true)] : []))),
    extension(OID.keyUsage, true, keyUsage(req.ca ? 0x86 : 0x80)),
    extension(OID.subjectKeyId, false, octets(keyId(spki))),
  ];
  if (issuerDer) extensions.push(extension(OID.authorityKeyId, false, seq(tlv(0x80, issuerDer.keyId))));
  const eku = [
    ...(req.serverAuth ? [oid(OID.serverAuth)] : []),
    ...(req.clientAuth ? [oid(OID.clientAuth)] : []),
  ];
  if (eku.length) extensions.push(extension(OID.extKeyUsage, false, seq(...eku)));
  if (req.sans?.length) {
    const names = req.sans.map((s) => (isIP(s) ? tlv(0x87, ipBytes(s)) : tlv(0x82, Buffer.from(s, 'ascii'))));
    extensions.push(extension(OID.subjectAltName, false, seq(...names)));
  }

  const algorithm = seq(oid(OID.ecdsaSha256));
  const subjectName = name(req.subject);
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    algorithm,
    issuerDer?.name ?? subjectName,
    seq(time(req.notBefore), time(req.notAfter)),
    subjectName,
    spki,
    tlv(0xa3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, signingKey); // DER ECDSA-Sig-Value
  const cert = seq(tbs, algorithm, bits(signature));
  return { certPem: pem('CERTIFICATE', cert), keyPem };
}

/** The issuer's subject Name (DER, as in its certificate) and subject key identifier. */
function issuerNameAndKeyId(certPem: string): { name: Buffer; keyId: Buffer } {
  const der = Buffer.from(
    certPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''),
    'base64',
  );
  // Certificate ::= SEQ { tbs SEQ { [0] version, serial, sigAlg, issuer, validity, subject, spki ... } }
  const read = (buf: Buffer, at: number): { start: number; end: number; contentStart: number } => {
    let len = buf[at + 1]!;
    let head = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + buf[at + 2 + i]!;
      head = 2 + n;
    }
    return { start: at, contentStart: at + head, end: at + head + len };
  };
  const tbs = read(der, read(der, 0).contentStart);
  let at = tbs.contentStart;
  const fields: { start: number; end: number }[] = [];
  while (at < tbs.end && fields.length < 7) {
    const f = read(der, at);
    fields.push(f);
    at = f.end;
  }
  // fields: [0]version, serial, sigAlg, issuer, validity, subject, spki
  const subject = fields[5]!;
  const spki = fields[6]!;
  const spkiDer = der.subarray(spki.start, spki.end);
  return { name: der.subarray(subject.start, subject.end), keyId: keyId(spkiDer) };
}

import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ValidationError } from '@edgeplane/es-kit';
import {
  authorizeNodeAction,
  certificateFingerprint,
  createClusterCa,
  createNodeCsr,
  issueAdminCertificate,
  nodeNameFromCertificate,
  renderAdminKubeconfig,
  signNodeCertificate,
  verifyCertificateChain,
  type CreatedCa,
} from '../src/index.js';

const NOW = new Date().toISOString();
let ca: CreatedCa;
let otherCa: CreatedCa;

beforeAll(async () => {
  [ca, otherCa] = await Promise.all([
    createClusterCa({ clusterId: 'cls-a', clusterName: 'factory-gz', now: NOW }),
    createClusterCa({ clusterId: 'cls-b', clusterName: 'shop-sh', now: NOW }),
  ]);
});

describe('cluster PKI (F-CL-5)', () => {
  it('creates a self-signed CA with CA:true and records its SHA-256 fingerprint', async () => {
    expect(ca.certPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(ca.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(ca.fingerprint).toBe(certificateFingerprint(ca.certPem));
    expect(await verifyCertificateChain(ca.certPem, ca.certPem)).toBe(true);
    const { X509Certificate } = await import('node:crypto');
    expect(new X509Certificate(ca.certPem).ca).toBe(true);
  });

  it('signs a node certificate from the node’s CSR: it verifies against the CA and names the node', async () => {
    const { csrPem, privateKeyPem } = await createNodeCsr('edge-gz-01');
    const cert = await signNodeCertificate({ ca, csrPem, nodeName: 'edge-gz-01', now: NOW });
    expect(await verifyCertificateChain(cert.certPem, ca.certPem)).toBe(true);
    expect(nodeNameFromCertificate(cert.certPem)).toBe('edge-gz-01');
    expect(cert.fingerprint).toBe(certificateFingerprint(cert.certPem));
    // The node keeps its key: the certificate carries the CSR's public key.
    const { X509Certificate, createPrivateKey } = await import('node:crypto');
    const x = new X509Certificate(cert.certPem);
    expect(x.checkPrivateKey(createPrivateKey(privateKeyPem))).toBe(true);
    expect(x.ca).toBe(false);
    expect(x.subject).toContain('CN=system:node:edge-gz-01');
    expect(x.subject).toContain('O=system:nodes');
    expect(x.publicKey.asymmetricKeyType).toBe('ec');
  });

  it('a certificate from another cluster’s CA does not verify', async () => {
    const { csrPem } = await createNodeCsr('edge-sh-01');
    const foreign = await signNodeCertificate({ ca: otherCa, csrPem, nodeName: 'edge-sh-01', now: NOW });
    expect(await verifyCertificateChain(foreign.certPem, ca.certPem)).toBe(false);
    expect(await verifyCertificateChain(foreign.certPem, otherCa.certPem)).toBe(true);
    expect(await verifyCertificateChain('garbage', ca.certPem)).toBe(false);
  });

  it('an expired certificate does not verify at a later instant', async () => {
    const { csrPem } = await createNodeCsr('edge-old');
    const cert = await signNodeCertificate({ ca, csrPem, nodeName: 'edge-old', now: NOW, validityDays: 1 });
    expect(
      await verifyCertificateChain(
        cert.certPem,
        ca.certPem,
        new Date(Date.parse(NOW) + 2 * 86_400_000).toISOString(),
      ),
    ).toBe(false);
  });

  it('refuses a CSR whose common name names another node', async () => {
    const { csrPem } = await createNodeCsr('edge-gz-02');
    await expect(signNodeCertificate({ ca, csrPem, nodeName: 'edge-gz-01', now: NOW })).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof ValidationError && e.violations[0]!.description.includes('system:node:edge-gz-01'),
    );
  });

  it('refuses a CSR whose signature does not verify, and one that is not a CSR', async () => {
    const { csrPem } = await createNodeCsr('edge-gz-01');
    const body = csrPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    const der = Buffer.from(body, 'base64');
    der[der.length - 5] = der[der.length - 5]! ^ 0xff; // corrupt the signature
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    await expect(
      signNodeCertificate({ ca, csrPem: tampered, nodeName: 'edge-gz-01', now: NOW }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      signNodeCertificate({ ca, csrPem: 'hello', nodeName: 'edge-gz-01', now: NOW }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('issues an admin certificate in system:masters that is not a node identity, and renders the kubeconfig', async () => {
    const admin = await issueAdminCertificate({ ca, clusterId: 'cls-a', now: NOW });
    expect(await verifyCertificateChain(admin.certPem, ca.certPem)).toBe(true);
    expect(nodeNameFromCertificate(admin.certPem)).toBeUndefined();
    const second = await issueAdminCertificate({ ca, clusterId: 'cls-a', now: NOW });
    expect(second.fingerprint).not.toBe(admin.fingerprint);
    expect(second.serial).not.toBe(admin.serial);

    const yaml = renderAdminKubeconfig({
      clusterName: 'factory-gz',
      server: 'https://cls-a.example.com:443',
      caCertPem: ca.certPem,
      clientCertPem: admin.certPem,
      clientKeyPem: admin.privateKeyPem,
    });
    const config = parse(yaml);
    expect(config['current-context']).toBe('factory-gz-admin@factory-gz');
    expect(config.clusters[0].cluster.server).toBe('https://cls-a.example.com:443');
    expect(Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString()).toBe(
      ca.certPem,
    );
    expect(Buffer.from(config.users[0].user['client-certificate-data'], 'base64').toString()).toBe(
      admin.certPem,
    );
    expect(Buffer.from(config.users[0].user['client-key-data'], 'base64').toString()).toBe(
      admin.privateKeyPem,
    );
  });

  it('a node identity is good only for its own node in its own cluster', () => {
    expect(
      authorizeNodeAction({ clusterId: 'cls-a', nodeName: 'n1' }, { clusterId: 'cls-a', nodeName: 'n1' }),
    ).toBe(true);
    expect(
      authorizeNodeAction({ clusterId: 'cls-a', nodeName: 'n1' }, { clusterId: 'cls-a', nodeName: 'n2' }),
    ).toBe(false);
    expect(
      authorizeNodeAction({ clusterId: 'cls-a', nodeName: 'n1' }, { clusterId: 'cls-b', nodeName: 'n1' }),
    ).toBe(false);
  });
});

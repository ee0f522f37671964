import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  choosePins,
  createClusterCa,
  createNodeCsr,
  keyPinOf,
  signNodeCertificate,
  type CreatedCa,
} from '../src/index.js';
import type { PublishedGatewayCa } from '../src/read-model/gateway-cas.queries.js';

const NOW = new Date().toISOString();
const URL = 'https://10.210.0.1:50443';

/** A CA and a certificate it issued for a key of its own, as the tunnel's gateway CA and serving key. */
async function gateway(name: string): Promise<{ published: PublishedGatewayCa; serving: X509Certificate }> {
  const ca: CreatedCa = await createClusterCa({ clusterId: name, clusterName: name, now: NOW });
  const { csrPem } = await createNodeCsr('serving');
  const cert = await signNodeCertificate({ ca, csrPem, nodeName: 'serving', now: NOW });
  const serving = new X509Certificate(cert.certPem);
  return {
    serving,
    published: {
      caHash: `sha256:${name}`,
      caCertPem: ca.certPem,
      servingKeyPin: keyPinOf(serving),
      notAfter: ca.notAfter,
      publishedAt: NOW,
    },
  };
}

describe('which gateway CA the join command pins', () => {
  let ours: Awaited<ReturnType<typeof gateway>>;
  let theirs: Awaited<ReturnType<typeof gateway>>;
  beforeAll(async () => {
    [ours, theirs] = await Promise.all([gateway('ours'), gateway('theirs')]);
  });

  it('none published: no pins, and the reason names the tunnel service', () => {
    const r = choosePins([], URL, undefined);
    expect(r).toMatchObject({ ok: false });
    expect(!r.ok && r.problem).toMatch(/tunnel service has not published its gateway CA/);
  });

  it('the join server unreachable from the cloud side: the latest published', () => {
    expect(choosePins([theirs.published, ours.published], URL, undefined)).toEqual({
      ok: true,
      pins: { caHash: 'sha256:theirs', servingKeyPin: theirs.published.servingKeyPin },
    });
  });

  it('several published (test instances on one bus): the one that issued what the join server presents', () => {
    expect(choosePins([theirs.published, ours.published], URL, ours.serving)).toEqual({
      ok: true,
      pins: { caHash: 'sha256:ours', servingKeyPin: ours.published.servingKeyPin },
    });
  });

  it('a join server whose certificate no published CA issued: no command, and why', () => {
    const r = choosePins([theirs.published], URL, ours.serving);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toMatch(/10\.210\.0\.1:50443 presents a certificate that no gateway CA/);
  });

  it('the right issuer but another serving key: refused (curl --pinnedpubkey would fail)', () => {
    const r = choosePins(
      [{ ...ours.published, servingKeyPin: theirs.published.servingKeyPin }],
      URL,
      ours.serving,
    );
    expect(r.ok).toBe(false);
  });
});

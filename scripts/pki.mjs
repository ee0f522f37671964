#!/usr/bin/env node
// The platform PKI of the gRPC API (mTLS; docs/architecture.md, "Identity and authorization"):
//   node scripts/pki.mjs [--dir DIR] [--services a,b,…] [--owner UID[:GID]]
// makes DIR (default EDGEPLANE_PKI_DIR, else .edgeplane/pki) hold a CA (ca.crt, ca.key 0600) and
// the local admin's credential file admin.yaml when it has none, then — with --services — a
// certificate per service (services/<name>.crt|key: CN system:service:<name>, SAN its name,
// localhost, 127.0.0.1, ::1), so services in containers need no CA key (docker-compose.yml mounts
// DIR at /pki). --owner hands the service files to the containers' user (node: 1000).
// `npm start` makes the CA itself (scripts/stack.mjs); this is for deployments and the compose gate.
import { chownSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { dir: { type: 'string' }, services: { type: 'string' }, owner: { type: 'string' } },
});
const dir = path.resolve(values.dir || process.env.EDGEPLANE_PKI_DIR || path.join(REPO, '.edgeplane', 'pki'));
const { tsImport } = await import('tsx/esm/api');
const pki = await tsImport('../libs/proto/src/auth/pki.ts', import.meta.url);
pki.ensurePlatformPki(dir);
const services = (values.services || '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
if (services.length > 0) pki.writeServiceCertificates(dir, services);
if (values.owner && services.length > 0) {
  const [uid, gid = uid] = values.owner.split(':').map(Number);
  const sdir = path.join(dir, 'services');
  chownSync(sdir, uid, gid);
  for (const f of readdirSync(sdir)) chownSync(path.join(sdir, f), uid, gid);
}
console.log(`platform PKI in ${dir}${services.length ? ` (certificates for ${services.join(', ')})` : ''}`);

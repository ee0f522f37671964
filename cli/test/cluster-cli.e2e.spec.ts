import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase } from '@edgeplane/eventstore';
import { connectBus } from '@edgeplane/messaging';
import { checkHealth } from '@edgeplane/proto';
import { eventually, freePort, testServices, uniqueName } from '@edgeplane/testing';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GATEWAY_CA_SUBJECT,
  startGatewayStandIn,
  type GatewayStandIn,
} from '../../services/cluster/test/gateway-stand-in.js';

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The operator's path end to end: the cluster service as a real process (its own schema and
 * ports), driven only through the `edgeplane` CLI binary.
 */
describe('edgeplane CLI against a running cluster service', () => {
  const schema = uniqueName('t_cli');
  const work = mkdtempSync(path.join(tmpdir(), 'edgeplane-cli-'));
  let service: ChildProcess | undefined;
  let server = '';
  let serviceLog = '';
  let gateway: GatewayStandIn;

  const cli = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [path.join(ROOT, 'cli/bin/edgeplane.mjs'), '--server', server, ...args],
        { cwd: ROOT, env: { ...process.env, EDGEPLANE_SERVER: '' }, timeout: 60_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  const ok = async (...args: string[]) => {
    const r = await cli(...args);
    expect(r.code, `edgeplane ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r.stdout;
  };
  const json = async (...args: string[]) => JSON.parse(await ok(...args, '-o', 'json'));
  const create = (name: string, ...extra: string[]) =>
    cli(
      'cluster',
      'create',
      name,
      '--k8s-version',
      '1.22.5',
      '--runtime',
      'containerd',
      '--region',
      'ap-guangzhou',
      '--vpc-cidr',
      '10.0.0.0/16',
      '--pod-cidr',
      '172.16.0.0/16',
      '--service-cidr',
      '172.17.0.0/20',
      ...extra,
    );

  beforeAll(async () => {
    const { databaseUrl, natsUrl } = await testServices();
    const grpcPort = await freePort();
    server = `127.0.0.1:${grpcPort}`;
    gateway = await startGatewayStandIn();
    service = spawn(process.execPath, ['--import', 'tsx', 'services/cluster/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        SERVICE_SCHEMA: schema,
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: String(grpcPort),
        METRICS_PORT: String(await freePort()),
        LOG_LEVEL: 'warn',
        CONSUMER_START: 'new',
        JOIN_SERVER_URL: gateway.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.stdout!.on('data', (d) => (serviceLog += d));
    service.stderr!.on('data', (d) => (serviceLog += d));
    await eventually(async () => (await checkHealth(server, { timeoutMs: 1000 })).serving, 60_000, 250).catch(
      (error) => {
        throw new Error(`cluster service did not start: ${(error as Error).message}\n${serviceLog}`);
      },
    );
  });

  afterAll(async () => {
    if (service && service.exitCode === null) {
      const exited = new Promise((r) => service!.once('exit', r));
      service.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    const { databaseUrl, natsUrl } = await testServices();
    const db = createDatabase({ url: databaseUrl });
    await db.schema
      .dropSchema(schema)
      .ifExists()
      .cascade()
      .execute()
      .catch(() => undefined);
    await db.destroy();
    const bus = await connectBus({ url: natsUrl, name: 'cli-e2e-cleanup' });
    const suffix = `-${schema.replace(/_/g, '-')}`;
    for (const [stream, durable] of [
      ['EDGEPLANE_CLUSTER', 'cluster__reactors'],
      ['EDGEPLANE_NODEPOOL', 'cluster__nodepool-membership'],
      ['EDGEPLANE_HEALTH', 'cluster__health-verdicts'],
    ] as const) {
      await bus.jsm.consumers.delete(stream, durable + suffix).catch(() => undefined);
    }
    await bus.jsm.consumers.delete('EDGEPLANE_TUNNEL', `cluster__gateway-ca${suffix}`).catch(() => undefined);
    await bus.close();
    gateway?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('creates a cluster; an overlapping one is refused with the server reason and a non-zero exit', async () => {
    const created = await create(
      'cli-demo',
      '--kube-proxy',
      'ipvs',
      '--node-cidr',
      '192.168.0.0/24',
      '--description',
      'demo site',
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^cluster\/cli-demo created \(cls-[0-9a-f]+\)/);

    const bad = await cli(
      'cluster',
      'create',
      'cli-bad',
      '--k8s-version',
      '1.22.5',
      '--runtime',
      'containerd',
      '--region',
      'ap-guangzhou',
      '--vpc-cidr',
      '10.1.0.0/16',
      '--pod-cidr',
      '172.30.0.0/16',
      '--service-cidr',
      '172.30.16.0/20',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('INVALID_ARGUMENT');
    expect(bad.stderr).toMatch(
      /podCidr: Pod CIDR 172\.30\.0\.0\/16 overlaps Service CIDR 172\.30\.16\.0\/20/,
    );

    const dup = await create('cli-demo', '--vpc-id', 'vpc-other');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('ALREADY_EXISTS');

    const list = await json('cluster', 'list');
    expect(list.items.map((c: { name: string }) => c.name)).toEqual(['cli-demo']);
    const table = await ok('cluster', 'list');
    expect(table.split('\n')[0]).toMatch(
      /^NAME\s+ID\s+VERSION\s+RUNTIME\s+REGION\s+TIER\s+NODES\s+ACCESS\s+AGE$/,
    );
    const got = await json('cluster', 'get', 'cli-demo');
    expect(got).toMatchObject({
      name: 'cli-demo',
      kubeProxyMode: 'ipvs',
      nodeCidrs: ['192.168.0.0/24'],
      description: 'demo site',
    });
    const yaml = parseYaml(await ok('cluster', 'get', 'cli-demo', '-o', 'yaml'));
    expect(yaml.podCidr).toBe('172.16.0.0/16');
  });

  let tokenText = '';
  let tokenId = '';

  it('tokens: refused while access is off; created with expiry and scripts, printing the join command; listed', async () => {
    const closed = await cli('token', 'create', '--cluster', 'cli-demo');
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/FAILED_PRECONDITION: .*neither public nor private/);
    expect(await ok('cluster', 'access', 'cli-demo', '--public', 'on')).toContain('access: public');

    // The tunnel service publishes its gateway CA; the join command pins it.
    const { natsUrl } = await testServices();
    const bus = await connectBus({ url: natsUrl, name: 'cli-e2e-gateway-ca' });
    await bus.js.publish(GATEWAY_CA_SUBJECT, JSON.stringify(gateway.published), {
      msgID: gateway.published.id,
    });
    await bus.close();
    const pre = path.join(work, 'pre.sh');
    writeFileSync(pre, '#!/bin/sh\necho pre\n');
    await eventually(
      async () => (await ok('token', 'create', '--cluster', 'cli-demo')).includes(gateway.caHash),
      10_000,
      250,
    );
    const out = await ok(
      'token',
      'create',
      '--cluster',
      'cli-demo',
      '--expires',
      '2h',
      '--container-dir',
      '/data/containerd',
      '--pre-install',
      pre,
    );
    tokenText = /^token: (\S+)/m.exec(out)![1]!;
    tokenId = tokenText.split('.')[0]!;
    expect(out).toContain(`EDGEPLANE_JOIN_TOKEN='${tokenText}'`);
    expect(out).toContain(`EDGEPLANE_SERVER='${gateway.url}' EDGEPLANE_CA_HASH='${gateway.caHash}'`);
    expect(out).toContain(`--pinnedpubkey '${gateway.servingKeyPin}'`);
    expect(out).toContain("EDGEPLANE_CONTAINER_DIR='/data/containerd'");
    expect(out).toContain('edgectl install -n <NODE_NAME>');
    expect(out).toContain('pre-install script');

    const tokens = await json('token', 'list', '--cluster', 'cli-demo');
    expect(tokens.items).toContainEqual(
      expect.objectContaining({
        id: tokenId,
        status: 'active',
        ttlSeconds: 7200,
        containerDir: '/data/containerd',
        hasPreInstallScript: true,
      }),
    );
    const tooLong = await cli('token', 'create', '--cluster', 'cli-demo', '--expires', '25h');
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toMatch(/INVALID_ARGUMENT.*between 1 minute and 24 hours/);
  });

  it('joins nodes with the dev join command; duplicate and IP names are refused; the node certificate is its own', async () => {
    const dir = path.join(work, 'edge-a');
    expect(
      await ok(
        'node',
        'join',
        '--token',
        tokenText,
        '--name',
        'edge-a',
        '--ip',
        '10.0.1.5',
        '--arch',
        'arm64',
        '--out-dir',
        dir,
      ),
    ).toMatch(/^node\/edge-a joined cluster cls-/);
    expect(readFileSync(path.join(dir, 'node.key'), 'utf8')).toContain('BEGIN PRIVATE KEY');
    await ok('node', 'join', '--token', tokenText, '--name', 'edge-b');

    const dup = await cli('node', 'join', '--token', tokenText, '--name', 'edge-a');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/ALREADY_EXISTS: node "edge-a" already exists/);
    const ip = await cli('node', 'join', '--token', tokenText, '--name', '192.168.3.4');
    expect(ip.code).toBe(1);
    expect(ip.stderr).toMatch(/INVALID_ARGUMENT/);
    expect(ip.stderr).toMatch(/nodeName: .*IP address/);

    const mine = await cli(
      'cluster',
      'verify-credential',
      'cli-demo',
      '--cert',
      path.join(dir, 'node.crt'),
      '--target-node',
      'edge-a',
    );
    expect(mine.code).toBe(0);
    expect(mine.stdout).toMatch(/valid node credential of node edge-a/);
    const theirs = await cli(
      'cluster',
      'verify-credential',
      'cli-demo',
      '--cert',
      path.join(dir, 'node.crt'),
      '--target-node',
      'edge-b',
    );
    expect(theirs.code).toBe(1);
    expect(theirs.stdout).toMatch(/not authorized: node edge-a may act only on its own node/);

    const nodes = await json('node', 'list', '--cluster', 'cli-demo');
    expect(nodes.items.map((n: { name: string }) => n.name)).toEqual(['edge-a', 'edge-b']);
    const tokens = await json('token', 'list', '--cluster', 'cli-demo');
    expect(tokens.items.find((t: { id: string }) => t.id === tokenId).redeemedBy).toEqual([
      'edge-a',
      'edge-b',
    ]);
  });

  it('node label / taint / cordon / drain / uncordon in kubectl syntax; node get shows owners, taints, condition, timeline', async () => {
    expect(
      await ok('node', 'label', 'edge-a', 'env=prod', 'nvidia-device-enable=enable', '--cluster', 'cli-demo'),
    ).toBe('node/edge-a labeled\n');
    expect(await ok('node', 'taint', 'edge-a', 'dedicated=gpu:NoSchedule', '--cluster', 'cli-demo')).toBe(
      'node/edge-a tainted\n',
    );
    const owned = await cli('node', 'label', 'edge-a', 'kubernetes.io/arch=arm', '--cluster', 'cli-demo');
    expect(owned.code).toBe(1);
    expect(owned.stderr).toMatch(/managed by the cluster service/);
    const badTaint = await cli('node', 'taint', 'edge-a', 'x=y:Sometimes', '--cluster', 'cli-demo');
    expect(badTaint.code).toBe(1);
    expect(badTaint.stderr).toMatch(/INVALID_ARGUMENT/);
    await ok('node', 'cordon', 'edge-a', '--cluster', 'cli-demo');
    await ok('node', 'drain', 'edge-a', '--cluster', 'cli-demo', '--grace-period', '5');

    const listed = await json('node', 'list', '--cluster', 'cli-demo', '-l', 'env=prod');
    expect(listed.items).toEqual([
      expect.objectContaining({ name: 'edge-a', schedulable: false, draining: true, gpuDevicePlugin: true }),
    ]);
    const wide = await ok('node', 'list', '--cluster', 'cli-demo', '-o', 'wide');
    expect(wide).toMatch(/edge-a\s+\w+,SchedulingDisabled\s+arm64\s+10\.0\.1\.5/);

    const detail = parseYaml(await ok('node', 'get', 'edge-a', '--cluster', 'cli-demo', '-o', 'yaml'));
    expect(detail.node.labels).toMatchObject({ env: 'prod', 'kubernetes.io/arch': 'arm64' });
    expect(detail.node.operatorLabels).toEqual({ env: 'prod', 'nvidia-device-enable': 'enable' });
    // Other services' test instances share the streams and may add their layers to our nodes.
    expect(detail.node.systemLabels).toContainEqual({
      owner: 'cluster',
      labels: {
        'kubernetes.io/arch': 'arm64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': 'edge-a',
      },
    });
    expect(detail.node.taints).toEqual(
      expect.arrayContaining([
        { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' },
      ]),
    );
    expect(detail.conditions).toContainEqual(expect.objectContaining({ type: 'Ready' }));
    expect(
      detail.events.map((e: { type: string }) => e.type).filter((t: string) => !t.startsWith('NodeSystem')),
    ).toEqual([
      'NodeJoined',
      'NodeCredentialIssued',
      'NodeLabelsChanged',
      'NodeGpuDevicePluginChanged',
      'NodeTaintsChanged',
      'NodeCordoned',
      'NodeDrainRequested',
    ]);
    const described = await ok('node', 'get', 'edge-a', '--cluster', 'cli-demo');
    expect(described).toMatch(/^Name:\s+edge-a$/m);
    expect(described).toMatch(/kubernetes\.io\/arch=arm64\s+\(cluster\)/);
    expect(described).toMatch(/^Events:$/m);
    expect(described).toMatch(/NodeDrainRequested\s+drain requested \(grace 5s\)/);

    await ok('node', 'label', 'edge-a', 'env-', '--cluster', 'cli-demo');
    await ok('node', 'taint', 'edge-a', 'dedicated:NoSchedule-', '--cluster', 'cli-demo');
    await ok('node', 'uncordon', 'edge-a', '--cluster', 'cli-demo');
    const after = await json('node', 'get', 'edge-a', '--cluster', 'cli-demo');
    expect(after.node).toMatchObject({ schedulable: true, draining: false, operatorTaints: [] });
    expect(after.node.operatorLabels).toEqual({ 'nvidia-device-enable': 'enable' });
  });

  it('kubeconfig: downloaded, verifies; rotate-kubeconfig makes the old one stop working', async () => {
    const k1 = path.join(work, 'k1.yaml');
    const k2 = path.join(work, 'k2.yaml');
    await ok('cluster', 'kubeconfig', 'cli-demo', '--file', k1);
    const printed = parseYaml(await ok('cluster', 'kubeconfig', 'cli-demo'));
    expect(printed.kind).toBe('Config');
    expect(printed.clusters[0].name).toBe('cli-demo');
    expect(await ok('cluster', 'verify-credential', 'cli-demo', '--kubeconfig', k1)).toMatch(
      /valid admin credential/,
    );
    const rotated = await cli('cluster', 'rotate-kubeconfig', 'cli-demo', '--file', k2);
    expect(rotated.code).toBe(0);
    expect(rotated.stderr).toMatch(/previous admin credential [0-9a-f]+ revoked/);
    const old = await cli('cluster', 'verify-credential', 'cli-demo', '--kubeconfig', k1);
    expect(old.code).toBe(1);
    expect(old.stdout).toMatch(/invalid: the credential was rotated, revoked or has expired/);
    expect(await ok('cluster', 'verify-credential', 'cli-demo', '--kubeconfig', k2)).toMatch(
      /valid admin credential/,
    );
  });

  it('a revoked token is refused with a clear message', async () => {
    expect(await ok('token', 'revoke', tokenId)).toBe(`token/${tokenId} revoked\n`);
    const r = await cli('node', 'join', '--token', tokenText, '--name', 'edge-c');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/UNAUTHENTICATED: join token [0-9a-f]+ was revoked/);
    const tokens = await json('token', 'list', '--cluster', 'cli-demo');
    expect(tokens.items.find((t: { id: string }) => t.id === tokenId).status).toBe('revoked');
  });

  it('tier cap with auto-upgrade off: the node beyond it is cordoned, and recovers after `cluster tier … L20`', async () => {
    expect((await create('cli-cap', '--tier', 'L5', '--vpc-id', 'vpc-cap')).code).toBe(0);
    await ok('cluster', 'access', 'cli-cap', '--private', 'on', '--subnet', 'subnet-1');
    const out = await ok('token', 'create', '--cluster', 'cli-cap');
    expect(out).toContain('/etc/hosts'); // private access: the extra pre-install lines
    const t = /^token: (\S+)/m.exec(out)![1]!;
    const joins = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => cli('node', 'join', '--token', t, '--name', `c${i}`)),
    );
    for (const j of joins) expect(j.code, j.stderr).toBe(0);
    expect(joins.every((j) => !j.stdout.includes('cordoned'))).toBe(true);
    const sixth = await ok('node', 'join', '--token', t, '--name', 'c6');
    expect(sixth).toMatch(/cordoned: cluster tier L5 allows 5 nodes/);
    const c6 = await json('node', 'get', 'c6', '--cluster', 'cli-cap');
    expect(c6.node.cordons).toEqual([expect.objectContaining({ holder: 'tier-capacity' })]);
    const stuck = await cli('node', 'uncordon', 'c6', '--cluster', 'cli-cap');
    expect(stuck.code).toBe(1);
    expect(stuck.stderr).toMatch(/FAILED_PRECONDITION: node c6 stays cordoned/);
    expect(await ok('cluster', 'tier', 'cli-cap', 'L20')).toMatch(/tier L20, auto-upgrade off/);
    await eventually(
      async () => (await json('node', 'get', 'c6', '--cluster', 'cli-cap')).node.schedulable === true,
      15_000,
      300,
    );
    const down = await cli('cluster', 'tier', 'cli-cap', 'L5');
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/6 nodes exceed its cap of 5/);
  });

  it('removes a node and deletes a cluster', async () => {
    expect(await ok('node', 'remove', 'edge-b', '--cluster', 'cli-demo')).toBe('node/edge-b removed\n');
    const gone = await cli('node', 'get', 'edge-b', '--cluster', 'cli-demo');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/NOT_FOUND/);
    expect(await ok('cluster', 'delete', 'cli-demo')).toMatch(
      /cluster\/cli-demo deleted .*revoked node identities: 1/,
    );
    const missing = await cli('cluster', 'get', 'cli-demo');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/NOT_FOUND: cluster "cli-demo" not found/);
    expect((await json('cluster', 'list')).items.map((c: { name: string }) => c.name)).toEqual(['cli-cap']);
  });
});

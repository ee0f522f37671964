import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createNodeCsr, nodeNameProblems } from '@edgeplane/k8s';
import { loadAgentConfig } from '../agent/config.js';
import { writeAgentHome } from '../agent/home.js';
import {
  downloadBundle,
  fetchPinnedGatewayCa,
  JoinError,
  redeemJoinToken,
  type JoinIdentity,
} from '../join/join-client.js';
import { agentRunner, startAgent } from './agent-runner.js';
import { clearHome, clearPlan } from './clear.js';
import { hostFacts } from './host-facts.js';
import { homeFiles } from './layout.js';
import { readAgentStatus } from './status.js';

export interface InstallOptions {
  name: string;
  /** -i: the interface the node is known by (default: the default route's) */
  interface?: string;
  /** join server base URL (EDGEPLANE_SERVER) */
  server: string;
  /** sha256:<hex> of the gateway CA (EDGEPLANE_CA_HASH) */
  caHash: string;
  /** <id>.<secret> (EDGEPLANE_JOIN_TOKEN) */
  token: string;
  /** EDGEPLANE_CONTAINER_DIR (recorded; this milestone installs no container runtime) */
  containerDir?: string;
  home: string;
  ports: { proxy: number; probe: number; status: number };
  /** what remote login may reach on this node, by name (e.g. ssh → 127.0.0.1:22) */
  relayTargets: Record<string, string>;
  /** agent.json `runtime`: what runs the node's pods (default none); cri needs criSocket */
  runtime?: { driver: 'none' | 'process' | 'cri'; criSocket?: string };
  /** agent.json `allocatable`: the node's size as reported to the cloud (default: the host's) */
  allocatable?: { cpuMilli?: number; memoryMib?: number };
  /** how long to wait for the agent to report it is connected */
  connectTimeoutMs: number;
  systemd: boolean;
  /** one progress line for the operator */
  progress(line: string): void;
}

/** Why an install failed; `registered` when the cluster already holds the node. */
export class InstallError extends Error {
  constructor(
    message: string,
    readonly registered?: { clusterId: string; nodeName: string },
  ) {
    super(message);
  }
}

const STEPS = 8;

/**
 * `edgectl install -n NAME [-i IFACE]` (F-NO-3, docs/tunnel.md "edgectl"): clear first, check the
 * name here, trust the gateway CA only if its hash is the pinned one, fetch the agent, make the
 * key and CSR on this node (the key never leaves it), redeem the token, store the identity, start
 * the agent and succeed only once it reports it is connected. On any failure everything written
 * is removed again (the install log stays, for the reason) and the error says why.
 */
export async function install(o: InstallOptions): Promise<JoinIdentity> {
  const files = homeFiles(o.home);
  let step = 0;
  const log = (line: string) => {
    try {
      appendFileSync(files.installLog, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
    } catch {
      /* the home may not exist yet */
    }
  };
  const progress = (line: string) => {
    step++;
    const text = `[${step}/${STEPS}] ${line}`;
    o.progress(text);
    log(text);
  };
  const detail = (line: string) => {
    o.progress(`      ${line}`);
    log(`      ${line}`);
  };

  progress(`Clearing any previous installation in ${o.home}`);
  const previous = clearPlan(o.home);
  for (const line of previous) detail(`removing ${line}`);
  await clearHome(o.home);
  mkdirSync(o.home, { recursive: true, mode: 0o700 });
  chmodSync(o.home, 0o700);
  log(`edgectl install -n ${o.name}${o.interface ? ` -i ${o.interface}` : ''} (server ${o.server})`);

  let registered: { clusterId: string; nodeName: string } | undefined;
  try {
    progress(`Checking the node name "${o.name}" and this node`);
    const problems = nodeNameProblems(o.name);
    if (problems.length > 0) throw new InstallError(`invalid node name: ${problems.join('; ')}`);
    checkInputs(o);
    const facts = hostFacts(o.interface);
    detail(`${facts.os}, ${facts.arch}, interface ${facts.interface} (${facts.ips.join(', ')})`);
    if (o.containerDir) detail(`container directory ${o.containerDir}`);
    if (o.runtime && o.runtime.driver !== 'none')
      detail(
        `pods run by the ${o.runtime.driver} driver${o.runtime.criSocket ? ` (${o.runtime.criSocket})` : ''}`,
      );

    progress(`Fetching the gateway CA from ${o.server} (pinned ${o.caHash.slice(0, 19)}…)`);
    const gatewayCaPem = await joinStep(() => fetchPinnedGatewayCa(o.server, o.caHash), o.server);

    progress('Downloading the agent');
    const agentBundle = await joinStep(() => downloadBundle(o.server, gatewayCaPem, 'agent'), o.server);
    detail(`${agentBundle.length} bytes`);

    progress('Creating the node key and certificate request (the private key stays on this node)');
    const csr = await createNodeCsr(o.name);

    progress(`Joining: redeeming the join token for node "${o.name}"`);
    const identity = await joinStep(
      () =>
        redeemJoinToken(o.server, gatewayCaPem, {
          token: o.token,
          nodeName: o.name,
          csrPem: csr.csrPem,
          arch: facts.arch,
          os: facts.os,
          interface: facts.interface,
          ips: facts.ips,
        }),
      o.server,
    );
    registered = { clusterId: identity.clusterId, nodeName: identity.nodeName };
    detail(
      `joined cluster ${identity.clusterId}${identity.cordoned ? ` (cordoned: ${identity.cordonReason})` : ''}`,
    );

    progress(`Writing the node identity to ${o.home}`);
    writeAgentHome({
      home: o.home,
      identity,
      privateKeyPem: csr.privateKeyPem,
      gatewayCaPem,
      config: {
        listen: {
          host: '0.0.0.0',
          proxyPort: o.ports.proxy,
          probePort: o.ports.probe,
          statusPort: o.ports.status,
        },
        ips: facts.ips,
        relayTargets: o.relayTargets,
        ...(o.runtime ? { runtime: { periodMs: 1000, ...o.runtime } } : {}),
        ...(o.allocatable ? { allocatable: o.allocatable } : {}),
      },
    });
    writeFileSync(files.agent, agentBundle, { mode: 0o755 });
    if (identity.preInstallScript) runScript('pre-install', identity.preInstallScript, o, detail);

    progress('Starting the agent');
    const runner = startAgent(o.home, o.systemd);
    detail(
      runner.kind === 'systemd'
        ? `systemd unit ${runner.unit}`
        : `supervised in the background (supervisor pid ${runner.kind === 'supervised' ? runner.supervisorPid : '?'}); log ${files.agentLog}`,
    );
    detail(`waiting for the agent to connect to the gateway at ${identity.tunnelAddress}`);
    await waitConnected(o, identity);
    detail('connected');
    if (identity.postInstallScript) runScript('post-install', identity.postInstallScript, o, detail);
    log(`Install Edge Node: ${o.name} Success!`);
    return identity;
  } catch (error) {
    const reason = reasonOf(error, o.server);
    log(`FAILED: ${reason}`);
    for (const line of clearPlan(o.home, { keepInstallLog: true })) log(`removing ${line}`);
    await clearHome(o.home, { keepInstallLog: true });
    throw new InstallError(reason, registered);
  }
}

function checkInputs(o: InstallOptions): void {
  if (!o.server)
    throw new InstallError(
      'no join server: pass --server or set EDGEPLANE_SERVER (the join command sets it)',
    );
  let url: URL;
  try {
    url = new URL(o.server);
  } catch {
    throw new InstallError(`the join server "${o.server}" is not a URL`);
  }
  if (url.protocol !== 'https:')
    throw new InstallError(`the join server must be https://, got "${o.server}"`);
  if (!o.token)
    throw new InstallError(
      'no join token: pass --token or set EDGEPLANE_JOIN_TOKEN (the join command sets it)',
    );
  if (o.runtime?.driver === 'cri' && !o.runtime.criSocket)
    throw new InstallError("--runtime cri needs --cri-socket (or EDGEPLANE_CRI_SOCKET): containerd's socket");
  if (!/^sha256:[0-9a-fA-F]{64}$/.test(o.caHash)) {
    throw new InstallError(
      o.caHash
        ? `the CA hash "${o.caHash}" is not sha256:<64 hex digits>`
        : 'no CA hash: pass --ca-hash or set EDGEPLANE_CA_HASH (the join command sets it)',
    );
  }
}

/** Runs one join API call; network failures become a sentence naming the server. */
async function joinStep<T>(call: () => Promise<T>, server: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new InstallError(reasonOf(error, server));
  }
}

function reasonOf(error: unknown, server: string): string {
  if (error instanceof InstallError) return error.message;
  if (error instanceof JoinError) return `${error.code}: ${error.message}`;
  const e = error as NodeJS.ErrnoException;
  if (e?.code && /^(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNRESET)$/.test(e.code))
    return `cannot reach the join server at ${server}: ${e.message}`;
  if (e?.code && /CERT|SELF_SIGNED|ERR_TLS/.test(e.code))
    return `the join server at ${server} could not be verified against the pinned gateway CA: ${e.message}`;
  return (error as Error)?.message ?? String(error);
}

async function waitConnected(o: InstallOptions, identity: JoinIdentity): Promise<void> {
  const config = loadAgentConfig(homeFiles(o.home).config);
  const started = Date.now();
  const deadline = started + o.connectTimeoutMs;
  for (;;) {
    const status = await readAgentStatus(config, 1000);
    if (status?.connected) return;
    // the supervisor writes its pid file once it runs; after that it must stay up
    if (!o.systemd && Date.now() - started > 3000 && agentRunner(o.home).kind === 'none')
      throw new InstallError(`the agent stopped before it connected; ${tailOf(homeFiles(o.home).agentLog)}`);
    if (Date.now() > deadline) {
      throw new InstallError(
        `the agent did not connect to the gateway at ${identity.tunnelAddress} within ${Math.round(o.connectTimeoutMs / 1000)} s; ${tailOf(homeFiles(o.home).agentLog)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function tailOf(file: string): string {
  if (!existsSync(file)) return 'the agent wrote no log';
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(-5);
  return `last lines of ${file}:\n  ${lines.join('\n  ')}`;
}

function runScript(which: string, script: string, o: InstallOptions, detail: (line: string) => void): void {
  detail(`running the ${which} script`);
  const r = spawnSync('/bin/sh', ['-c', script], {
    cwd: o.home,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, EDGEPLANE_JOIN_TOKEN: '', EDGEPLANE_NODE_NAME: o.name, EDGEPLANE_HOME: o.home },
  });
  for (const line of `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').filter(Boolean)) detail(`  ${line}`);
  if (r.status !== 0)
    throw new InstallError(`the ${which} script failed (${r.signal ?? `exit ${r.status}`})`);
}

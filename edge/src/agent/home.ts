import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JoinIdentity } from '../join/join-client.js';
import type { AgentConfigFile } from './config.js';

/**
 * Writes what the agent reads from $EDGEPLANE_HOME (docs/tunnel.md "Files"): `node.key` (0600),
 * `node.crt`, `gateway-ca.crt`, `agent.json` and the `state/` folder. edgectl calls it after a
 * successful redemption; tests use it to stand up agents. Returns the path of agent.json.
 */
export function writeAgentHome(input: {
  home: string;
  identity: JoinIdentity;
  privateKeyPem: string;
  gatewayCaPem: string;
  /** everything else of agent.json (ports, relay targets, addresses…) */
  config?: Partial<Omit<AgentConfigFile, 'clusterId' | 'nodeName' | 'tunnelAddress'>>;
}): string {
  const { home, identity } = input;
  mkdirSync(path.join(home, 'state'), { recursive: true, mode: 0o700 });
  const key = path.join(home, 'node.key');
  writeFileSync(key, input.privateKeyPem, { mode: 0o600 });
  chmodSync(key, 0o600);
  writeFileSync(path.join(home, 'node.crt'), identity.certificatePem);
  writeFileSync(path.join(home, 'gateway-ca.crt'), input.gatewayCaPem);
  const config = {
    clusterId: identity.clusterId,
    nodeName: identity.nodeName,
    tunnelAddress: identity.tunnelAddress,
    ...input.config,
  };
  const file = path.join(home, 'agent.json');
  writeFileSync(file, JSON.stringify(config, null, 2) + '\n');
  return file;
}

import type { JoinServerPins } from './join-server.pins.js';

/**
 * The join command an operator copies (F-NO-1) and, with private access on, the extra pre-install
 * commands for the private (VPC) path (F-CL-4). Pure text rendering.
 *
 * Contract with edgectl (edge/, docs/tunnel.md "Join over HTTPS"): the command downloads edgectl
 * from `<server>/v1/join/edgectl` trusting only the join server's pinned serving key
 * (`curl -k --pinnedpubkey`), then runs `edgectl install -n <NODE_NAME> [-i <INTERFACE>]` with the
 * server, the gateway CA's hash, the token and the container directory in EDGEPLANE_* variables.
 * edgectl refuses a CA whose hash differs, and gets the token's pre/post-install scripts in the
 * redeem answer. Without pins there is no command: one that cannot work is never printed.
 */
export interface JoinCommandInput {
  /** Base URL of the join server nodes reach (the tunnel service's join port). */
  server: string;
  /** The gateway CA's pins for that server, or why there are none. */
  pins: JoinServerPins;
  /** The full token text `<tokenId>.<secret>`. */
  token: string;
  containerDir: string;
  hasPreInstallScript: boolean;
  hasPostInstallScript: boolean;
  /** Present when the cluster has private access on. */
  privateAccess?: { apiServerHost: string; vpcAddress: string };
}

export interface JoinCommand {
  /** One line to paste as root on the node; empty when no working command can be given. */
  command: string;
  /** Commands to add to the pre-install script when the node joins through the VPC (empty otherwise). */
  privateAccessPreInstall: string[];
  /** Everything an operator reads, as shown by the CLI. */
  text: string;
}

export function renderJoinCommand(input: JoinCommandInput): JoinCommand {
  const server = input.server.replace(/\/+$/, '');
  const privateAccessPreInstall = input.privateAccess
    ? [
        `# private (VPC) access: resolve the API server to its VPC address`,
        `grep -q ' ${input.privateAccess.apiServerHost}$' /etc/hosts || echo '${input.privateAccess.vpcAddress} ${input.privateAccess.apiServerHost}' >> /etc/hosts`,
      ]
    : [];
  if (!input.pins.ok) {
    const lines = [
      `# No join command yet: ${input.pins.problem}`,
      '# The token above stays valid until it expires (or is revoked).',
    ];
    return { command: '', privateAccessPreInstall, text: `${lines.join('\n')}\n` };
  }
  const { caHash, servingKeyPin } = input.pins.pins;
  const env = [
    `EDGEPLANE_SERVER=${shQuote(server)}`,
    `EDGEPLANE_CA_HASH=${shQuote(caHash)}`,
    `EDGEPLANE_JOIN_TOKEN=${shQuote(input.token)}`,
    `EDGEPLANE_CONTAINER_DIR=${shQuote(input.containerDir)}`,
  ].join(' ');
  const command =
    `curl -fsSLk --pinnedpubkey ${shQuote(servingKeyPin)} -o edgectl ${shQuote(`${server}/v1/join/edgectl`)} && chmod +x edgectl && ` +
    `${env} ./edgectl install -n <NODE_NAME>`;
  const lines = [
    '# Run as root on the node (Node.js 20 or later). Replace <NODE_NAME> (DNS-1123, not an IP); add -i <INTERFACE> to pick the interface.',
    command,
  ];
  if (input.hasPreInstallScript || input.hasPostInstallScript) {
    const which = [input.hasPreInstallScript && 'pre-install', input.hasPostInstallScript && 'post-install']
      .filter(Boolean)
      .join(' and ');
    lines.push(`# edgectl runs the ${which} script stored with this token.`);
  }
  if (privateAccessPreInstall.length > 0) {
    lines.push(
      '# Joining through the VPC (private access)? Add these lines to the pre-install script; over the internet, ignore them:',
    );
    lines.push(...privateAccessPreInstall);
  }
  return { command, privateAccessPreInstall, text: `${lines.join('\n')}\n` };
}

function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The join command an operator copies (F-NO-1) and, with private access on, the extra pre-install
 * commands for the private (VPC) path (F-CL-4). Pure text rendering.
 *
 * Contract with edgectl (edge/): the command downloads edgectl from `<server>/v1/join/edgectl`,
 * then runs `edgectl install -n <NODE_NAME> [-i <INTERFACE>]` with the server, token and container
 * directory in EDGEPLANE_* environment variables. edgectl fetches the token's pre/post-install
 * scripts from the server with the same token.
 */
export interface JoinCommandInput {
  /** Base URL nodes use to reach the platform (the private endpoint when joining over the VPC). */
  server: string;
  /** The full token text `<tokenId>.<secret>`. */
  token: string;
  containerDir: string;
  hasPreInstallScript: boolean;
  hasPostInstallScript: boolean;
  /** Present when the cluster has private access on. */
  privateAccess?: { apiServerHost: string; vpcAddress: string };
}

export interface JoinCommand {
  /** One line to paste as root on the node. */
  command: string;
  /** Commands to add to the pre-install script when the node joins through the VPC (empty otherwise). */
  privateAccessPreInstall: string[];
  /** Everything an operator reads, as shown by the CLI. */
  text: string;
}

export function renderJoinCommand(input: JoinCommandInput): JoinCommand {
  const server = input.server.replace(/\/+$/, '');
  const env = [
    `EDGEPLANE_SERVER=${shQuote(server)}`,
    `EDGEPLANE_JOIN_TOKEN=${shQuote(input.token)}`,
    `EDGEPLANE_CONTAINER_DIR=${shQuote(input.containerDir)}`,
  ].join(' ');
  const command =
    `curl -fsSL -o edgectl ${shQuote(`${server}/v1/join/edgectl`)} && chmod +x edgectl && ` +
    `${env} ./edgectl install -n <NODE_NAME>`;
  const privateAccessPreInstall = input.privateAccess
    ? [
        `# private (VPC) access: resolve the API server to its VPC address`,
        `grep -q ' ${input.privateAccess.apiServerHost}$' /etc/hosts || echo '${input.privateAccess.vpcAddress} ${input.privateAccess.apiServerHost}' >> /etc/hosts`,
      ]
    : [];
  const lines = [
    '# Run as root on the node. Replace <NODE_NAME> (DNS-1123, not an IP); add -i <INTERFACE> to pick the interface.',
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

import { Command } from 'commander';
import { reportError, useCredentialsFile } from './client.js';
import { registerAdminCommands } from './commands/admin.js';
import { registerClusterCommands } from './commands/cluster.js';
import { registerEventsCommands } from './commands/events.js';
import { registerGridCommands } from './commands/grid.js';
import { registerHealthCommands } from './commands/health.js';
import { registerNodepoolCommands } from './commands/nodepool.js';
import { registerRemoteCommands } from './commands/remote.js';

export function buildProgram(): Command {
  const program = new Command('edgeplane')
    .description('Operate Edgeplane: clusters, nodes, sites (NodeUnits/NodeGroups) and edge health')
    .option(
      '-s, --server <host[:port]>',
      'API endpoint (first port of the service block)',
      process.env.EDGEPLANE_SERVER ?? '127.0.0.1:50051',
    )
    .option(
      '--credentials <file>',
      'credential file (default: EDGEPLANE_CREDENTIALS, else .edgeplane/credentials/admin.yaml from here up, else ~/.edgeplane/credentials.yaml)',
    )
    .hook('preAction', (_program, action) => {
      useCredentialsFile(action.optsWithGlobals<{ credentials?: string }>().credentials);
    })
    .showHelpAfterError()
    .configureOutput({ outputError: (str, write) => write(str) });
  registerClusterCommands(program);
  registerNodepoolCommands(program);
  registerGridCommands(program);
  registerHealthCommands(program);
  registerRemoteCommands(program);
  registerAdminCommands(program);
  registerEventsCommands(program);
  return program;
}

const isMain = process.argv[1] && /edgeplane(\.mjs)?$|main\.ts$/.test(process.argv[1]);
if (isMain) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      process.exitCode = reportError(error);
    });
}

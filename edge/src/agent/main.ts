#!/usr/bin/env node
import { Agent } from './agent.js';
import { loadAgentConfig } from './config.js';
import { createAgentLogger } from './logger.js';

/**
 * `node agent.mjs --config $EDGEPLANE_HOME/agent.json` (or via tsx: edge/src/agent/main.ts).
 * Exit codes: 0 stopped by a signal, 1 failed to start (the reason on stderr), 2 bad usage.
 */
const args = process.argv.slice(2);
const at = args.indexOf('--config');
const file = at >= 0 ? args[at + 1] : undefined;
if (!file) {
  process.stderr.write('usage: agent --config <path to agent.json>\n');
  process.exit(2);
}

try {
  const config = loadAgentConfig(file);
  const logger = createAgentLogger(config.logLevel, { node: config.nodeName });
  const agent = new Agent(config, logger);
  await agent.start();
  const stop = (signal: string) => {
    logger.info({ signal }, 'agent stopping');
    void agent.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
} catch (error) {
  process.stderr.write(`agent failed to start: ${(error as Error).message}\n`);
  process.exit(1);
}

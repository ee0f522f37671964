/**
 * The edge side as a library, for edgectl and tests: the join client (pinned gateway CA, redeem,
 * bundle download), the $EDGEPLANE_HOME layout the agent reads, and the agent's config schema.
 * The agent itself runs from `src/agent/main.ts` (`--config <agent.json>`).
 */
export * from './join/join-client.js';
export * from './agent/home.js';
export { parseAgentConfig, loadAgentConfig, type AgentConfig, type AgentConfigFile } from './agent/config.js';
export {
  tunnelClient,
  TunnelClient,
  CallError,
  Status,
  STREAM_ID_KEY,
  TARGET_KEY,
  TARGET_NODE_KEY,
} from './tunnel/protocol.js';

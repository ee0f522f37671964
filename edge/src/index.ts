/**
 * The edge side as a library, for edgectl and tests: the join client (pinned gateway CA, redeem,
 * bundle download). The agent itself runs from `src/agent/main.ts`.
 */
export * from './join/join-client.js';

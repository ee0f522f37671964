export { tunnelService } from './service.js';
export type { TunnelConfig } from './config.js';

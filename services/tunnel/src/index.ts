export { tunnelService } from './service.js';

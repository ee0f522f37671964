export { addonsService } from './service.js';

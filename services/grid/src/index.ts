export { gridService } from './service.js';

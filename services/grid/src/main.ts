import { runService } from '@edgeplane/service-kit';
import { gridService } from './service.js';

runService(gridService);

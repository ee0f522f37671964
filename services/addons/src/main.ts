import { runService } from '@edgeplane/service-kit';
import { addonsService } from './service.js';

runService(addonsService);

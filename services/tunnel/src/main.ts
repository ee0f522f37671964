import { runService } from '@edgeplane/service-kit';
import { tunnelService } from './service.js';

runService(tunnelService);

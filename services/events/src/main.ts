import { runService } from '@edgeplane/service-kit';
import { eventsService } from './service.js';

runService(eventsService);

import { runService } from '@edgeplane/service-kit';
import { healthArbiterServiceFromEnv } from './service.js';

runService(healthArbiterServiceFromEnv());

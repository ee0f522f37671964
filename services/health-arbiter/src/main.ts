import { runService } from '@edgeplane/service-kit';
import { healthArbiterService } from './service.js';

// A side-by-side instance (tests, the benchmark) picks its own schema with SERVICE_SCHEMA.
runService(healthArbiterService);

import { runService } from '@edgeplane/service-kit';
import { clusterService } from './service.js';

// A side-by-side instance (tests) picks its own schema with SERVICE_SCHEMA (the service kit).
runService(clusterService);

import { runService } from '@edgeplane/service-kit';
import { nodepoolService } from './service.js';

runService(nodepoolService);

import { runService } from '@edgeplane/service-kit';
import { kubeApiService } from './service.js';

runService(kubeApiService);

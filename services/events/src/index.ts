export { eventsService } from './service.js';
export { EVENTS_ACCESS } from './access.js';
export { verifySignature, signatureHeader, SIGNATURE_HEADER } from './webhooks/cloudevent.js';

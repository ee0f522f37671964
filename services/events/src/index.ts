export { eventsService } from './service.js';
export { EVENTS_METHOD_ROLES } from './auth/method-roles.js';
export { verifySignature, signatureHeader, SIGNATURE_HEADER } from './webhooks/cloudevent.js';

import { protoFilesOf } from '@edgeplane/proto';
import type { ServiceDefinition } from '@edgeplane/service-kit';
import { AppModule } from './app.module.js';
import { EVENTS_ACCESS } from './access.js';
import { EventsConfigSchema, type EventsConfig } from './config.js';
import { eventsMigrations } from './db/migrations.js';
import { publicSources } from './stream/sources.js';

// `access` through a plain object: the field is new in the service kit (issue 12)
const definition = {
  name: 'events',
  schema: 'events',
  module: AppModule,
  grpcPackages: ['edgeplane.events.v1'],
  protoFiles: protoFilesOf('events'),
  migrations: eventsMigrations,
  streams: publicSources(),
  configSchema: EventsConfigSchema,
  defaults: { grpcPort: 50058, metricsPort: 9468 },
  access: EVENTS_ACCESS,
};
export const eventsService: ServiceDefinition<EventsConfig> = definition;

import { Module } from '@nestjs/common';
import { keyringProvider } from '@edgeplane/service-kit';
import { CatalogueHttpServer } from './catalogue/catalogue.http.js';
import { EventsIndexer } from './index/events-index.js';
import { Fanout } from './stream/fanout.js';
import { EventsGrpcController } from './subscribe/events.grpc.controller.js';
import { Subscriptions } from './subscribe/subscriptions.js';
import { CLOCK, systemClock } from './tokens.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';
import { WebhooksGrpcController } from './webhooks/webhooks.grpc.controller.js';

/**
 * The public event API: catalogue over HTTP, Subscribe/GetEvent (JetStream ordered consumers over
 * the public source streams, the id index), webhooks (dispatcher + their gRPC methods).
 */
@Module({
  controllers: [EventsGrpcController, WebhooksGrpcController],
  providers: [
    Fanout,
    Subscriptions,
    EventsIndexer,
    WebhookDispatcher,
    CatalogueHttpServer,
    keyringProvider,
    { provide: CLOCK, useValue: systemClock },
  ],
})
export class AppModule {}

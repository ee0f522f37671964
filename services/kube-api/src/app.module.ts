import { Module } from '@nestjs/common';
import { KubeApiRunner } from './kube-api.runner.js';

/** The Kubernetes API front door: an HTTPS server over the owning services' gRPC APIs. */
@Module({ providers: [KubeApiRunner] })
export class AppModule {}

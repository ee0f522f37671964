import { Module } from '@nestjs/common';

/** gRPC streaming gateway that edge agents dial out to (filled by a later milestone). */
@Module({})
export class AppModule {}

import { Module } from '@nestjs/common';

/** Component catalogue and per-cluster installs (filled by a later milestone). */
@Module({})
export class AppModule {}

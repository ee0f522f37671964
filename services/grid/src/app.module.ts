import { Module } from '@nestjs/common';

/** DeploymentGrid, StatefulSetGrid and ServiceGrid rendering and per-unit placement (filled by a later milestone). */
@Module({})
export class AppModule {}

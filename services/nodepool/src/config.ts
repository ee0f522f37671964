import { BaseConfigSchema, type BaseConfig } from '@edgeplane/service-kit';

/** Env of the nodepool service, parsed once at start: the base keys only (it has none of its own yet). */
export const NodepoolConfigSchema = BaseConfigSchema;
export type NodepoolConfig = BaseConfig;

import { serviceTables, type EventStoreTables } from '@edgeplane/eventstore';
import type { Kysely, QueryCreator, Transaction } from 'kysely';
import type { HealthClustersTable } from './health-clusters.table.js';
import type { HealthNodesTable } from './health-nodes.table.js';
import type { HealthSettingsTable } from './health-settings.table.js';
import type { PartitionFencesTable } from './partition-fences.table.js';
import type { VerdictHistoryTable } from './verdict-history.table.js';
import type { VerdictsTable } from './verdicts.table.js';

/** The health-arbiter's own tables (migrations.ts creates them), next to the event store's. */
export type HealthArbiterTables = {
  proj_health_clusters: HealthClustersTable;
  proj_health_nodes: HealthNodesTable;
  proj_health_settings: HealthSettingsTable;
  proj_verdicts: VerdictsTable;
  proj_verdict_history: VerdictHistoryTable;
  health_partition_fences: PartitionFencesTable;
};

export type Database = EventStoreTables & HealthArbiterTables;
export type ServiceDb = Kysely<Database>;
export type ServiceTrx = Transaction<Database>;

export const { tables, inSchema } = serviceTables<HealthArbiterTables>();

/**
 * The arbiter's tables in one instance's schema, on the pool or inside a transaction: what the
 * read-model query functions take (the schema varies: tests and the benchmark run side-by-side
 * instances).
 */
export type SchemaQueries = QueryCreator<Database>;

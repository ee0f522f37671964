import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Db } from '@edgeplane/eventstore';
import type { Logger } from '@edgeplane/observability';
import { DB, KEYRING, LOGGER, SCHEMA, sweepSealedTable, type Keyring } from '@edgeplane/service-kit';
import {
  installScriptContext,
  InstallScriptStore,
  type ScriptKind,
} from '../join-token/install-scripts.store.js';
import { clusterKeyContext } from './key-store.js';

/**
 * At every start, before the port serves: private keys an older version left in plaintext are
 * sealed, records under an older key-encryption key are re-wrapped under the current one (KEK
 * rotation: put the new key first, keep the old one after it for one start, then drop it), every
 * record's data key is checked to open — a wrong or missing KEK ends the start here, naming the
 * table — and install scripts of v1 join-token events are copied into the sealed script store.
 */
@Injectable()
export class SecretsAtRest implements OnModuleInit {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(KEYRING) private readonly keyring: Keyring,
    @Inject(InstallScriptStore) private readonly scripts: InstallScriptStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const keys = await sweepSealedTable(this.db, this.keyring, {
      schema: this.schema,
      table: 'cluster_keys',
      key: ['cluster_id'],
      columns: [
        {
          plain: 'ca_key_pem',
          sealed: 'ca_key_sealed',
          context: (k) => clusterKeyContext(k.cluster_id!, 'ca_key'),
        },
        {
          plain: 'admin_key_pem',
          sealed: 'admin_key_sealed',
          context: (k) => clusterKeyContext(k.cluster_id!, 'admin_key'),
        },
      ],
    });
    const copied = await this.scripts.backfillFromV1();
    const scripts = await sweepSealedTable(this.db, this.keyring, {
      schema: this.schema,
      table: 'join_token_scripts',
      key: ['token_id', 'kind'],
      columns: [
        {
          sealed: 'script_sealed',
          context: (k) => installScriptContext(k.token_id!, k.kind as ScriptKind),
        },
      ],
    });
    this.logger.info(
      {
        kek: this.keyring.currentId,
        clusterKeys: keys,
        installScripts: { ...scripts, copiedFromV1Events: copied },
      },
      'secrets at rest checked',
    );
  }
}

import { CriDriver } from './cri/driver.js';
import type { BackoffOptions } from './pod.js';
import { ProcessDriver } from './process/driver.js';
import type { DriverLogger, RuntimeDriver } from './types.js';

export { CriDriver } from './cri/driver.js';
export { ProcessDriver } from './process/driver.js';
export { PodReconciler } from './reconciler.js';
export { PodSpecError, validatePodSpec } from './pod.js';
export type * from './types.js';

export interface RuntimeOptions {
  /** `cri`: containerd's CRI on `socket`; `process`: local processes */
  kind: 'cri' | 'process';
  nodeName: string;
  /** where logs (and the process driver's pod directories) go */
  stateDir: string;
  socket?: string;
  backoff?: BackoffOptions;
  logger?: DriverLogger;
}

/** The driver the agent runs its pods with (agent.json `runtime`, later). */
export function createRuntime(o: RuntimeOptions): RuntimeDriver {
  if (o.kind === 'cri') {
    if (!o.socket) throw new Error('the cri runtime needs the containerd socket');
    return new CriDriver({
      socket: o.socket,
      nodeName: o.nodeName,
      logRoot: `${o.stateDir}/pods`,
      backoff: o.backoff,
      logger: o.logger,
    });
  }
  return new ProcessDriver({
    nodeName: o.nodeName,
    root: `${o.stateDir}/pods`,
    backoff: o.backoff,
    logger: o.logger,
  });
}

/** One JSON line per event on stdout (edgectl sends it to $EDGEPLANE_HOME/agent.log). No secrets are ever passed in. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface AgentLogger {
  debug(fields: Record<string, unknown>, msg: string): void;
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

export function createAgentLogger(level: LogLevel, base: Record<string, unknown>): AgentLogger {
  const min = RANK[level];
  const line = (lvl: Exclude<LogLevel, 'silent'>) => (fields: Record<string, unknown>, msg: string) => {
    if (RANK[lvl] < min) return;
    process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), level: lvl, ...base, ...fields, msg })}\n`,
    );
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

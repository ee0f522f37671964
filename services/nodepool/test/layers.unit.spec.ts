import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Layers point down (docs/architecture.md, "How a service is laid out"): every file of the
 * service has a role, and a role imports only the roles below it. madge finds loops between
 * files; this finds an import that goes up — the kind that let nodepool's folders import each
 * other in a loop (deciders → engine → unit spec beside the deciders).
 */
const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');

type Role =
  | 'syntax' // shared/: Kubernetes names, label selectors
  | 'model' // model/: the specs operators declare, validation
  | 'rules' // membership/ (the engine), kins/: pure rules over models
  | 'state' // <aggregate>.state.ts
  | 'decide' // <aggregate>[.<group>].decide.ts
  | 'views' // <aggregate>.views.ts
  | 'decider' // <aggregate>.decider.ts
  | 'plan' // pure plans over deciders and models: reconcile, apply, the YAML parser
  | 'db' // db/: tables, database types, frozen migrations
  | 'projection'
  | 'read-model'
  | 'infra' // tokens.ts, config.ts
  | 'handler' // <aggregate>.handler.ts, the reconciler and the cluster lock
  | 'mapping' // proto ↔ domain beside the controllers
  | 'controller'
  | 'consumer'
  | 'app'; // app.module.ts, service.ts, main.ts, index.ts

const PURE: Role[] = ['syntax', 'model', 'rules', 'state'];
const BELOW_HANDLERS: Role[] = [
  ...PURE,
  'decide',
  'views',
  'decider',
  'plan',
  'db',
  'projection',
  'read-model',
  'infra',
];

const MAY_IMPORT: Record<Role, Role[]> = {
  syntax: ['syntax'],
  model: ['syntax', 'model'],
  rules: ['syntax', 'model', 'rules'],
  state: PURE,
  decide: [...PURE, 'decide'],
  views: [...PURE, 'views'],
  decider: ['state', 'decide'],
  plan: [...PURE, 'decider', 'plan'],
  db: ['rules', 'state', 'db'],
  projection: ['state', 'db', 'projection'],
  'read-model': [...PURE, 'views', 'plan', 'db', 'read-model'],
  infra: [],
  handler: [...BELOW_HANDLERS, 'handler'],
  mapping: [...PURE, 'views', 'read-model', 'mapping'],
  controller: [...BELOW_HANDLERS, 'handler', 'mapping'],
  consumer: [...BELOW_HANDLERS, 'handler'],
  app: [...BELOW_HANDLERS, 'handler', 'mapping', 'controller', 'consumer', 'app'],
};

function roleOf(file: string): Role {
  const [folder] = file.split('/');
  const base = path.basename(file);
  if (['app.module.ts', 'service.ts', 'main.ts', 'index.ts'].includes(file)) return 'app';
  if (file === 'tokens.ts' || file === 'config.ts') return 'infra';
  if (folder === 'shared') return 'syntax';
  if (folder === 'model') return 'model';
  if (folder === 'membership' || folder === 'kins') return 'rules';
  if (folder === 'db') return 'db';
  if (folder === 'projections') return 'projection';
  if (folder === 'read-model') return 'read-model';
  if (folder === 'consumers') return 'consumer';
  if (base.endsWith('.grpc.controller.ts')) return 'controller';
  if (base.endsWith('.mapping.ts')) return 'mapping';
  if (base.endsWith('.handler.ts') || base.endsWith('.reconciler.ts') || base === 'cluster-lock.ts')
    return 'handler';
  if (base.endsWith('.state.ts')) return 'state';
  if (base.endsWith('.decide.ts')) return 'decide';
  if (base.endsWith('.views.ts')) return 'views';
  if (base.endsWith('.decider.ts')) return 'decider';
  if (['reconcile-plan.ts', 'apply-plan.ts', 'superedge-yaml.parser.ts'].includes(base)) return 'plan';
  throw new Error(`no role for ${file}: name it by its role (docs/architecture.md)`);
}

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.relative(SRC, path.join(dir, e.name))]
        : [],
  );
}

function localImports(file: string): string[] {
  const text = readFileSync(path.join(SRC, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)'/g)].map((m) =>
    path.relative(SRC, path.resolve(path.dirname(path.join(SRC, file)), m[1]!)).replace(/\.js$/, '.ts'),
  );
}

describe('nodepool layers', () => {
  const files = sourceFiles();

  it('every product file has a role, and none is named like a test', () => {
    expect(files.filter((f) => f.endsWith('.spec.ts'))).toEqual([]);
    for (const f of files) roleOf(f);
  });

  it('imports only point down', () => {
    const upward = files.flatMap((file) =>
      localImports(file)
        .filter((target) => !MAY_IMPORT[roleOf(file)].includes(roleOf(target)))
        .map((target) => `${file} (${roleOf(file)}) → ${target} (${roleOf(target)})`),
    );
    expect(upward).toEqual([]);
  });
});

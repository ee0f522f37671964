import {
  Alert,
  Button,
  Form,
  FormGroup,
  List,
  ListItem,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  TextArea,
} from '@patternfly/react-core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { parseAllDocuments } from 'yaml';
import { kubeGet, kubeSend } from '../api';
import { useCanAll, type CanAsk } from '../auth/can';
import { SITE_GROUP } from './site';

const MAX_BYTES = 1024 * 1024;
const MAX_DOCUMENTS = 100;
export const FIELD_MANAGER = 'edgeplane-console';

interface ResourceList {
  resources: { name: string; kind: string; namespaced: boolean }[];
}
export interface ImportResult {
  ok: boolean;
  text: string;
}

/**
 * Each document of `text`, in order, applied through the kube API by server-side apply (PATCH
 * application/apply-patch+yaml, fieldManager=edgeplane-console, fieldValidation=Strict): created
 * (201) or configured (200), else the API's reason. The kind's plural and scope come from the API's
 * own discovery of its group-version, so any kind the API serves can be imported.
 */
export async function importYaml(text: string, onResult: (r: ImportResult) => void): Promise<void> {
  if (new TextEncoder().encode(text).length > MAX_BYTES)
    return onResult({ ok: false, text: `the YAML is larger than ${MAX_BYTES / 1024} KiB` });
  const docs = parseAllDocuments(text);
  const all = Array.isArray(docs) ? docs : [docs];
  if (all.length > MAX_DOCUMENTS)
    return onResult({ ok: false, text: `${all.length} documents: at most ${MAX_DOCUMENTS} at once` });
  const discovery = new Map<string, Promise<ResourceList>>();
  let seen = 0;
  for (const [i, doc] of all.entries()) {
    const where = `document ${i + 1}`;
    if (doc.errors.length) {
      seen += 1;
      onResult({ ok: false, text: `${where}: not YAML: ${doc.errors[0]!.message.split('\n')[0]}` });
      continue;
    }
    type Head = { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
    let obj: Head | null;
    try {
      // no aliases: a small document cannot expand into a huge one (billion laughs)
      obj = doc.toJS({ maxAliasCount: 0 }) as Head | null;
    } catch (e) {
      seen += 1;
      onResult({ ok: false, text: `${where}: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    if (obj === null || obj === undefined) continue; // an empty document (a trailing ---)
    seen += 1;
    const { apiVersion, kind } = obj;
    const name = obj.metadata?.name;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof name !== 'string' || !name) {
      onResult({ ok: false, text: `${where}: apiVersion, kind and metadata.name are required` });
      continue;
    }
    const label = `${kind}/${name}`;
    const gvPath = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    try {
      if (!discovery.has(gvPath)) discovery.set(gvPath, kubeGet<ResourceList>(gvPath));
      const list = await discovery.get(gvPath)!.catch(() => {
        throw new Error(`${apiVersion} is not served by this cluster's API`);
      });
      const r = list.resources.find((x) => x.kind === kind && !x.name.includes('/'));
      if (!r) throw new Error(`kind ${kind} is not served in ${apiVersion}`);
      const ns = r.namespaced
        ? `/namespaces/${encodeURIComponent(typeof obj.metadata?.namespace === 'string' ? obj.metadata.namespace : 'default')}`
        : '';
      const res = await kubeSend<unknown>(
        'PATCH',
        `${gvPath}${ns}/${r.name}/${encodeURIComponent(name)}?fieldManager=${FIELD_MANAGER}&fieldValidation=Strict`,
        { body: JSON.stringify(obj), contentType: 'application/apply-patch+yaml' },
      );
      onResult({ ok: true, text: `${label} ${res.status === 201 ? 'created' : 'configured'}` });
    } catch (e) {
      onResult({ ok: false, text: `${label}: ${(e as Error).message}` });
    }
  }
  if (!seen) onResult({ ok: false, text: 'no documents to import' });
}

/** The site kinds: who may server-side apply (patch) a NodeUnit or NodeGroup may import. */
export const SITE_IMPORT: CanAsk[] = [
  { verb: 'patch', group: SITE_GROUP, resource: 'nodeunits' },
  { verb: 'patch', group: SITE_GROUP, resource: 'nodegroups' },
];

/**
 * "Import YAML" (as OpenShift's and Rancher's): paste or upload, one result line per document.
 * Shown when the user may apply any of `kinds` (useCan; the API decides per document anyway).
 */
export function ImportYamlButton({ kinds = SITE_IMPORT }: { kinds?: CanAsk[] }) {
  const can = useCanAll(kinds).some(Boolean);
  const [open, setOpen] = useState(false);
  if (!can) return null;
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)} data-testid="import-yaml">
        Import YAML
      </Button>
      {open && <ImportYamlModal onClose={() => setOpen(false)} />}
    </>
  );
}

export function ImportYamlModal({ onClose }: { onClose: () => void }) {
  const client = useQueryClient();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<ImportResult[]>([]);
  const [fileError, setFileError] = useState('');
  return (
    <Modal isOpen variant="large" onClose={onClose} aria-labelledby="import-title">
      <ModalHeader
        title="Import YAML"
        labelId="import-title"
        description="NodeUnits, NodeGroups, grids — one or more documents separated by ---. Each is created or updated by server-side apply."
      />
      <ModalBody>
        {results.length > 0 && (
          <List isPlain data-testid="import-results" style={{ marginBottom: 16 }}>
            {results.map((r, i) => (
              <ListItem key={i} data-testid={`import-result-${i}`} data-ok={r.ok}>
                <span
                  style={{
                    color: r.ok
                      ? 'var(--pf-t--global--color--status--success--default)'
                      : 'var(--pf-t--global--color--status--danger--default)',
                  }}
                >
                  {r.ok ? '✔' : '✖'}
                </span>{' '}
                {r.text}
              </ListItem>
            ))}
          </List>
        )}
        <Form onSubmit={(e) => e.preventDefault()}>
          <FormGroup label="YAML" fieldId="import-text">
            <TextArea
              id="import-text"
              data-testid="import-text"
              value={text}
              onChange={(_e, v) => setText(v)}
              rows={14}
              resizeOrientation="vertical"
              style={{ fontFamily: 'var(--pf-t--global--font--family--mono)', fontSize: 13 }}
              aria-label="YAML to import"
            />
          </FormGroup>
          <FormGroup label="Or upload a file" fieldId="import-file">
            <input
              id="import-file"
              type="file"
              accept=".yaml,.yml,.json,text/yaml,application/json"
              data-testid="import-file"
              onChange={async (e) => {
                setFileError('');
                const file = e.target.files?.[0];
                if (!file) return;
                if (file.size > MAX_BYTES) return setFileError(`${file.name} is larger than 1 MiB`);
                setText(await file.text());
              }}
            />
            {fileError && <Alert variant="danger" isInline isPlain title={fileError} />}
          </FormGroup>
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button
          variant="primary"
          data-testid="import-apply"
          isLoading={busy}
          isDisabled={busy || !text.trim()}
          onClick={async () => {
            setBusy(true);
            setResults([]);
            try {
              await importYaml(text, (r) => setResults((old) => [...old, r]));
            } finally {
              setBusy(false);
              void client.invalidateQueries({ queryKey: ['site'] });
            }
          }}
        >
          Import
        </Button>
        <Button variant="link" onClick={onClose} data-testid="import-close">
          Close
        </Button>
      </ModalFooter>
    </Modal>
  );
}

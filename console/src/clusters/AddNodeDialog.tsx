import {
  Alert,
  Button,
  ClipboardCopyButton,
  CodeBlock,
  CodeBlockAction,
  CodeBlockCode,
  FormGroup,
  FormSelect,
  FormSelectOption,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
} from '@patternfly/react-core';
import { useState } from 'react';
import { canEditClusters, isPlatformSession, mgmt, type JoinTokenAnswer } from './clusters-api';

const EXPIRIES: [number, string][] = [
  [3600, '1 hour'],
  [2 * 3600, '2 hours'],
  [8 * 3600, '8 hours'],
  [24 * 3600, '24 hours'],
];

/**
 * "Add node": a join token (`POST …/clusters/<id>/jointokens`, the cluster service's
 * CreateJoinToken) and the join command to run as root on the node, as `edgeplane token create`
 * prints it, with a copy button. The token is shown once; nothing of it is kept in the page after
 * the dialog closes. Needs public or private access on (the cluster service says so otherwise).
 */
export function AddNodeButton({ clusterId }: { clusterId: string }) {
  const [open, setOpen] = useState(false);
  const [ttl, setTtl] = useState(7200);
  const [answer, setAnswer] = useState<JoinTokenAnswer>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  // a kubeconfig session cannot reach the management API; edit or cluster-admin may make tokens
  if (!isPlatformSession() || !canEditClusters()) return null;

  async function create() {
    setBusy(true);
    setError(undefined);
    try {
      setAnswer(
        await mgmt<JoinTokenAnswer>('POST', `/clusters/${encodeURIComponent(clusterId)}/jointokens`, {
          body: { expirationSeconds: ttl },
        }),
      );
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }
  const close = () => {
    setOpen(false);
    setAnswer(undefined);
    setError(undefined);
  };
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)} data-testid="add-node">
        Add node
      </Button>
      <Modal
        isOpen={open}
        onClose={close}
        variant="medium"
        aria-labelledby="add-node-title"
        data-testid="add-node-dialog"
      >
        <ModalHeader title="Add a node" labelId="add-node-title" />
        <ModalBody>
          {!answer && (
            <FormGroup label="The join token expires after" fieldId="join-ttl">
              <FormSelect
                id="join-ttl"
                value={String(ttl)}
                onChange={(_e, v) => setTtl(Number(v))}
                aria-label="Expiry"
              >
                {EXPIRIES.map(([s, label]) => (
                  <FormSelectOption key={s} value={String(s)} label={label} />
                ))}
              </FormSelect>
            </FormGroup>
          )}
          {error && (
            <Alert variant="danger" isInline title="No join token" data-testid="join-error">
              {error}
            </Alert>
          )}
          {answer && (
            <>
              <p>
                Run as root on the node (Node.js 20 or later); replace <code>&lt;NODE_NAME&gt;</code> with the
                node&apos;s name. Token <code>{answer.metadata.name}</code>, valid until{' '}
                {answer.status.expirationTimestamp}; it is shown once.
              </p>
              {answer.status.joinCommand ? (
                <CodeBlock
                  actions={
                    <CodeBlockAction>
                      <ClipboardCopyButton
                        id="join-command-copy"
                        textId="join-command"
                        aria-label="Copy the join command"
                        data-testid="join-command-copy"
                        exitDelay={copied ? 1500 : 600}
                        variant="plain"
                        onClick={() => {
                          void navigator.clipboard
                            ?.writeText(answer.status.joinCommand)
                            .then(() => setCopied(true));
                        }}
                        onTooltipHidden={() => setCopied(false)}
                      >
                        {copied ? 'Copied' : 'Copy to clipboard'}
                      </ClipboardCopyButton>
                    </CodeBlockAction>
                  }
                >
                  <CodeBlockCode
                    id="join-command"
                    data-testid="join-command"
                    style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
                  >
                    {answer.status.joinCommand}
                  </CodeBlockCode>
                </CodeBlock>
              ) : (
                <Alert variant="warning" isInline title="No join command yet" data-testid="join-error">
                  {answer.status.instructions}
                </Alert>
              )}
              {answer.status.privateAccessPreInstall.length > 0 && (
                <>
                  <p style={{ marginTop: 12 }}>
                    Joining through the VPC (private access)? Add to the pre-install script:
                  </p>
                  <CodeBlock>
                    <CodeBlockCode>{answer.status.privateAccessPreInstall.join('\n')}</CodeBlockCode>
                  </CodeBlock>
                </>
              )}
            </>
          )}
        </ModalBody>
        <ModalFooter>
          {!answer && (
            <Button variant="primary" onClick={create} isLoading={busy} data-testid="join-create">
              Create join command
            </Button>
          )}
          <Button variant="link" onClick={close} data-testid="add-node-close">
            {answer ? 'Done' : 'Cancel'}
          </Button>
        </ModalFooter>
      </Modal>
    </>
  );
}

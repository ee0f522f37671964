import {
  ActionGroup,
  Alert,
  Button,
  Card,
  CardBody,
  CardTitle,
  FileUpload,
  Form,
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  PageSection,
} from '@patternfly/react-core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { saveSession, type Session } from './session';

/** Log in with a kubeconfig (pasted or uploaded): the console server trades its certificate for a token. */
export function LoginPage() {
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [filename, setFilename] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch('/api/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kubeconfig: text }),
      });
      const body = (await res.json().catch(() => ({}))) as Partial<Session> & { message?: string };
      if (!res.ok || !body.token) throw new Error(body.message ?? `login failed (${res.status})`);
      saveSession(body as Session);
      // a platform credential (kind: Credentials) sees every cluster: the clusters list first
      navigate(
        body.scope === 'platform' ? '/clusters' : `/clusters/${encodeURIComponent(body.clusterId!)}/nodes`,
      );
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <PageSection>
      <Card style={{ maxWidth: 760, margin: '0 auto' }}>
        <CardTitle component="h1">Log in to Edgeplane</CardTitle>
        <CardBody>
          <Form onSubmit={submit}>
            <FormGroup label="Kubeconfig or credential file" isRequired fieldId="kubeconfig">
              <FileUpload
                id="kubeconfig"
                type="text"
                value={text}
                filename={filename}
                filenamePlaceholder="Drag a kubeconfig here, upload it, or paste it below"
                onFileInputChange={(_e, file) => setFilename(file.name)}
                onDataChange={(_e, data) => setText(data)}
                onTextChange={(_e, value) => setText(value)}
                onClearClick={() => {
                  setText('');
                  setFilename('');
                }}
                allowEditingUploadedText
                browseButtonText="Upload"
                textAreaPlaceholder="apiVersion: v1\nkind: Config\n…"
              />
              <FormHelperText>
                <HelperText>
                  <HelperTextItem>
                    The kubeconfig from <code>edgeplane cluster kubeconfig</code> (one cluster), or a platform
                    credential file such as <code>.edgeplane/credentials/admin.yaml</code> (kind: Credentials:
                    every cluster, creating clusters). Its client certificate is exchanged for a bearer token
                    by the console server; this tab keeps only the token.
                  </HelperTextItem>
                </HelperText>
              </FormHelperText>
            </FormGroup>
            {error && (
              <Alert variant="danger" isInline title="Login failed" data-testid="login-error">
                {error}
              </Alert>
            )}
            <ActionGroup>
              <Button type="submit" variant="primary" isDisabled={!text.trim() || busy} isLoading={busy}>
                Log in
              </Button>
            </ActionGroup>
          </Form>
        </CardBody>
      </Card>
    </PageSection>
  );
}

import {
  Alert,
  Button,
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  Label,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
} from '@patternfly/react-core';
import { useState, type ReactNode } from 'react';

export function ReadyLabel({ ready, notReady, rate }: { ready: number; notReady: number; rate?: string }) {
  const color = notReady === 0 && ready > 0 ? 'green' : notReady ? 'red' : 'grey';
  return (
    <Label color={color} isCompact>
      {rate ?? `${ready}/${ready + notReady}`}
    </Label>
  );
}

const KINS_COLOR: Record<string, 'grey' | 'blue' | 'green' | 'red' | 'orange'> = {
  none: 'grey',
  promoting: 'blue',
  independent: 'green',
  failed: 'red',
  demoting: 'orange',
};

export function KinsLabel({ phase }: { phase: string | undefined }) {
  const p = phase || 'none';
  return (
    <Label color={KINS_COLOR[p] ?? 'grey'} isCompact data-testid="kins-phase">
      {p === 'none' ? 'not K3s' : p}
    </Label>
  );
}

/** A form field with the API's refusal for it under the input (helper text, error variant). */
export function Field({
  label,
  fieldId,
  error,
  hint,
  isRequired,
  children,
}: {
  label: string;
  fieldId: string;
  error?: string;
  hint?: string;
  isRequired?: boolean;
  children: ReactNode;
}) {
  return (
    <FormGroup label={label} fieldId={fieldId} isRequired={isRequired}>
      {children}
      {(error || hint) && (
        <FormHelperText>
          <HelperText>
            <HelperTextItem
              variant={error ? 'error' : 'default'}
              data-testid={error ? `error-${fieldId}` : undefined}
            >
              {error || hint}
            </HelperTextItem>
          </HelperText>
        </FormHelperText>
      )}
    </FormGroup>
  );
}

/**
 * "Delete <kind> <name>?" — the request runs on confirm; a refusal (e.g. a K3s unit: demote first)
 * stays in the dialog in the API's words.
 */
export function ConfirmDelete({
  kind,
  name,
  onDelete,
  onClose,
  onDone,
}: {
  kind: string;
  name: string;
  onDelete: () => Promise<unknown>;
  onClose: () => void;
  onDone: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  return (
    <Modal isOpen variant="small" onClose={onClose} aria-labelledby="confirm-delete-title">
      <ModalHeader
        title={`Delete ${kind} ${name}?`}
        labelId="confirm-delete-title"
        titleIconVariant="warning"
      />
      <ModalBody>
        {kind === 'NodeUnit'
          ? 'Its nodes lose the unit’s labels, annotations and taints; groups that name it lose it.'
          : 'Its nodes lose the group’s labels; the units stay.'}
        {error && (
          <Alert
            variant="danger"
            isInline
            title="The API refused the delete"
            data-testid="delete-error"
            style={{ marginTop: 12 }}
          >
            {error}
          </Alert>
        )}
      </ModalBody>
      <ModalFooter>
        <Button
          variant="danger"
          isLoading={busy}
          isDisabled={busy}
          data-testid="confirm-delete"
          onClick={async () => {
            setBusy(true);
            setError('');
            try {
              await onDelete();
              onDone();
            } catch (e) {
              setError((e as Error).message);
            } finally {
              setBusy(false);
            }
          }}
        >
          Delete
        </Button>
        <Button variant="link" onClick={onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}

/** Bring the API's refusal into view (the form is longer than the screen). */
export function showFirstError() {
  requestAnimationFrame(() =>
    document
      .querySelector('[data-testid="form-error"], [data-testid^="error-"]')
      ?.scrollIntoView({ block: 'center' }),
  );
}

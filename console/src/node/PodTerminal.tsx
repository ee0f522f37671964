import '@xterm/xterm/css/xterm.css';
import { Alert, Button, Label } from '@patternfly/react-core';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import { loadSession } from '../session';

/**
 * A shell in a pod's container in the browser: xterm.js on the kube API's `pods/<name>/exec`
 * WebSocket (`v5.channel.k8s.io`) through the console server. The bearer token travels as the
 * subprotocol `base64url.bearer.authorization.k8s.io.<token>` (Kubernetes' convention; never in
 * the URL). The API runs commands without a terminal (no `tty`: the agent pipes stdin), so this
 * component is the line discipline: it echoes what is typed, edits the line (Backspace, Ctrl-U,
 * Ctrl-C drops it) and sends it on Enter; Ctrl-D on an empty line is end of input.
 */
const CH = { stdin: 0, stdout: 1, stderr: 2, error: 3, close: 255 } as const;
export const WS_BEARER_PREFIX = 'base64url.bearer.authorization.k8s.io.';

type State = 'connecting' | 'open' | 'ended' | 'failed';

function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function execUrl(
  clusterId: string,
  namespace: string,
  pod: string,
  command: string[],
  container?: string,
) {
  const q = new URLSearchParams();
  for (const c of command) q.append('command', c);
  if (container) q.set('container', container);
  q.set('stdin', 'true');
  q.set('stdout', 'true');
  q.set('stderr', 'true');
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/k8s/clusters/${encodeURIComponent(clusterId)}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/exec?${q}`;
}

export function PodTerminal({
  namespace,
  pod,
  command,
  container,
}: {
  namespace: string;
  pod: string;
  command: string[];
  container?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<State>('connecting');
  const [reason, setReason] = useState<string>();
  const [attempt, setAttempt] = useState(0);

  // the command as one value: a new array with the same words opens no new session
  const commandKey = JSON.stringify(command);
  useEffect(() => {
    const words = JSON.parse(commandKey) as string[];
    const session = loadSession();
    if (!session || !host.current) return;
    setState('connecting');
    setReason(undefined);
    const term = new Terminal({
      convertEol: true,
      cursorBlink: true,
      fontSize: 14,
      rows: 24,
      scrollback: 5000,
      screenReaderMode: false,
    });
    term.open(host.current);
    term.writeln(`\x1b[90m${namespace}/${pod}$ ${words.join(' ')}\x1b[0m`);
    const ws = new WebSocket(execUrl(session.clusterId, namespace, pod, words, container), [
      'v5.channel.k8s.io',
      `${WS_BEARER_PREFIX}${base64url(session.token)}`,
    ]);
    ws.binaryType = 'arraybuffer';
    const encoder = new TextEncoder();
    const decoder = { out: new TextDecoder(), err: new TextDecoder() };
    let line = '';
    // what the command printed since its last newline (its prompt): output that arrives while a
    // line is being typed is written before that line, which is then drawn again after it
    let tail = '';
    const show = (text: string) => {
      if (line) term.write(`\r\x1b[K${tail}`);
      term.write(text);
      const nl = text.lastIndexOf('\n');
      tail = nl >= 0 ? text.slice(nl + 1) : tail + text;
      if (line) term.write(line);
    };
    let ended = false;
    const send = (channel: number, bytes: Uint8Array) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      const frame = new Uint8Array(bytes.length + 1);
      frame[0] = channel;
      frame.set(bytes, 1);
      ws.send(frame);
    };
    ws.onopen = () => {
      setState('open');
      term.focus();
    };
    ws.onmessage = (m) => {
      const data = new Uint8Array(m.data as ArrayBuffer);
      const payload = data.subarray(1);
      if (data[0] === CH.stdout) show(decoder.out.decode(payload, { stream: true }));
      else if (data[0] === CH.stderr) show(decoder.err.decode(payload, { stream: true }));
      else if (data[0] === CH.error) {
        ended = true;
        const status = JSON.parse(new TextDecoder().decode(payload)) as { status?: string; message?: string };
        if (status.status === 'Success') {
          term.writeln('\r\n\x1b[90m[the command ended]\x1b[0m');
          setState('ended');
        } else {
          term.writeln(`\r\n\x1b[31m${status.message ?? 'the command failed'}\x1b[0m`);
          setReason(status.message ?? 'the command failed');
          setState('failed');
        }
      }
    };
    ws.onclose = (e) => {
      if (ended) return;
      const why = e.reason || `the connection closed (code ${e.code}) without an answer from the API`;
      term.writeln(`\r\n\x1b[31m${why}\x1b[0m`);
      setReason(why);
      setState('failed');
    };
    const input = term.onData((data) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      for (const ch of data) {
        if (ch === '\r' || ch === '\n') {
          term.write('\r\n');
          tail = '';
          send(CH.stdin, encoder.encode(`${line}\n`));
          line = '';
        } else if (ch === '\x7f' || ch === '\b') {
          if (line) {
            line = [...line].slice(0, -1).join('');
            term.write('\b \b');
          }
        } else if (ch === '\x03' || ch === '\x15') {
          // Ctrl-C / Ctrl-U: the line is dropped (no signal reaches a command without a terminal)
          term.write(ch === '\x03' ? '^C\r\n' : `\r\x1b[K${tail}`);
          if (ch === '\x03') tail = '';
          line = '';
        } else if (ch === '\x04') {
          if (!line) ws.send(new Uint8Array([CH.close, CH.stdin]));
        } else if (ch >= ' ' || ch === '\t') {
          line += ch;
          term.write(ch);
        }
      }
    });
    return () => {
      input.dispose();
      ws.onclose = null;
      ws.close();
      term.dispose();
    };
  }, [namespace, pod, container, commandKey, attempt]);

  return (
    <div>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', marginBottom: 8 }}>
        <Label
          data-testid="terminal-state"
          color={state === 'open' ? 'green' : state === 'failed' ? 'red' : 'grey'}
          isCompact
        >
          {state === 'open'
            ? 'Connected'
            : state === 'connecting'
              ? 'Connecting…'
              : state === 'ended'
                ? 'Ended'
                : 'Failed'}
        </Label>
        {(state === 'ended' || state === 'failed') && (
          <Button variant="secondary" size="sm" onClick={() => setAttempt((a) => a + 1)}>
            Reconnect
          </Button>
        )}
      </div>
      {reason && (
        <Alert
          variant="danger"
          isInline
          title="The API refused or ended the session"
          data-testid="terminal-error"
        >
          {reason}
        </Alert>
      )}
      <div
        ref={host}
        data-testid="terminal"
        style={{ background: '#000', padding: 4, minHeight: 200, maxWidth: '100%', overflow: 'hidden' }}
      />
    </div>
  );
}

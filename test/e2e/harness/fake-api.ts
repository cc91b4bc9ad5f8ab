// A scripted fake of the Anthropic Messages API for driving the real Claude Code CLI offline
// (shared/claude-code-spec.md §8): POST /v1/messages answered with SSE built from a turn script.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { track } from './cleanup.js';

export interface ToolUse {
  name: string;
  input: Record<string, unknown>;
  /** Fixed id; generated (`toolu_fake_<n>`) when absent. */
  id?: string;
}

export interface Turn {
  /** Pick this turn for the first request whose raw body contains this substring. */
  match?: string;
  /** Pick this turn for the first request this returns true for. */
  when?: (request: RecordedRequest) => boolean;
  /** Assistant text; with `toolUses` it comes first. */
  text?: string;
  toolUses?: ToolUse[];
  /** Which requests the turn may answer (default `main`: Agent-tool subagents and /compact forks get the fallback). */
  kind?: RequestKind | 'any';
  /** Name for assertions and error messages. */
  label?: string;
  /**
   * Answer only once this holds (the turn is picked on arrival, its answer waits). Checked at once, whenever another
   * request arrives and every 20 ms (for conditions on disk); other requests are answered meanwhile. Lets a test
   * order concurrent subagents: "answer this writer only after the main session's write was judged".
   */
  holdUntil?: (requests: RecordedRequest[]) => boolean;
  /** How long a hold may last (default 30 s); then the turn answers with an error text and `holdTimeouts` names it. */
  holdTimeoutMs?: number;
}

/** `main`: the session's own loop; `subagent`: an Agent-tool subagent; `compact`: a /compact summary fork. */
export type RequestKind = 'main' | 'subagent' | 'compact';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  raw: string;
  /** Parsed JSON body (undefined when the body is not JSON). */
  body: MessagesBody | undefined;
  kind: RequestKind;
  /** performance.now() when the request's body had arrived (for latency measurements). */
  receivedAt: number;
  /** The turn that answered it; undefined when the fallback answered. */
  turn: Turn | undefined;
  /** Ids of the tool_use blocks sent in the answer. */
  toolUseIds: string[];
}

export interface MessagesBody {
  model?: string;
  system?: unknown;
  messages?: Message[];
  tools?: Array<{ name?: string }>;
  stream?: boolean;
  [key: string]: unknown;
}

export interface Message {
  role: string;
  content: string | ContentBlock[];
}

export type ContentBlock = { type: string; [key: string]: unknown };

export interface FakeApi {
  /** `http://127.0.0.1:<port>` for ANTHROPIC_BASE_URL. */
  url: string;
  port: number;
  /** Every POST /v1/messages, in arrival order. */
  requests: RecordedRequest[];
  /** Every other request (method + url), answered 404. */
  otherRequests: Array<{ method: string; url: string }>;
  /** Turns not used yet. */
  unconsumed(): Turn[];
  /** Adds turns to the script (e.g. between runs against the same server). */
  script(turns: Turn[]): void;
  /** Labels of held turns whose condition never came true in time (see Turn.holdUntil). */
  holdTimeouts: string[];
  stop(): Promise<void>;
}

/** The answer when no scripted turn fits (subagents, runs that go on longer than scripted). */
export const FALLBACK_TEXT = 'ok';
/** The fallback for /compact forks, in the shape the CLI asks for. */
export const COMPACT_FALLBACK_TEXT = '<analysis>ok</analysis>\n<summary>ok</summary>';

let nextId = 0;
const freshId = (prefix: string) => `${prefix}_fake_${process.pid}_${++nextId}`;

export async function startFakeApi(turns: Turn[] = []): Promise<FakeApi> {
  const script: Array<{ turn: Turn; used: boolean }> = turns.map((turn) => ({ turn, used: false }));
  const requests: RecordedRequest[] = [];
  const otherRequests: Array<{ method: string; url: string }> = [];
  const sockets = new Set<Socket>();
  const holdTimeouts: string[] = [];
  const arrivals = new Set<() => void>();
  const pendingHolds = new Set<(ok: boolean) => void>();

  /** Resolves once turn.holdUntil holds, or false after its timeout. */
  const hold = (turn: Turn): Promise<boolean> =>
    new Promise((resolve) => {
      const until = turn.holdUntil;
      if (!until) return resolve(true);
      let timer: NodeJS.Timeout | undefined;
      let deadline: NodeJS.Timeout | undefined;
      const finish = (ok: boolean) => {
        pendingHolds.delete(finish);
        arrivals.delete(check);
        clearInterval(timer);
        clearTimeout(deadline);
        resolve(ok);
      };
      const check = () => {
        try {
          if (until(requests)) finish(true);
        } catch {
          finish(false);
        }
      };
      arrivals.add(check);
      pendingHolds.add(finish);
      timer = setInterval(check, 20);
      deadline = setTimeout(() => finish(false), turn.holdTimeoutMs ?? 30_000);
      check();
    });

  const choose = (request: RecordedRequest): Turn | undefined => {
    const open = script.filter((s) => !s.used && ((s.turn.kind ?? 'main') === 'any' || (s.turn.kind ?? 'main') === request.kind));
    const keyed = open.find(
      (s) => (s.turn.match !== undefined || s.turn.when !== undefined) && (s.turn.match === undefined || request.raw.includes(s.turn.match)) && (s.turn.when === undefined || s.turn.when(request)),
    );
    const chosen = keyed ?? open.find((s) => s.turn.match === undefined && s.turn.when === undefined);
    if (!chosen) return undefined;
    chosen.used = true;
    return chosen.turn;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method !== 'POST' || path !== '/v1/messages') {
        otherRequests.push({ method: req.method ?? '', url: req.url ?? '' });
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'not found' } }));
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: MessagesBody | undefined;
      try {
        body = JSON.parse(raw) as MessagesBody;
      } catch {
        body = undefined;
      }
      const recorded: RecordedRequest = { method: req.method, url: req.url ?? '', headers: req.headers, raw, body, kind: requestKind(body), receivedAt: performance.now(), turn: undefined, toolUseIds: [] };
      requests.push(recorded);
      let turn: Turn | undefined;
      try {
        turn = choose(recorded);
      } catch (error) {
        // A throwing `when` must not hang the CLI: answer, and let the test see the error text.
        turn = { text: `fake-api: turn selection failed: ${error instanceof Error ? error.message : String(error)}` };
      }
      recorded.turn = turn;
      for (const wake of [...arrivals]) wake();
      const answer = (chosen: Turn | undefined) => {
        const blocks = blocksOf(chosen, recorded.kind);
        recorded.toolUseIds = blocks.flatMap((b) => (b.type === 'tool_use' ? [b.id] : []));
        reply(res, body, blocks);
      };
      if (!turn?.holdUntil) return answer(turn);
      const held = turn;
      void hold(held).then((ok) => {
        if (ok) return answer(held);
        const label = held.label ?? held.match ?? 'a held turn';
        holdTimeouts.push(label);
        answer({ text: `fake-api: held turn '${label}' timed out waiting for its condition` });
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const stop = track(
    () =>
      new Promise<void>((resolve) => {
        for (const finish of [...pendingHolds]) finish(false);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    otherRequests,
    unconsumed: () => script.filter((s) => !s.used).map((s) => s.turn),
    script: (more) => script.push(...more.map((turn) => ({ turn, used: false }))),
    holdTimeouts,
    stop,
  };
}

type OutBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** Classifies a request by what the CLI marks it with (verified on 2.1.328; see the harness test). */
export function requestKind(body: MessagesBody | undefined): RequestKind {
  const system = Array.isArray(body?.system) ? (body.system as ContentBlock[]) : [];
  if (system.some((b) => typeof b['text'] === 'string' && b['text'].includes('cc_is_subagent=true'))) return 'subagent';
  const messages = body?.messages ?? [];
  const last = messages[messages.length - 1];
  const lastText = last && last.role === 'user' ? textOf(blocksOfMessage(last)) : '';
  if (lastText.includes('<summary>') && lastText.includes('Do NOT call any tools')) return 'compact';
  return 'main';
}

function blocksOf(turn: Turn | undefined, kind: RequestKind): OutBlock[] {
  if (!turn) return [{ type: 'text', text: kind === 'compact' ? COMPACT_FALLBACK_TEXT : FALLBACK_TEXT }];
  const blocks: OutBlock[] = [];
  if (turn.text !== undefined) blocks.push({ type: 'text', text: turn.text });
  for (const use of turn.toolUses ?? []) blocks.push({ type: 'tool_use', id: use.id ?? freshId('toolu'), name: use.name, input: use.input });
  if (blocks.length === 0) blocks.push({ type: 'text', text: FALLBACK_TEXT });
  return blocks;
}

function reply(res: ServerResponse, body: MessagesBody | undefined, blocks: OutBlock[]): void {
  const stopReason = blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  const model = typeof body?.model === 'string' ? body.model : 'claude-fake';
  const usage = { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const id = freshId('msg');
  if (body?.stream !== true) {
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': freshId('req') });
    res.end(JSON.stringify({ id, type: 'message', role: 'assistant', model, content: blocks, stop_reason: stopReason, stop_sequence: null, usage }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': freshId('req') });
  const send = (event: string, data: Record<string, unknown>) => res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  send('message_start', { message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } });
  blocks.forEach((block, index) => {
    if (block.type === 'text') {
      send('content_block_start', { index, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { index, delta: { type: 'text_delta', text: block.text } });
    } else {
      send('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
      send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } });
    }
    send('content_block_stop', { index });
  });
  send('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 5 } });
  send('message_stop', {});
  res.end();
}

// ---- Helpers for assertions on recorded requests ----

const blocksOfMessage = (message: Message): ContentBlock[] =>
  typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : Array.isArray(message.content) ? message.content : [];

/** Text of a tool_result's content (string or text blocks). */
export function toolResultText(block: ContentBlock): string {
  const content = block['content'];
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((c: unknown) => (c && typeof c === 'object' && typeof (c as { text?: unknown }).text === 'string' ? (c as { text: string }).text : '')).join('\n');
  return '';
}

/** Every tool_result block in the request's messages. */
export function toolResults(request: RecordedRequest): ContentBlock[] {
  return (request.body?.messages ?? []).flatMap((m) => blocksOfMessage(m).filter((b) => b.type === 'tool_result'));
}

/** The tool_result answering the given tool_use id, if the request carries it. */
export function findToolResult(request: RecordedRequest, toolUseId: string): ContentBlock | undefined {
  return toolResults(request).find((b) => b['tool_use_id'] === toolUseId);
}

/** The first request carrying a tool_result for this tool_use id (the model's "next request"). */
export function requestWithResult(requests: RecordedRequest[], toolUseId: string): RecordedRequest | undefined {
  return requests.find((r) => findToolResult(r, toolUseId) !== undefined);
}

/** `"role":"system"` messages (where this CLI puts hook feedback besides tool_results). */
export function systemMessages(request: RecordedRequest): Message[] {
  return (request.body?.messages ?? []).filter((m) => m.role === 'system');
}

function textOf(blocks: ContentBlock[]): string {
  return blocks.map((b) => (b.type === 'tool_result' ? toolResultText(b) : typeof b['text'] === 'string' ? b['text'] : '')).join('\n');
}

/** All hook feedback a request carries: text of every tool_result plus every system message. */
export function feedbackText(request: RecordedRequest): string {
  const results = toolResults(request).map(toolResultText);
  const system = systemMessages(request).map((m) => textOf(blocksOfMessage(m)));
  return [...results, ...system].join('\n');
}

/** Text of the request's system prompt blocks plus every message (for "does the model see X"). */
export function allText(request: RecordedRequest): string {
  const system = request.body?.system;
  const systemText = typeof system === 'string' ? system : Array.isArray(system) ? textOf(system as ContentBlock[]) : '';
  return [systemText, ...(request.body?.messages ?? []).map((m) => textOf(blocksOfMessage(m)))].join('\n');
}

/** Text of the messages after the last assistant message: what is new in this request. */
export function newInputText(request: RecordedRequest): string {
  const messages = request.body?.messages ?? [];
  let start = 0;
  messages.forEach((m, i) => {
    if (m.role === 'assistant') start = i + 1;
  });
  return messages
    .slice(start)
    .map((m) => textOf(blocksOfMessage(m)))
    .join('\n');
}

/** Names of the tools the request offers (main loop, subagents and /compact forks differ). */
export function toolNames(request: RecordedRequest): string[] {
  return (request.body?.tools ?? []).flatMap((t) => (typeof t.name === 'string' ? [t.name] : []));
}

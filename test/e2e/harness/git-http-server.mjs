// Serves git repositories over smart HTTP on 127.0.0.1 by running `git http-backend` as a CGI program, so that
// `claude plugin marketplace add http://…/<repo>.git` can be tested offline: the CLI refuses file:// URLs and a
// dumb HTTP server fails its shallow clone (shared/claude-code-spec.md §6.4b). Plain .mjs (typed by the .d.mts
// beside it) so that both the e2e tests and bench/ can use it.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';

/** Splits a CGI response into status, headers and the rest of the body. */
function parseCgiHead(head) {
  let status = 200;
  const headers = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers };
}

/**
 * Starts the server. `projectRoot` holds the repositories (bare or not) and is GIT_PROJECT_ROOT: a request for
 * `/<name>.git/...` serves `<projectRoot>/<name>.git`. Every repository under it is exported.
 */
export async function startGitHttpServer({ projectRoot, git = 'git' }) {
  const requests = [];
  const children = new Set();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? '', path: url.pathname });
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GATEWAY_INTERFACE: 'CGI/1.1',
      SERVER_PROTOCOL: 'HTTP/1.1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    };
    if (req.headers['content-type']) env.CONTENT_TYPE = req.headers['content-type'];
    // Without CONTENT_LENGTH http-backend reads the body to EOF, which suits chunked requests.
    if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
    if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = String(req.headers['content-encoding']);
    if (req.headers['git-protocol']) env.GIT_PROTOCOL = String(req.headers['git-protocol']);

    const child = spawn(git, ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.stdin.on('error', () => {});
    req.pipe(child.stdin);

    let head = Buffer.alloc(0);
    let headDone = false;
    child.stdout.on('data', (chunk) => {
      if (headDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const text = head.toString('latin1');
      const match = /\r?\n\r?\n/.exec(text);
      if (!match) return;
      headDone = true;
      const { status, headers } = parseCgiHead(text.slice(0, match.index));
      res.writeHead(status, headers);
      const rest = head.subarray(match.index + match[0].length);
      if (rest.length > 0) res.write(rest);
    });
    child.on('error', (error) => {
      children.delete(child);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`git http-backend could not start: ${error.message}\n`);
    });
    child.on('close', (code) => {
      children.delete(child);
      if (!headDone) {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`git http-backend exited ${code} without a response: ${stderr}\n`);
        return;
      }
      res.end();
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    stop: () =>
      new Promise((resolve) => {
        for (const child of children) child.kill('SIGKILL');
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}

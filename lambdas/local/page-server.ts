/**
 * `smarketing local`'s stand-in for the viewer's Function URL: an HTTP server on loopback that hands each request
 * to the viewer handler as a Function URL event and writes back its answer, so the email's links open the page.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';

export interface PageServer {
  /** The base URL the email's links start with, ending in `/`. */
  readonly url: string;
  stop(): Promise<void>;
}

export type FunctionUrlHandler = (event: LambdaFunctionURLEvent) => Promise<LambdaFunctionURLResult>;

/** The Function URL event of a request: the parts the viewer reads (method, raw path, query). */
export function functionUrlEvent(method: string, url: URL): LambdaFunctionURLEvent {
  const query = Object.fromEntries(url.searchParams);
  return {
    version: '2.0', routeKey: '$default', rawPath: url.pathname, rawQueryString: url.search.slice(1), headers: {},
    queryStringParameters: query, isBase64Encoded: false,
    requestContext: {
      accountId: 'anonymous', apiId: 'local', domainName: url.host, domainPrefix: 'local', requestId: `local-${Date.now()}`,
      routeKey: '$default', stage: '$default', time: new Date().toISOString(), timeEpoch: Date.now(),
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: '' },
    },
  } as LambdaFunctionURLEvent;
}

/** Serves `handler` on 127.0.0.1 (`port` 0: any free one). */
export async function startPageServer(handler: FunctionUrlHandler, port = 0): Promise<PageServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    handler(functionUrlEvent(req.method ?? 'GET', url)).then((r) => {
      const result = typeof r === 'string' ? { statusCode: 200, body: r, headers: {} } : r;
      res.writeHead(result.statusCode ?? 200, (result.headers ?? {}) as Record<string, string>);
      res.end(result.body ?? '');
    }, (e: unknown) => {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`the viewer failed: ${e instanceof Error ? e.message : String(e)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

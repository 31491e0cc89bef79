/**
 * A stand-in for the one Secrets Manager call the pipeline makes, GetSecretValue (the page's link key), on a
 * loopback port: the SDK's JSON protocol (`X-Amz-Target: secretsmanager.GetSecretValue`), no signature check, the
 * secrets kept in memory. `set` rotates one, as `aws secretsmanager put-secret-value` would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsStandIn {
  readonly endpoint: string;
  set(secretId: string, value: string): void;
  stop(): Promise<void>;
}

export async function startSecretsStandIn(): Promise<SecretsStandIn> {
  const secrets = new Map<string, { value: string; version: number }>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown): void => {
        res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
        return reply(400, { __type: 'InvalidRequestException', message: `the stand-in answers GetSecretValue only, not ${String(req.headers['x-amz-target'])}` });
      }
      let id = '';
      try {
        id = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretId?: unknown }).SecretId ?? '');
      } catch {
        return reply(400, { __type: 'InvalidRequestException', message: 'the body is not JSON' });
      }
      const s = secrets.get(id);
      if (!s) return reply(400, { __type: 'ResourceNotFoundException', message: `Secrets Manager can't find the specified secret ${id}` });
      return reply(200, { ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${id}`, Name: id, SecretString: s.value, VersionId: `v${s.version}`, CreatedDate: 0 });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set(secretId, value) {
      secrets.set(secretId, { value, version: (secrets.get(secretId)?.version ?? 0) + 1 });
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

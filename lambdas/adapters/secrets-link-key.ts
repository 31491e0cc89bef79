/**
 * `LinkKeySource` over Secrets Manager: the secret's string (UTF-8 bytes) is the key that signs and checks the
 * page's links. It is kept for a few minutes per container — one Secrets Manager call per few minutes, not per
 * request — so a rotated key refuses old links within `KEY_TTL_MS`.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AwsClientConfig } from './aws-clients.ts';
import type { LinkKeySource } from '../ports/index.ts';

/** How long a container keeps the key before reading it again (and so how soon a rotation takes effect). */
export const KEY_TTL_MS = 5 * 60_000;

/** The Secrets Manager client: standard retries, the stand-in's endpoint locally. */
export function createSecretsClient(cfg: AwsClientConfig = {}): SecretsManagerClient {
  return new SecretsManagerClient({
    ...(cfg.region ? { region: cfg.region } : {}),
    ...(cfg.credentials ? { credentials: cfg.credentials } : {}),
    ...(cfg.requestHandler ? { requestHandler: cfg.requestHandler } : {}),
    ...(cfg.endpoints?.secretsmanager ? { endpoint: cfg.endpoints.secretsmanager } : {}),
    retryMode: 'standard',
    maxAttempts: 3,
  });
}

export class SecretsManagerLinkKey implements LinkKeySource {
  private cached?: { key: Uint8Array; until: number };

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = KEY_TTL_MS,
  ) {}

  async key(): Promise<Uint8Array> {
    const t = this.now();
    if (this.cached && t < this.cached.until) return this.cached.key;
    const r = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    const key = r.SecretString !== undefined ? Buffer.from(r.SecretString, 'utf8') : r.SecretBinary ? Buffer.from(r.SecretBinary) : undefined;
    if (!key) throw new Error(`secret ${this.secretId} has no value`);
    this.cached = { key, until: t + this.ttlMs };
    return key;
  }
}

/**
 * The drill-down pages of a runtime and their link key, for the report and viewer functions (bound by
 * `SCORECARD_LINK_KEY_SECRET`, with `SCORECARD_PAGE_URL` for the report): a module of its own so only their
 * bundles hold the Secrets Manager client.
 */
import { RESOURCE_ENV } from '../domain/layout.ts';
import type { LinkKeySource, PageStore } from '../ports/index.ts';
import { S3PageStore } from '../adapters/s3-page-store.ts';
import { createSecretsClient, SecretsManagerLinkKey } from '../adapters/secrets-link-key.ts';
import type { Runtime } from './runtime.ts';

export interface PageBinding {
  readonly pages: PageStore;
  readonly key: LinkKeySource;
  readonly baseUrl?: string;
}

const built = new WeakMap<Runtime, PageBinding | undefined>();

/** The pages and their key, when the function is bound to them; built once per runtime. */
export function pageOf(rt: Runtime): PageBinding | undefined {
  if (built.has(rt)) return built.get(rt);
  const bucket = rt.env[RESOURCE_ENV.bucket];
  const secret = rt.env[RESOURCE_ENV.linkKeySecret];
  const baseUrl = rt.env[RESOURCE_ENV.pageUrl];
  const page = secret && bucket
    ? {
        pages: new S3PageStore(rt.clients.s3, bucket),
        key: new SecretsManagerLinkKey(rt.tracer.captureAWSv3Client(createSecretsClient(rt.awsConfig)), secret),
        ...(baseUrl ? { baseUrl } : {}),
      }
    : undefined;
  built.set(rt, page);
  return page;
}
